import type { DeploymentV1SpecTemplateSpec } from '@cdktf/provider-kubernetes/lib/deployment-v1';
import { restrictedPodSecurityContext, RESTRICTED_CONTAINER_SECURITY_CONTEXT } from './restricted-pod-security';
import { GPU_RESOURCE, GPU_TAINT, MODEL_NODE_LABEL, SERVING_CONTAINER } from './workload-names';

export interface ServingPodSpecInput {
  readonly modelName: string;
  readonly serviceAccountName: string;
  readonly selectorLabels: Record<string, string>;
  readonly image: string;
  readonly env: Record<string, string>;
  /** Variables read from pod annotations through the downward API: variable name → annotation key. */
  readonly annotationEnv?: Record<string, string>;
  readonly cpuMillicores: { readonly request: number; readonly limit: number };
  readonly memoryMiB: { readonly request: number; readonly limit: number };
  readonly gpus: number;
  readonly terminationGracePeriodSeconds: number;
  /** Replicas must spread over at least two zones (high availability). */
  readonly requireZoneSpread: boolean;
  readonly runAsUser: number;
  /** PriorityClass of the pods (`PRIORITY_CLASSES.serving`); absent: the cluster default. */
  readonly priorityClassName?: string;
}

const HEALTH = { live: SERVING_CONTAINER.livenessPath, ready: SERVING_CONTAINER.readinessPath } as const;

/**
 * The serving pod: restricted Pod Security Standard (non-root, read-only root filesystem, no privilege escalation,
 * all capabilities dropped, RuntimeDefault seccomp), Guaranteed QoS, spread across zones and nodes, pinned to the
 * model's node group.
 */
export function servingPodSpec(input: ServingPodSpecInput): DeploymentV1SpecTemplateSpec {
  const limits: Record<string, string> = { cpu: `${input.cpuMillicores.limit}m`, memory: `${input.memoryMiB.limit}Mi` };
  if (input.gpus > 0) limits[GPU_RESOURCE] = String(input.gpus);
  const labelSelector = [{ matchLabels: input.selectorLabels }];
  return {
    serviceAccountName: input.serviceAccountName,
    priorityClassName: input.priorityClassName,
    // The server calls no Kubernetes API; pod identity uses its own projected token.
    automountServiceAccountToken: false,
    enableServiceLinks: false,
    terminationGracePeriodSeconds: input.terminationGracePeriodSeconds,
    nodeSelector: { [MODEL_NODE_LABEL]: input.modelName },
    toleration: input.gpus > 0 ? [{ key: GPU_TAINT.key, operator: 'Equal', value: GPU_TAINT.value, effect: GPU_TAINT.effect }] : undefined,
    securityContext: restrictedPodSecurityContext(input.runAsUser),
    topologySpreadConstraint: [
      {
        topologyKey: 'topology.kubernetes.io/zone',
        maxSkew: 1,
        // With minDomains 2 a second replica waits for a node in another zone rather than share the first one's zone.
        whenUnsatisfiable: input.requireZoneSpread ? 'DoNotSchedule' : 'ScheduleAnyway',
        minDomains: input.requireZoneSpread ? 2 : undefined,
        labelSelector,
      },
      { topologyKey: 'kubernetes.io/hostname', maxSkew: 1, whenUnsatisfiable: 'ScheduleAnyway', labelSelector },
    ],
    container: [
      {
        name: 'server',
        image: input.image,
        imagePullPolicy: 'IfNotPresent',
        port: [{ name: 'http', containerPort: SERVING_CONTAINER.port, protocol: 'TCP' }],
        env: [
          ...Object.entries(input.env).map(([name, value]) => ({ name, value })),
          ...Object.entries(input.annotationEnv ?? {}).map(([name, key]) => ({
            name,
            valueFrom: { fieldRef: { fieldPath: `metadata.annotations['${key}']` } },
          })),
        ],
        resources: {
          requests: { cpu: `${input.cpuMillicores.request}m`, memory: `${input.memoryMiB.request}Mi` },
          limits,
        },
        // Model download and session creation happen before the first ready; allow up to 5 minutes for them.
        startupProbe: { httpGet: { path: HEALTH.live, port: 'http' }, periodSeconds: 5, failureThreshold: 60, timeoutSeconds: 2 },
        livenessProbe: { httpGet: { path: HEALTH.live, port: 'http' }, periodSeconds: 10, failureThreshold: 3, timeoutSeconds: 2 },
        readinessProbe: { httpGet: { path: HEALTH.ready, port: 'http' }, periodSeconds: 5, failureThreshold: 2, timeoutSeconds: 2 },
        securityContext: RESTRICTED_CONTAINER_SECURITY_CONTEXT,
        volumeMount: [{ name: 'tmp', mountPath: '/tmp' }],
      },
    ],
    volume: [{ name: 'tmp', emptyDir: { sizeLimit: '1Gi' } }],
  };
}
