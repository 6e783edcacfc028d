import { ConfigMapV1 } from '@cdktf/provider-kubernetes/lib/config-map-v1';
import { JobV1 } from '@cdktf/provider-kubernetes/lib/job-v1';
import { ServiceV1 } from '@cdktf/provider-kubernetes/lib/service-v1';
import { Token } from 'cdktf';
import { Construct } from 'constructs';
import { restrictedPodSecurityContext, RESTRICTED_CONTAINER_SECURITY_CONTEXT } from './restricted-pod-security';
import type { TrainingJobProps } from './training-job-props';
import {
  GPU_RESOURCE,
  GPU_TAINT,
  PRIORITY_CLASSES,
  TRAINER_SERVICE_ACCOUNT,
  TRAINING_NAMESPACE,
  TRAINING_WORKLOAD,
  WORKLOAD_NODE_LABEL,
} from './workload-names';

/** torchrun's static rendezvous port on index 0 (the reference trainer uses the same on SageMaker). */
export const RENDEZVOUS_PORT = 29500;
const RUN_LABEL = 'mlops.blueprint/training-run';
/** The Job controller writes each pod's index here (Kubernetes "Indexed Job"). */
const COMPLETION_INDEX_ANNOTATION = "metadata.annotations['batch.kubernetes.io/job-completion-index']";
const RUN_NAME = /^[a-z]([-a-z0-9]{0,48}[a-z0-9])?$/;
const DIGEST_PINNED = /^[^\s@]+@sha256:[a-f0-9]{64}$/;

export class InvalidTrainingJobError extends Error {
  constructor(runName: string, field: string, value: unknown, allowed: string) {
    super(`TrainingJob ${runName}: invalid ${field} = ${JSON.stringify(value)}; ${allowed}`);
    this.name = 'InvalidTrainingJobError';
  }
}

/**
 * One distributed training run in the `training` namespace: an Indexed Job (one pod per node, `nodes` completions
 * in parallel) behind a headless Service, so index i is reachable as `<run>-<i>.<run>` and torchrun's rendezvous
 * runs on index 0. Pods select the GPU training node group (its label, its GPU taint tolerated), ask for all of a
 * node's GPUs, run at the training priority (serving may evict them; evictions do not count as failures and the
 * rescheduled pod resumes from the run's checkpoint directory on the shared volume), and run under the restricted Pod
 * Security Standard: non-root, read-only root filesystem (writable `/tmp`, `/dev/shm` and volume mounts only), no
 * privilege escalation, every capability dropped, RuntimeDefault seccomp, no service account token.
 */
export class TrainingJob extends Construct {
  readonly hyperparameters: ConfigMapV1;
  readonly service: ServiceV1;
  readonly job: JobV1;

