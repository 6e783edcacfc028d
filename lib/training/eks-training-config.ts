import { z } from 'zod';

/**
 * `training.eks` (cdk.json): GPU training capacity on the environment's EKS cluster, beside SageMaker. A spot node
 * group that scales from zero, and a `training` namespace whose GPU quota caps what all runs together may request.
 */

/**
 * NVIDIA GPUs per EC2 instance of the families offered for EKS training (EC2 User Guide, "Accelerated computing
 * instances", checked 2026-11): g4dn T4, g5 A10G, g6 L4, g6e L40S, p4d A100, p5/p5e/p5en H100/H200.
 */
export const EKS_TRAINING_GPUS_PER_INSTANCE: Readonly<Record<string, number>> = {
  'g4dn.xlarge': 1,
  'g4dn.2xlarge': 1,
  'g4dn.4xlarge': 1,
  'g4dn.8xlarge': 1,
  'g4dn.16xlarge': 1,
  'g4dn.12xlarge': 4,
  'g4dn.metal': 8,
  'g5.xlarge': 1,
  'g5.2xlarge': 1,
  'g5.4xlarge': 1,
  'g5.8xlarge': 1,
  'g5.16xlarge': 1,
  'g5.12xlarge': 4,
  'g5.24xlarge': 4,
  'g5.48xlarge': 8,
  'g6.xlarge': 1,
  'g6.2xlarge': 1,
  'g6.4xlarge': 1,
  'g6.8xlarge': 1,
  'g6.16xlarge': 1,
  'g6.12xlarge': 4,
  'g6.24xlarge': 4,
  'g6.48xlarge': 8,
  'g6e.xlarge': 1,
  'g6e.2xlarge': 1,
  'g6e.4xlarge': 1,
  'g6e.8xlarge': 1,
  'g6e.16xlarge': 1,
  'g6e.12xlarge': 4,
  'g6e.24xlarge': 4,
  'g6e.48xlarge': 8,
  'p4d.24xlarge': 8,
  'p5.48xlarge': 8,
  'p5e.48xlarge': 8,
  'p5en.48xlarge': 8,
};
const INSTANCE_TYPES = Object.keys(EKS_TRAINING_GPUS_PER_INSTANCE);

export const eksTrainingConfigSchema = z
  .strictObject({
    /** EC2 GPU instance types of the training node group; several types (same GPU count) give spot more pools to draw from. */
    instanceTypes: z
      .array(z.string().refine((type) => type in EKS_TRAINING_GPUS_PER_INSTANCE, `an NVIDIA GPU instance type: ${INSTANCE_TYPES.join(', ')}`))
      .min(1)
      .max(20),
    /** Spot capacity (interrupted pods resume from their checkpoint); false for on-demand. @default true */
    spot: z.boolean().default(true),
    /** Most nodes the group grows to; it has 0 while nothing trains. */
    maxNodes: z.number().int().min(1).max(100),
    /** GPUs all training pods together may request (ResourceQuota `requests.nvidia.com/gpu` of the `training` namespace). */
    gpuQuota: z.number().int().min(1),
    /** Root volume of each node in GiB (the NVIDIA AMI and training images are large). @default 200 */
    rootVolumeGb: z.number().int().min(50).max(16384).default(200),
  })
  .superRefine((eks, ctx) => {
    const gpus = new Set(eks.instanceTypes.map((type) => EKS_TRAINING_GPUS_PER_INSTANCE[type]).filter((n) => n !== undefined));
    if (gpus.size > 1) {
      ctx.addIssue({
        code: 'custom',
        path: ['instanceTypes'],
        message: `must all have the same number of GPUs (a job asks each node for the same count); got ${[...gpus].join(' and ')}`,
      });
      return;
    }
    const perNode = [...gpus][0];
    // A bad maxNodes is reported by its own rule; the quota is only checked against a valid one.
    if (perNode === undefined || !Number.isInteger(eks.maxNodes) || eks.maxNodes < 1) return;
    if (eks.gpuQuota < perNode)
      ctx.addIssue({ code: 'custom', path: ['gpuQuota'], message: `must allow one node's GPUs (${perNode}): a smaller quota admits no training pod` });
    if (eks.gpuQuota > perNode * eks.maxNodes) {
      ctx.addIssue({
        code: 'custom',
        path: ['gpuQuota'],
        message: `at most maxNodes × GPUs per node (${eks.maxNodes} × ${perNode} = ${eks.maxNodes * perNode}): the node group cannot hold more`,
      });
    }
  });
export type EksTrainingConfig = z.infer<typeof eksTrainingConfigSchema>;

/** GPUs of one node of the group (all its instance types have the same count). */
export function gpusPerTrainingNode(eks: Pick<EksTrainingConfig, 'instanceTypes'>): number {
  return EKS_TRAINING_GPUS_PER_INSTANCE[eks.instanceTypes[0]] ?? 0;
}
