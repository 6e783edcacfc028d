import { DeploymentV1 } from '@cdktf/provider-kubernetes/lib/deployment-v1';
import { HorizontalPodAutoscalerV2 } from '@cdktf/provider-kubernetes/lib/horizontal-pod-autoscaler-v2';
import { LimitRangeV1 } from '@cdktf/provider-kubernetes/lib/limit-range-v1';
import type { NetworkPolicyV1 } from '@cdktf/provider-kubernetes/lib/network-policy-v1';
import { NamespaceV1 } from '@cdktf/provider-kubernetes/lib/namespace-v1';
import { PodDisruptionBudgetV1 } from '@cdktf/provider-kubernetes/lib/pod-disruption-budget-v1';
import { ResourceQuotaV1 } from '@cdktf/provider-kubernetes/lib/resource-quota-v1';
import { ServiceAccountV1 } from '@cdktf/provider-kubernetes/lib/service-account-v1';
import { ServiceV1 } from '@cdktf/provider-kubernetes/lib/service-v1';
import { Token } from 'cdktf';
import { Construct } from 'constructs';
import { ModelRolloutRbac } from './model-rollout-rbac';
import { servingLoadBalancer } from './serving-load-balancer';
import { CAPTURE_ENV } from '../../serving/src/capture/capture-settings';
import { RESTRICTED_NAMESPACE_LABELS } from './restricted-pod-security';
import { servingNetworkPolicy } from './serving-network-policy';
import { servingPodSpec } from './serving-pod-spec';
import type { ServingWorkloadProps } from './serving-workload-props';
import { NO_SERVED_VERSION, SERVED_MODEL_VERSION_VARIABLE } from '../../lib/rollout';
import {
  GPU_RESOURCE,
  MODEL_DEPLOYMENT,
  ROLLOUT_PROGRESS_DEADLINE_SECONDS,
  SERVED_VERSION_ANNOTATION,
  SERVING_CONTAINER,
  servingNamespace,
  servingServiceAccount,
} from './workload-names';

export class InvalidWorkloadError extends Error {
  constructor(modelName: string, field: string, value: unknown, allowed: string) {
    super(`ServingWorkload ${modelName}: invalid ${field} = ${JSON.stringify(value)}; ${allowed}`);
    this.name = 'InvalidWorkloadError';
  }
}

/**
 * Every Kubernetes object one model needs on EKS, as Terraform resources: its own namespace (with a quota sized to
 * `maxReplicas` and container defaults for anything else deployed there), the service account the pod identity
 * association binds, the Deployment, a ClusterIP Service, a Network Load Balancer Service (EKS Auto Mode), a CPU HorizontalPodAutoscaler, a PodDisruptionBudget and a
 * default-deny NetworkPolicy that opens only what the server needs.
 */
export class ServingWorkload extends Construct {
  readonly namespace: NamespaceV1;
  readonly resourceQuota: ResourceQuotaV1;
  readonly limitRange: LimitRangeV1;
  readonly serviceAccount: ServiceAccountV1;
  readonly deployment: DeploymentV1;
  readonly service: ServiceV1;
  /** The `LoadBalancer` Service EKS Auto Mode backs with a Network Load Balancer; absent without `loadBalancer`. */
  readonly loadBalancerService?: ServiceV1;
  readonly autoscaler: HorizontalPodAutoscalerV2;
  readonly disruptionBudget: PodDisruptionBudgetV1;
  readonly networkPolicy: NetworkPolicyV1;
  /** Lets the rollout function get and patch this model's Deployment only. */
  readonly rolloutRbac: ModelRolloutRbac;