  constructor(scope: Construct, id: string, props: TrainingJobProps) {
    super(scope, id);
    const resources = props.resources ?? { cpuMillicores: 3500, memoryMiB: 14336 };
    const sharedMemorySize = props.sharedMemorySize ?? '2Gi';
    const maxRuntimeSeconds = props.maxRuntimeSeconds ?? 86_400;
    const backoffLimit = props.backoffLimit ?? 3 * props.nodes;
    const runAsUser = props.runAsUser ?? 1000;
    validate(props, { resources, maxRuntimeSeconds, backoffLimit, runAsUser });
    const { runName } = props;
    const command = props.command ?? [
      'python',
      '-m',
      'torch.distributed.run',
      `--nnodes=${props.nodes}`,
      `--nproc-per-node=${props.gpusPerNode}`,
      '--node-rank=$(NODE_RANK)',
      `--master-addr=${runName}-0.${runName}`,
      `--master-port=${RENDEZVOUS_PORT}`,
      '-m',
      'trainer.train',
    ];
    const labels = { 'app.kubernetes.io/name': 'trainer', 'app.kubernetes.io/part-of': 'mlops-blueprint', [RUN_LABEL]: runName };
    const meta = (name: string) => ({ name, namespace: TRAINING_NAMESPACE, labels });

    this.hyperparameters = new ConfigMapV1(this, 'Hyperparameters', {
      metadata: meta(`${runName}-hyperparameters`),
      data: { 'hyperparameters.json': JSON.stringify(props.hyperparameters ?? {}) },
    });
    // Headless, publishing pods before they are ready: the rendezvous needs every index's address while they all start.
    this.service = new ServiceV1(this, 'Rendezvous', {
      metadata: meta(runName),
      spec: {
        clusterIp: 'None',
        publishNotReadyAddresses: true,
        selector: { [RUN_LABEL]: runName },
        port: [{ name: 'rendezvous', port: RENDEZVOUS_PORT, targetPort: String(RENDEZVOUS_PORT), protocol: 'TCP' }],
      },
    });

    const gpu = String(props.gpusPerNode);
    const cpu = `${resources.cpuMillicores}m`;
    const memory = `${resources.memoryMiB}Mi`;
    const mount = (mountPath: string, subPath: string, readOnly = false) => ({ name: 'workspace', mountPath, subPath, readOnly });
    this.job = new JobV1(this, 'Job', {
      metadata: meta(runName),
      spec: {
        completionMode: 'Indexed',
        completions: props.nodes,
        parallelism: props.nodes,
        backoffLimit,
        activeDeadlineSeconds: maxRuntimeSeconds,
        ttlSecondsAfterFinished: String(7 * 24 * 3600),
        // A spot reclaim or an eviction by serving is not the trainer's failure: the pod is recreated and resumes.
        podFailurePolicy: { rule: [{ action: 'Ignore', onPodCondition: [{ type: 'DisruptionTarget', status: 'True' }] }] },
        template: {
          metadata: { labels },
          spec: {
            subdomain: this.service.metadata.name,
            restartPolicy: 'Never',
            priorityClassName: PRIORITY_CLASSES.training.name,
            serviceAccountName: TRAINER_SERVICE_ACCOUNT,
            automountServiceAccountToken: false,
            enableServiceLinks: false,
            nodeSelector: { [WORKLOAD_NODE_LABEL]: TRAINING_WORKLOAD },
            toleration: [{ key: GPU_TAINT.key, operator: 'Equal', value: GPU_TAINT.value, effect: GPU_TAINT.effect }],
            securityContext: restrictedPodSecurityContext(runAsUser),
            container: [
              {
                name: 'trainer',
                image: props.image,
                command,
                env: [
                  { name: 'NODE_RANK', valueFrom: { fieldRef: { fieldPath: COMPLETION_INDEX_ANNOTATION } } },
                  // Libraries that cache (torch, matplotlib) write under HOME: keep it on the writable /tmp.
                  { name: 'HOME', value: '/tmp' },
                  { name: 'PYTHONUNBUFFERED', value: '1' },
                ],
                port: [{ name: 'rendezvous', containerPort: RENDEZVOUS_PORT, protocol: 'TCP' }],
                resources: { requests: { cpu, memory, [GPU_RESOURCE]: gpu }, limits: { cpu, memory, [GPU_RESOURCE]: gpu } },
                securityContext: RESTRICTED_CONTAINER_SECURITY_CONTEXT,
                volumeMount: [
                  mount('/opt/ml/input/data/train', props.dataPath, true),
                  mount('/opt/ml/checkpoints', `checkpoints/${runName}`),
                  mount('/opt/ml/model', `runs/${runName}/model`),
                  { name: 'hyperparameters', mountPath: '/opt/ml/input/config', readOnly: true },
                  { name: 'tmp', mountPath: '/tmp' },
                  { name: 'shm', mountPath: '/dev/shm' },
                ],
              },
            ],
            volume: [
              { name: 'workspace', persistentVolumeClaim: { claimName: props.volumeClaimName } },
              { name: 'hyperparameters', configMap: { name: this.hyperparameters.metadata.name } },
              { name: 'tmp', emptyDir: { sizeLimit: '10Gi' } },
              { name: 'shm', emptyDir: { medium: 'Memory', sizeLimit: sharedMemorySize } },
            ],
          },
        },
      },
      // Terraform creates the run and returns; the Job runs for hours (kubectl -n training get job <run>).
      waitForCompletion: false,
    });
  }
}

function validate(
  props: TrainingJobProps,
  resolved: { resources: { cpuMillicores: number; memoryMiB: number }; maxRuntimeSeconds: number; backoffLimit: number; runAsUser: number },
): void {
  const invalid = (field: string, value: unknown, allowed: string) => new InvalidTrainingJobError(props.runName, field, value, allowed);
  if (!RUN_NAME.test(props.runName))
    throw invalid('runName', props.runName, 'a DNS label: lower-case letters, digits and hyphens, starting with a letter, at most 50 characters');
  if (!Token.isUnresolved(props.image) && !DIGEST_PINNED.test(props.image))
    throw invalid('image', props.image, 'an image pinned by digest: <registry>/<repository>@sha256:<64 hex digits>');
  if (!Number.isInteger(props.nodes) || props.nodes < 1) throw invalid('nodes', props.nodes, 'a whole number of nodes, at least 1');
  if (!Number.isInteger(props.gpusPerNode) || props.gpusPerNode < 1) throw invalid('gpusPerNode', props.gpusPerNode, 'a whole number of GPUs, at least 1');
  if (!/^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/.test(props.volumeClaimName))
    throw invalid('volumeClaimName', props.volumeClaimName, 'the name of a PersistentVolumeClaim in the training namespace');
  if (props.dataPath.startsWith('/') || props.dataPath.split('/').includes('..') || props.dataPath === '') {
    throw invalid('dataPath', props.dataPath, 'a relative path inside the volume, without ..');
  }
  const { cpuMillicores, memoryMiB } = resolved.resources;
  if (!Number.isInteger(cpuMillicores) || cpuMillicores < 100)
    throw invalid('resources.cpuMillicores', cpuMillicores, 'a whole number of millicores, at least 100');
  if (!Number.isInteger(memoryMiB) || memoryMiB < 256) throw invalid('resources.memoryMiB', memoryMiB, 'a whole number of MiB, at least 256');
  if (!Number.isInteger(resolved.maxRuntimeSeconds) || resolved.maxRuntimeSeconds < 60)
    throw invalid('maxRuntimeSeconds', resolved.maxRuntimeSeconds, 'a whole number of seconds, at least 60');
  if (!Number.isInteger(resolved.backoffLimit) || resolved.backoffLimit < 0) throw invalid('backoffLimit', resolved.backoffLimit, 'a whole number, at least 0');
  if (!Number.isInteger(resolved.runAsUser) || resolved.runAsUser < 1)
    throw invalid('runAsUser', resolved.runAsUser, 'a non-root UID (a whole number, at least 1)');
}
