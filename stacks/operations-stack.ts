import { Stack } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import { MetricsWorkspace, OperationsAlerts, PlatformAlarms, servingAlertRules } from '../constructs/operations';
import type { DashboardInput } from '../constructs/operations/dashboards';
import { datasetThresholds } from '../lib/config';
import type { EnvironmentStackProps } from './environment-stack-props';
import { removalPolicyOf } from './removal-policy';

export interface OperationsStackProps extends EnvironmentStackProps {
  /** What the environment serves and ingests (`dashboardInputOf`): the alarms and dashboards are built from it. */
  readonly monitoring: DashboardInput;
}

/**
 * Where an environment's alarms notify (the alert topic), its one Prometheus workspace (whose alert manager pages the
 * topic, with the serving rules), and the CloudWatch alarms on every failure the platform's code counts.
 */
export class OperationsStack extends Stack {
  readonly alerts: OperationsAlerts;
  readonly metricsWorkspace: MetricsWorkspace;
  readonly platformAlarms: PlatformAlarms;

  constructor(scope: Construct, id: string, props: OperationsStackProps) {
    super(scope, id, props);
    const { config, monitoring } = props;
    const removalPolicy = removalPolicyOf(config);
    this.alerts = new OperationsAlerts(this, 'Alerts', { emailSubscribers: config.alertEmails, removalPolicy });
    this.metricsWorkspace = new MetricsWorkspace(this, 'MetricsWorkspace', { alertTopic: this.alerts.topic, removalPolicy });
    this.alerts.allowPrometheusAlerts(this.metricsWorkspace.workspaceArn);

    const prometheusModels = monitoring.models.flatMap(({ modelName, target, p99LatencyMs }) => (target === 'lambda' ? [] : [{ modelName, target, p99LatencyMs }]));
    if (prometheusModels.length > 0) this.metricsWorkspace.addAlertRules('ServingRules', 'serving', servingAlertRules(prometheusModels));
    this.platformAlarms = new PlatformAlarms(this, 'PlatformAlarms', {
      alarmAction: this.alerts.alarmAction,
      datasets: Object.fromEntries(monitoring.datasets.map((dataset) => [dataset, datasetThresholds(config.monitoring, dataset)])),
      featureGroups: monitoring.featureGroups,
      lambdaModels: monitoring.models.filter((model) => model.target === 'lambda').map((model) => model.modelName),
      driftModels: monitoring.driftModels,
    });
  }
}
