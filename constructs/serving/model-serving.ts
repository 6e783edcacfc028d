import { type CfnResource, Duration, RemovalPolicy } from 'aws-cdk-lib';
import type * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { Construct } from 'constructs';
import { decideServing, type ServingDecision, type ServingTarget, type TargetSizing, type TrafficProfile } from '../../lib/decision';
import { InvalidPropError } from '../shared/prop-validation';
import { SERVING_DECISION_METADATA_KEY, servingDecisionMetadata } from './decision-metadata';
import { EksServing } from './eks-serving';
import { FargateServing } from './fargate-serving';
import { LOAD_BALANCER_IDLE_TIMEOUT } from './fargate-serving-props';
import { LambdaServing } from './lambda-serving';
import type { ModelServingProps } from './model-serving-props';

const MODEL_NAME = /^[a-z][a-z0-9-]{1,38}[a-z0-9]$/;

/**
 * Serves one model on the target the decision matrix picks (or the one forced), and records the decision — target,
 * monthly cost of every target, reasons, rejected targets, flip points — in the template metadata of the target's
 * main resource (`mlops:ServingDecision`), where auditors read why the model runs there.
 */
export class ModelServing extends Construct {
  /** The model's name: its folder in the model repository. */
  readonly modelName: string;
  /** The traffic profile the model was decided and sized for (its p99 objective bounds the rollback signals). */
  readonly traffic: TrafficProfile;
  readonly decision: ServingDecision;
  readonly target: ServingTarget;
  /** Set when the target is Lambda. */
  readonly lambda?: LambdaServing;
  /** Set when the target is Fargate. */
  readonly fargate?: FargateServing;
  /** Set when the target is EKS. */
  readonly eks?: EksServing;
  /** The resource whose template metadata carries the decision: the function, the ECS service or the pod identity association. */
  readonly decisionRecord: CfnResource;

  constructor(scope: Construct, id: string, props: ModelServingProps) {
    super(scope, id);
    this.modelName = props.modelName;
    this.traffic = props.traffic;
    const removalPolicy = props.removalPolicy ?? RemovalPolicy.RETAIN;
    const decisionContext = props.decisionContext ?? { highAvailability: true, architecture: 'x86_64' };
    if (!MODEL_NAME.test(props.modelName)) {
      throw new InvalidPropError(
        'ModelServing',
        'modelName',
        props.modelName,
        'lower-case letters, digits and hyphens, 3-40 characters, starting with a letter',
      );
    }
    if (props.decision && (props.forceTarget !== undefined || props.decisionContext !== undefined)) {
      throw new InvalidPropError(
        'ModelServing',
        props.forceTarget !== undefined ? 'forceTarget' : 'decisionContext',
        props.forceTarget ?? props.decisionContext,
        'not together with decision: force the target or set the context when the decision is made (decideServing / decideEnvironment)',
      );
    }
    this.decision = props.decision ?? decideServing(props.traffic, { ...decisionContext, forceTarget: props.forceTarget });
    this.target = this.decision.target;
    const sizing = this.decision.options[this.target]?.sizing;
    if (!sizing) {
      throw new InvalidPropError('ModelServing', 'decision', this.target, `a decision whose options include a sizing for its target '${this.target}'`);
    }
    const common = { modelName: props.modelName, modelRepository: props.modelRepository, vpc: props.vpc, image: props.image };
    const pin = { servedVersionParameterName: props.servedVersionParameterName };
    const capture = props.capture;

    switch (sizing.target) {
      case 'lambda': {
        const latencyObjective = latencyObjectiveUnder(props.traffic.p99LatencyMs, Duration.seconds(sizing.timeoutSeconds));
        this.lambda = new LambdaServing(this, 'Lambda', { removalPolicy, latencyObjective, ...props.lambdaOptions, ...common, ...pin, capture, sizing });
        this.decisionRecord = this.lambda.function.node.defaultChild as CfnResource;
        break;
      }
      case 'fargate': {
        const latencyObjective = latencyObjectiveUnder(props.traffic.p99LatencyMs, LOAD_BALANCER_IDLE_TIMEOUT);
        this.fargate = new FargateServing(this, 'Fargate', {
          removalPolicy,
          latencyObjective,
          ...props.fargateOptions,
          ...common,
          ...pin,
          capture,
          sizing,
          prometheusWorkspace: props.prometheusWorkspace,
        });
        this.decisionRecord = this.fargate.service.node.defaultChild as CfnResource;
        break;
      }
      case 'eks':
        this.eks = new EksServing(this, 'Eks', { ...common, decision: sizing, cluster: props.eksCluster, removalPolicy, capture });
        this.decisionRecord = this.eks.podIdentityAssociation;
        break;
      default:
        throw unknownTarget(sizing);
    }
    this.decisionRecord.addMetadata(SERVING_DECISION_METADATA_KEY, servingDecisionMetadata(props.modelName, this.decision));
  }

  /**
   * Failed requests on the target that serves the model (sum per 5 minutes by default): the live alias's `Errors` on
   * Lambda, the tasks' 5XX answers on Fargate. An EKS model's figures are in Prometheus (`servingAlertRules`), not
   * CloudWatch: this throws for EKS.
   */
  metricErrors(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    if (this.lambda) return this.lambda.metricErrors(props);
    if (this.fargate) return this.fargate.metricTarget5xxCount(props);
    throw this.noCloudWatchMetrics('metricErrors');
  }

  /** Requests to the target that serves the model (sum per 5 minutes by default); throws for EKS, like `metricErrors`. */
  metricRequests(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    if (this.lambda) return this.lambda.metricInvocations(props);
    if (this.fargate) return this.fargate.metricRequestCount(props);
    throw this.noCloudWatchMetrics('metricRequests');
  }

  private noCloudWatchMetrics(method: string): Error {
    return new Error(
      `ModelServing ${this.modelName}: ${method}() needs a Lambda or Fargate target, not ${this.target}; ` +
        "an EKS model's request figures are Prometheus series in the metrics workspace (servingAlertRules), not CloudWatch metrics",
    );
  }
}

/**
 * The rollback alarms' latency objective: the model's p99 SLO (whole milliseconds), or 80% of the target's hard limit
 * (Lambda timeout, load balancer idle timeout) when the SLO does not fit under it: slower answers never complete there.
 */
function latencyObjectiveUnder(p99LatencyMs: number, limit: Duration): Duration {
  const limitMs = limit.toMilliseconds();
  return Duration.millis(p99LatencyMs < limitMs ? Math.max(1, Math.floor(p99LatencyMs)) : Math.floor(limitMs * 0.8));
}

function unknownTarget(sizing: never): Error {
  return new Error(`ModelServing: no construct for target ${(sizing as TargetSizing).target}`);
}
