import { Stack } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import { MetricsWorkspace, OperationsAlerts } from '../constructs/operations';
import type { EnvironmentStackProps } from './environment-stack-props';
import { removalPolicyOf } from './removal-policy';

export type OperationsStackProps = EnvironmentStackProps;

/** Where an environment's alarms notify (the alert topic) and its one Prometheus workspace, whose alert manager pages the topic. */
export class OperationsStack extends Stack {
  readonly alerts: OperationsAlerts;
  readonly metricsWorkspace: MetricsWorkspace;

  constructor(scope: Construct, id: string, props: OperationsStackProps) {
    super(scope, id, props);
    const removalPolicy = removalPolicyOf(props.config);
    this.alerts = new OperationsAlerts(this, 'Alerts', { emailSubscribers: props.config.alertEmails, removalPolicy });
    this.metricsWorkspace = new MetricsWorkspace(this, 'MetricsWorkspace', { alertTopic: this.alerts.topic, removalPolicy });
    this.alerts.allowPrometheusAlerts(this.metricsWorkspace.workspaceArn);
  }
}
