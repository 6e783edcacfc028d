import type { PriceId } from './pricing';
import type { Architecture } from './types';

/** Valid Fargate task sizes: vCPU and the memory (MiB) each allows (https://docs.aws.amazon.com/AmazonECS/latest/developerguide/fargate-tasks-services.html#fargate-tasks-size). */
export interface FargateTaskSize {
  readonly vcpu: number;
  readonly memoryMiB: readonly number[];
}

function range(fromMiB: number, toMiB: number, stepMiB: number): number[] {
  const values: number[] = [];
  for (let mib = fromMiB; mib <= toMiB; mib += stepMiB) values.push(mib);
  return values;
}

export const FARGATE_TASK_SIZES: readonly FargateTaskSize[] = [
  { vcpu: 0.25, memoryMiB: [512, 1024, 2048] },
  { vcpu: 0.5, memoryMiB: range(1024, 4096, 1024) },
  { vcpu: 1, memoryMiB: range(2048, 8192, 1024) },
  { vcpu: 2, memoryMiB: range(4096, 16384, 1024) },
  { vcpu: 4, memoryMiB: range(8192, 30720, 1024) },
  { vcpu: 8, memoryMiB: range(16384, 61440, 4096) },
  { vcpu: 16, memoryMiB: range(32768, 122880, 8192) },
];

export interface NodeType {
  readonly instanceType: string;
  readonly vcpu: number;
  readonly memoryMiB: number;
  readonly gpus: number;
  readonly architecture: Architecture;
  readonly priceId: PriceId;
}

/** EC2 node types the EKS option may use, from the pricing table (https://aws.amazon.com/ec2/instance-types/). */
export const NODE_TYPES: readonly NodeType[] = [
  { instanceType: 'c7g.xlarge', vcpu: 4, memoryMiB: 8192, gpus: 0, architecture: 'arm64', priceId: 'ec2C7gXlarge' },
  { instanceType: 'm7g.xlarge', vcpu: 4, memoryMiB: 16384, gpus: 0, architecture: 'arm64', priceId: 'ec2M7gXlarge' },
  { instanceType: 'c6i.xlarge', vcpu: 4, memoryMiB: 8192, gpus: 0, architecture: 'x86_64', priceId: 'ec2C6iXlarge' },
  { instanceType: 'g6.xlarge', vcpu: 4, memoryMiB: 16384, gpus: 1, architecture: 'x86_64', priceId: 'ec2G6Xlarge' },
  { instanceType: 'g5.xlarge', vcpu: 4, memoryMiB: 16384, gpus: 1, architecture: 'x86_64', priceId: 'ec2G5Xlarge' },
];