  constructor(scope: Construct, id: string, props: ServingWorkloadProps) {
    super(scope, id);
    const drainTimeoutSeconds = props.drainTimeoutSeconds ?? SERVING_CONTAINER.drainTimeoutSeconds;
    const terminationMarginSeconds = props.terminationMarginSeconds ?? 15;
    const ingressCidrs = props.ingressCidrs ?? [];
    const runAsUser = props.runAsUser ?? Number(SERVING_CONTAINER.user);
    const { sizing, modelName } = props;
    validate(props, { drainTimeoutSeconds, terminationMarginSeconds, runAsUser });

    const namespaceName = servingNamespace(modelName);
    const selectorLabels = { 'app.kubernetes.io/name': 'model-server', 'app.kubernetes.io/instance': modelName };
    const labels = { ...selectorLabels, 'app.kubernetes.io/part-of': 'mlops-blueprint', 'app.kubernetes.io/managed-by': 'terraform' };

    this.namespace = new NamespaceV1(this, 'Namespace', {
      metadata: {
        name: namespaceName,
        labels: { ...labels, ...RESTRICTED_NAMESPACE_LABELS },
      },
    });
    // Resources below reference the namespace through its Terraform attribute, so they are created after it.
    const namespace = this.namespace.metadata.name;
    const meta = (name: string) => ({ name, namespace, labels });

    const { pod, gpuPerPod, maxReplicas, minReplicas } = sizing;
    // One spare pod of headroom: a rolling update surges by one before it removes an old pod.
    const quotaPods = maxReplicas + 1;
    const hard: Record<string, string> = {
      'limits.cpu': `${pod.cpuLimitMillicores * quotaPods}m`,
      'limits.memory': `${pod.memoryLimitMiB * quotaPods}Mi`,
      pods: String(quotaPods),
    };
    if (gpuPerPod > 0) hard[`requests.${GPU_RESOURCE}`] = String(gpuPerPod * quotaPods);
    this.resourceQuota = new ResourceQuotaV1(this, 'ResourceQuota', { metadata: meta('serving-quota'), spec: { hard } });
    // A quota on limits makes every pod of the namespace declare limits; these defaults cover pods that do not.
    this.limitRange = new LimitRangeV1(this, 'LimitRange', {
      metadata: meta('container-defaults'),
      spec: { limit: [{ type: 'Container', default: { cpu: '250m', memory: '256Mi' }, defaultRequest: { cpu: '100m', memory: '128Mi' } }] },
    });

    this.serviceAccount = new ServiceAccountV1(this, 'ServiceAccount', {
      metadata: meta(servingServiceAccount(modelName)),
      automountServiceAccountToken: false,
    });

    this.deployment = new DeploymentV1(this, 'Deployment', {
      metadata: meta(MODEL_DEPLOYMENT.name),
      spec: {
        // A version that never becomes ready marks the rollout failed after this; the rollout function then rolls back.
        progressDeadlineSeconds: ROLLOUT_PROGRESS_DEADLINE_SECONDS,
        // The HPA owns the replica count after creation (see lifecycle.ignoreChanges).
        replicas: String(minReplicas),
        revisionHistoryLimit: 5,
        selector: { matchLabels: selectorLabels },
        strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: '1', maxUnavailable: '0' } },
        template: {
          metadata: {
            labels,
            annotations: {
              'prometheus.io/scrape': 'true',
              'prometheus.io/port': String(SERVING_CONTAINER.port),
              'prometheus.io/path': SERVING_CONTAINER.metricsPath,
              // The pin: set once here, then moved only by the rollout function (see lifecycle.ignoreChanges).
              [SERVED_VERSION_ANNOTATION]: props.initialServedVersion ?? NO_SERVED_VERSION,
            },
          },
          spec: servingPodSpec({
            modelName,
            serviceAccountName: this.serviceAccount.metadata.name,
            selectorLabels,
            image: props.image,
            annotationEnv: { [SERVED_MODEL_VERSION_VARIABLE]: SERVED_VERSION_ANNOTATION },
            env: {
              MODEL_REPOSITORY: props.modelRepositoryUri,
              SERVED_MODELS: modelName,
              AWS_REGION: props.awsRegion,
              HOST: '0.0.0.0',
              PORT: String(SERVING_CONTAINER.port),
              DRAIN_TIMEOUT_SECONDS: String(drainTimeoutSeconds),
              // GPU pods run the CUDA image and require its CUDA provider: without it the model is not ready (no silent CPU fallback).
              EXECUTION_PROVIDERS: gpuPerPod > 0 ? 'cuda' : 'cpu',
              ...(props.capture && props.capture.sampleFraction > 0 && captureVariables(modelName, props.capture)),
            },
            cpuMillicores: { request: pod.cpuRequestMillicores, limit: pod.cpuLimitMillicores },
            memoryMiB: { request: pod.memoryRequestMiB, limit: pod.memoryLimitMiB },
            gpus: gpuPerPod,
            terminationGracePeriodSeconds: drainTimeoutSeconds + terminationMarginSeconds,
            requireZoneSpread: minReplicas >= 2,
            runAsUser,
            priorityClassName: props.priorityClassName,
          }),
        },
      },
      // Rollouts of model versions are the rollout function's to watch; a first apply with the pin at 'none' never becomes ready.
      waitForRollout: false,
      // The HPA owns the replica count; the rollout function owns the pin and the Deployment's rollback annotation.
      lifecycle: {
        ignoreChanges: ['spec[0].replicas', 'metadata[0].annotations', `spec[0].template[0].metadata[0].annotations["${SERVED_VERSION_ANNOTATION}"]`],
      },
    });

    this.service = new ServiceV1(this, 'Service', {
      metadata: meta('model-server'),
      spec: { type: 'ClusterIP', selector: selectorLabels, port: [{ name: 'http', port: SERVING_CONTAINER.port, targetPort: 'http', protocol: 'TCP' }] },
    });

    this.autoscaler = new HorizontalPodAutoscalerV2(this, 'Autoscaler', {
      metadata: meta('model-server'),
      spec: {
        minReplicas,
        maxReplicas,
        scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: this.deployment.metadata.name },
        metric: [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: sizing.targetCpuUtilizationPercent } } }],
        behavior: {
          // Scale up at once on a burst; scale down slowly so a short dip does not drop capacity needed a minute later.
          scaleUp: [{ stabilizationWindowSeconds: 0, selectPolicy: 'Max', policy: [{ type: 'Percent', value: 100, periodSeconds: 15 }] }],
          scaleDown: [{ stabilizationWindowSeconds: 300, selectPolicy: 'Max', policy: [{ type: 'Pods', value: 1, periodSeconds: 60 }] }],
        },
      },
    });

    this.disruptionBudget = new PodDisruptionBudgetV1(this, 'DisruptionBudget', {
      metadata: meta('model-server'),
      // A single replica may be evicted (otherwise node drains block); with two or more, one always stays up.
      spec: { selector: { matchLabels: selectorLabels }, maxUnavailable: minReplicas >= 2 ? '1' : undefined, minAvailable: minReplicas >= 2 ? undefined : '0' },
    });

    this.rolloutRbac = new ModelRolloutRbac(this, 'RolloutRbac', { namespace, labels });
    if (props.loadBalancer) {
      this.loadBalancerService = servingLoadBalancer(this, 'LoadBalancerService', { namespace, labels, selectorLabels, loadBalancer: props.loadBalancer });
    }
    this.networkPolicy = servingNetworkPolicy(this, 'NetworkPolicy', {
      metadata: meta('model-server'),
      selectorLabels,
      ingressCidrs,
      loadBalancerCidrs: props.loadBalancer?.subnetCidrs,
    });
  }
}

