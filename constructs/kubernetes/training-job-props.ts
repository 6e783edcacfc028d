/** One distributed training run on EKS (`TrainingJob`); a team instantiates one per run in its cdktf app. */
export interface TrainingJobProps {
  /** The run's name: the Job, its headless Service and its hyperparameters ConfigMap; a DNS label of up to 50 characters. */
  readonly runName: string;

  /** Training image, pinned by digest (`<registry>/<repository>@sha256:<digest>`), e.g. the reference trainer (`training/Dockerfile`). */
  readonly image: string;

  /** Nodes (pods, one per node, indexed 0..nodes-1); more than one runs torchrun across them. */
  readonly nodes: number;

  /** GPUs per pod (`nvidia.com/gpu` limit): every GPU of one training node (`gpusPerTrainingNode`). */
  readonly gpusPerNode: number;

  /**
   * A ReadWriteMany PersistentVolumeClaim in the `training` namespace (EFS or FSx for Lustre CSI) holding the data and
   * receiving the outputs, mounted by every index: `<dataPath>` read-only at `/opt/ml/input/data/train`,
   * `checkpoints/<runName>/` at `/opt/ml/checkpoints` (a rescheduled pod resumes from there), `runs/<runName>/model/` at `/opt/ml/model`.
   */
  readonly volumeClaimName: string;

  /** Path of the training data inside the volume, e.g. `datasets/dataset=customer-events`. */
  readonly dataPath: string;

  /**
   * Hyperparameters, written to `/opt/ml/input/config/hyperparameters.json` (SageMaker's layout) from a ConfigMap.
   * @default {}
   */
  readonly hyperparameters?: Record<string, string>;

  /**
   * CPU and memory of each pod (requests = limits, Guaranteed QoS).
   * @default { cpuMillicores: 3500, memoryMiB: 14336 } (fits a 4-vCPU, 16 GiB node such as g5.xlarge after system reservations)
   */
  readonly resources?: { readonly cpuMillicores: number; readonly memoryMiB: number };

  /**
   * Shared memory (`/dev/shm`, memory-backed, counted in the memory limit) for PyTorch data loaders and NCCL.
   * @default '2Gi'
   */
  readonly sharedMemorySize?: string;

  /**
   * Longest run time (`activeDeadlineSeconds`), after which every pod is stopped.
   * @default 86400 (24 hours)
   */
  readonly maxRuntimeSeconds?: number;

  /**
   * Failed pods tolerated before the Job fails. Evictions (spot reclaims, preemption by serving) do not count.
   * @default 3 × nodes (with static rendezvous a failure of one node fails every index once)
   */
  readonly backoffLimit?: number;

  /**
   * The container command.
   * @default torchrun across `nodes` × `gpusPerNode` processes running the reference trainer (`python -m trainer.train`),
   * with index 0 as the rendezvous host
   */
  readonly command?: string[];

  /**
   * UID/GID the trainer runs as; must not be 0.
   * @default 1000
   */
  readonly runAsUser?: number;
}
