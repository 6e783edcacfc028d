import { Stack } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import { OperationsAlerts } from '../constructs/operations';
import type { EnvironmentStackProps } from './environment-stack-props';
import { removalPolicyOf } from './removal-policy';

export type OperationsStackProps = EnvironmentStackProps;

/** Where an environment's alarms notify: the alert topic and its subscribers. */
export class OperationsStack extends Stack {
  readonly alerts: OperationsAlerts;

  constructor(scope: Construct, id: string, props: OperationsStackProps) {
    super(scope, id, props);
    this.alerts = new OperationsAlerts(this, 'Alerts', { emailSubscribers: props.config.alertEmails, removalPolicy: removalPolicyOf(props.config) });
  }
}
