import { RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as aps from 'aws-cdk-lib/aws-aps';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import { Construct, type IConstruct } from 'constructs';
import type { QueryablePrometheusWorkspace } from '../serving/prometheus-workspace';
import { createPlatformKey } from '../shared/platform-key';
import { InvalidPropError } from '../shared/prop-validation';
import type { MetricsWorkspaceAttributes, MetricsWorkspaceProps, PrometheusAlertRule } from './metrics-workspace-props';

const NAME = 'MetricsWorkspace';
const ALERT_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
const RULE_DURATION = /^\d+[smh]$/;

/** The environment's one Prometheus: what serving targets write to and Grafana and alarms read. */
export interface IMetricsWorkspace extends IConstruct, QueryablePrometheusWorkspace {
  readonly workspaceId: string;
  /** `aps:RemoteWrite` on this workspace only. */
  grantRemoteWrite(grantee: iam.IGrantable): iam.Grant;
  /** PromQL queries and metadata reads on this workspace only (what Grafana's data source needs). */
  grantQuery(grantee: iam.IGrantable): iam.Grant;
}

/** Actions of a Prometheus reader (Grafana's AMP data source), scoped to one workspace. */
export const PROMETHEUS_QUERY_ACTIONS = ['aps:QueryMetrics', 'aps:GetSeries', 'aps:GetLabels', 'aps:GetMetricMetadata'] as const;

abstract class MetricsWorkspaceBase extends Construct implements IMetricsWorkspace {
  abstract readonly workspaceId: string;
  abstract readonly workspaceArn: string;
  abstract readonly prometheusEndpoint: string;

  get remoteWriteUrl(): string {
    return `${this.prometheusEndpoint}api/v1/remote_write`;
  }

  grantRemoteWrite(grantee: iam.IGrantable): iam.Grant {
    return iam.Grant.addToPrincipal({ grantee, actions: ['aps:RemoteWrite'], resourceArns: [this.workspaceArn] });
  }

  grantQuery(grantee: iam.IGrantable): iam.Grant {
    return iam.Grant.addToPrincipal({ grantee, actions: [...PROMETHEUS_QUERY_ACTIONS], resourceArns: [this.workspaceArn] });
  }

  grantQueryMetrics(grantee: iam.IGrantable): iam.Grant {
    return iam.Grant.addToPrincipal({ grantee, actions: ['aps:QueryMetrics'], resourceArns: [this.workspaceArn] });
  }
}

/**
 * One Amazon Managed Service for Prometheus workspace per environment, encrypted with a customer-managed key: every
 * serving target writes there (the Fargate ADOT sidecar, the EKS managed scraper), Grafana queries it, and its alert
 * manager sends firing rules (`addAlertRules`) to the environment's alert topic.
 */
export class MetricsWorkspace extends MetricsWorkspaceBase {
  static fromMetricsWorkspaceAttributes(scope: Construct, id: string, attrs: MetricsWorkspaceAttributes): IMetricsWorkspace {
    class Import extends MetricsWorkspaceBase {
      readonly workspaceId = attrs.workspaceId;
      readonly workspaceArn = attrs.workspaceArn;
      readonly prometheusEndpoint = attrs.prometheusEndpoint;
    }
    return new Import(scope, id);
  }

  readonly workspace: aps.CfnWorkspace;
  readonly encryptionKey: kms.IKey;
  readonly workspaceId: string;
  readonly workspaceArn: string;
  readonly prometheusEndpoint: string;
  /** Whether firing rules reach a topic (an alert manager definition exists). */
  readonly alerting: boolean;
  private readonly ruleGroups: aps.CfnRuleGroupsNamespace[] = [];

  constructor(scope: Construct, id: string, props: MetricsWorkspaceProps = {}) {
    super(scope, id);
    const stack = Stack.of(this);
    const removalPolicy = props.removalPolicy ?? RemovalPolicy.RETAIN;
    const alias = props.alias ?? stack.stackName;
    this.encryptionKey = props.encryptionKey ?? createPlatformKey(this, 'Key', { description: `Encrypts the ${alias} Prometheus workspace`, removalPolicy });
    this.alerting = props.alertTopic !== undefined;
    this.workspace = new aps.CfnWorkspace(this, 'Resource', {
      alias,
      kmsKeyArn: this.encryptionKey.keyArn,
      alertManagerDefinition: props.alertTopic ? alertManagerDefinition(props.alertTopic.topicArn, stack.region) : undefined,
    });
    this.workspace.applyRemovalPolicy(removalPolicy);
    this.workspaceId = this.workspace.attrWorkspaceId;
    this.workspaceArn = this.workspace.attrArn;
    this.prometheusEndpoint = this.workspace.attrPrometheusEndpoint;
  }

  /** Rule groups namespaces added so far. */
  get ruleGroupsNamespaces(): readonly aps.CfnRuleGroupsNamespace[] {
    return this.ruleGroups;
  }

  /**
   * A rule groups namespace with one group of alerting rules. Without an `alertTopic` the rules would fire into
   * nothing, so that is refused.
   */
  addAlertRules(id: string, groupName: string, rules: readonly PrometheusAlertRule[]): aps.CfnRuleGroupsNamespace {
    if (!this.alerting)
      throw new InvalidPropError(NAME, 'alertTopic', undefined, 'a topic before alert rules are added: rules without an alert manager page no one');
    for (const rule of rules) {
      if (!ALERT_NAME.test(rule.alert)) throw new InvalidPropError(NAME, 'rules.alert', rule.alert, `a Prometheus alert name matching ${ALERT_NAME}`);
      if (!RULE_DURATION.test(rule.for)) throw new InvalidPropError(NAME, 'rules.for', rule.for, "a Prometheus duration such as '5m'");
    }
    const namespace = new aps.CfnRuleGroupsNamespace(this, id, {
      workspace: this.workspaceArn,
      name: groupName,
      // JSON is YAML: the rule file as Prometheus reads it.
      data: JSON.stringify({ groups: [{ name: groupName, rules }] }, null, 2),
    });
    this.ruleGroups.push(namespace);
    return namespace;
  }
}

/** Every alert goes to the topic, signed with SigV4 by AMP itself. */
function alertManagerDefinition(topicArn: string, region: string): string {
  return [
    'alertmanager_config: |',
    '  route:',
    "    receiver: 'alert-topic'",
    "    group_by: ['alertname', 'model']",
    '  receivers:',
    "    - name: 'alert-topic'",
    '      sns_configs:',
    `        - topic_arn: ${topicArn}`,
    '          sigv4:',
    `            region: ${region}`,
    '',
  ].join('\n');
}
