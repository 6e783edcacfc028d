/**
 * The names and labels that tie the Kubernetes objects (Terraform JSON from cdktf) to the AWS resources the CDK
 * side creates: the pod identity association names the namespace and service account, the node group carries the
 * labels and taint the pods select. No cdktf import, so the CDK constructs can share it and cdktf can
 * be replaced without touching them.
 */

/** What the serving container promises every target (port, health routes, user, drain timeout). */
export { SERVING_CONTAINER } from '../../lib/serving';

/** Node label naming the model whose node group a node belongs to; the model's pods select it. */
export const MODEL_NODE_LABEL = 'mlops.blueprint/model';

/** Node label set on GPU node groups; the NVIDIA device plugin runs only there. */
export const ACCELERATOR_NODE_LABEL = 'mlops.blueprint/accelerator';
export const NVIDIA_ACCELERATOR = 'nvidia';

/** Taint on GPU nodes so only pods that need a GPU (and tolerate it) land there. */
export const GPU_TAINT = { key: 'nvidia.com/gpu', value: 'present', effect: 'NoSchedule' } as const;

/** Node label of the GPU training node group; training pods select it (with the GPU taint tolerated). */
export const WORKLOAD_NODE_LABEL = 'mlops.blueprint/workload';
export const TRAINING_WORKLOAD = 'training';

/** Namespace of every EKS training run, with its GPU quota; and the service account its pods run as. */
export const TRAINING_NAMESPACE = 'training';
export const TRAINER_SERVICE_ACCOUNT = 'trainer';

/** PriorityClasses: serving pods outrank training pods, so a node short of room evicts training (which resumes from its checkpoint), never serving. */
export const PRIORITY_CLASSES = {
  serving: { name: 'mlops-serving', value: 100_000 },
  training: { name: 'mlops-training', value: 1_000 },
} as const;

/** Extended resource the NVIDIA device plugin advertises. */
export const GPU_RESOURCE = 'nvidia.com/gpu';

/** Namespace label that lets a namespace's pods call inference endpoints (and scrape /metrics). */
export const INFERENCE_CLIENT_LABEL = 'mlops.blueprint/inference-client';

/** Namespace of one model's serving workload. */
export function servingNamespace(modelName: string): string {
  return `serving-${modelName}`;
}

/** Service account of one model's serving pods; the pod identity association binds it to the model's IAM role. */
export function servingServiceAccount(modelName: string): string {
  return `${modelName}-server`;
}

/** Where the Cluster Autoscaler runs; its pod identity association names this service account. */
export const CLUSTER_AUTOSCALER = { namespace: 'kube-system', serviceAccount: 'cluster-autoscaler' } as const;

/** Kubernetes user the AMP managed scraper's access entry maps its role to; the collector ClusterRole is bound to it. */
export const METRICS_COLLECTOR_USER = 'aps-collector-user';

/** How an EKS model's Deployment carries its pin and who may move it (shared with the rollout function). */
export { MODEL_DEPLOYMENT, MODEL_ROLLOUT_GROUP, ROLLOUT_PROGRESS_DEADLINE_SECONDS, SERVED_VERSION_ANNOTATION } from '../../lib/rollout/kubernetes-pin';
