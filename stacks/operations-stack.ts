import { Stack, type StackProps } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import { OperationsAlerts } from '../constructs/operations';
import type { EnvironmentConfig } from '../lib/config';
import { removalPolicyOf } from './removal-policy';

export interface OperationsStackProps extends StackProps {
  readonly config: EnvironmentConfig;
}

/** Where an environment's alarms notify: the alert topic and its subscribers. */
export class OperationsStack extends Stack {
  readonly alerts: OperationsAlerts;

  constructor(scope: Construct, id: string, props: OperationsStackProps) {
    super(scope, id, props);
    this.alerts = new OperationsAlerts(this, 'Alerts', { emailSubscribers: props.config.alertEmails, removalPolicy: removalPolicyOf(props.config) });
  }
}
