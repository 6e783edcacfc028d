import { CfnOutput, Stack } from 'aws-cdk-lib';
import type * as ec2 from 'aws-cdk-lib/aws-ec2';
import type { Construct } from 'constructs';
import { GrafanaWorkspace, MetricsWorkspace, OperationsAlerts, PlatformAlarms, servingAlertRules } from '../constructs/operations';
import { buildDashboards, type DashboardInput } from '../constructs/operations/dashboards';
import { datasetThresholds } from '../lib/config';
import type { EnvironmentStackProps } from './environment-stack-props';
import { removalPolicyOf } from './removal-policy';

export interface OperationsStackProps extends EnvironmentStackProps {
  /** What the environment serves and ingests (`dashboardInputOf`): the alarms and dashboards are built from it. */
  readonly monitoring: DashboardInput;
  /** The environment's VPC: the Grafana workspace's outbound traffic and its provisioning function run in it. */
  readonly vpc: ec2.IVpc;
}

/**
 * Where an environment's alarms notify (the alert topic), its one Prometheus workspace (whose alert manager pages the
 * topic, with the serving rules), the CloudWatch alarms on every failure the platform's code counts, and, when the
 * config asks for it, the Grafana workspace with the generated dashboards.
 */
export class OperationsStack extends Stack {
  readonly alerts: OperationsAlerts;
  readonly metricsWorkspace: MetricsWorkspace;
  readonly platformAlarms: PlatformAlarms;
  /** Absent when the environment's config has no `monitoring.grafana`. */
  readonly grafana?: GrafanaWorkspace;

  constructor(scope: Construct, id: string, props: OperationsStackProps) {
    super(scope, id, props);
    const { config, monitoring } = props;
    const removalPolicy = removalPolicyOf(config);
    this.alerts = new OperationsAlerts(this, 'Alerts', { emailSubscribers: config.alertEmails, removalPolicy });
    this.metricsWorkspace = new MetricsWorkspace(this, 'MetricsWorkspace', { alertTopic: this.alerts.topic, removalPolicy });
    this.alerts.allowPrometheusAlerts(this.metricsWorkspace.workspaceArn);

    const prometheusModels = monitoring.models.flatMap(({ modelName, target, p99LatencyMs }) =>
      target === 'lambda' ? [] : [{ modelName, target, p99LatencyMs }],
    );
    if (prometheusModels.length > 0) this.metricsWorkspace.addAlertRules('ServingRules', 'serving', servingAlertRules(prometheusModels));
    this.platformAlarms = new PlatformAlarms(this, 'PlatformAlarms', {
      alarmAction: this.alerts.alarmAction,
      datasets: Object.fromEntries(monitoring.datasets.map((dataset) => [dataset, datasetThresholds(config.monitoring, dataset)])),
      featureGroups: monitoring.featureGroups,
      lambdaModels: monitoring.models.filter((model) => model.target === 'lambda').map((model) => model.modelName),
      driftModels: monitoring.driftModels,
    });

    const grafanaConfig = config.monitoring.grafana;
    if (grafanaConfig) {
      this.grafana = new GrafanaWorkspace(this, 'Grafana', {
        environmentName: monitoring.environment,
        authentication: grafanaConfig,
        metricsWorkspace: this.metricsWorkspace,
        vpc: props.vpc,
        dashboards: buildDashboards(monitoring).map(({ json }) => json as { uid: string; title: string }),
        alarms: this.alerts,
        removalPolicy,
      });
      new CfnOutput(this, 'GrafanaUrl', { description: "Sign in to the environment's dashboards here", value: this.grafana.url });
    }
  }
}