/** The container's capture variables (`CAPTURE_ENV`), for exactly this model. */
function captureVariables(modelName: string, capture: { sampleFraction: number; destination: string }): Record<string, string> {
  return { [CAPTURE_ENV.sampleFraction]: `${modelName}=${capture.sampleFraction}`, [CAPTURE_ENV.destination]: capture.destination };
}

function validate(props: ServingWorkloadProps, resolved: { drainTimeoutSeconds: number; terminationMarginSeconds: number; runAsUser: number }): void {
  const { modelName, sizing } = props;
  if (sizing.target !== 'eks') throw new InvalidWorkloadError(modelName, 'sizing.target', sizing.target, "'eks'");
  if (sizing.minReplicas < 1 || sizing.maxReplicas < sizing.minReplicas) {
    throw new InvalidWorkloadError(
      modelName,
      'sizing.maxReplicas',
      sizing.maxReplicas,
      `at least minReplicas (${sizing.minReplicas}), which must be at least 1`,
    );
  }
  if (!(resolved.drainTimeoutSeconds >= 0))
    throw new InvalidWorkloadError(modelName, 'drainTimeoutSeconds', resolved.drainTimeoutSeconds, 'a number of seconds, at least 0');
  if (!(resolved.terminationMarginSeconds >= 1)) {
    throw new InvalidWorkloadError(
      modelName,
      'terminationMarginSeconds',
      resolved.terminationMarginSeconds,
      'at least 1 second, so the grace period exceeds the drain timeout',
    );
  }
  if (!Number.isInteger(resolved.runAsUser) || resolved.runAsUser < 1)
    throw new InvalidWorkloadError(modelName, 'runAsUser', resolved.runAsUser, 'a non-root UID (a whole number, at least 1)');
  const lb = props.loadBalancer;
  if (lb?.internetFacing && lb.certificateArn === undefined) {
    throw new InvalidWorkloadError(
      modelName,
      'loadBalancer.certificateArn',
      undefined,
      'an ACM certificate ARN: an internet-facing load balancer serves TLS only',
    );
  }
  if (lb && lb.clientCidrs.length === 0)
    throw new InvalidWorkloadError(modelName, 'loadBalancer.clientCidrs', [], 'at least one CIDR block allowed to call the load balancer');
  const fraction = props.capture?.sampleFraction;
  if (fraction !== undefined && !(fraction >= 0 && fraction <= 1))
    throw new InvalidWorkloadError(modelName, 'capture.sampleFraction', fraction, 'a fraction from 0 (off) to 1');
  if (props.capture && !Token.isUnresolved(props.capture.destination) && !props.capture.destination.startsWith('s3://')) {
    throw new InvalidWorkloadError(modelName, 'capture.destination', props.capture.destination, 's3://<silver bucket>');
  }
  if (!Token.isUnresolved(props.modelRepositoryUri) && !props.modelRepositoryUri.startsWith('s3://'))
    throw new InvalidWorkloadError(modelName, 'modelRepositoryUri', props.modelRepositoryUri, 's3://bucket/prefix/');
}
