import type { TargetSizing } from './types';

/** One line that says how a target is sized, for tables and the CLI. */
export function describeSizing(sizing: TargetSizing): string {
  switch (sizing.target) {
    case 'lambda':
      return `${sizing.architecture}, ${sizing.memoryMb} MB, reserved concurrency ${sizing.reservedConcurrency}, provisioned ${sizing.provisionedConcurrency}`;
    case 'fargate':
      return `${sizing.architecture}, ${sizing.taskCpuUnits / 1024} vCPU / ${sizing.taskMemoryMiB} MiB tasks, ${sizing.minTasks}-${sizing.maxTasks} tasks (priced ${sizing.pricedTasks})`;
    case 'eks':
      return (
        `${sizing.clusterMode}, ${sizing.nodeInstanceType}, pods ${sizing.pod.cpuRequestMillicores}m / ${sizing.pod.memoryRequestMiB} MiB` +
        `${sizing.gpuPerPod ? ` / ${sizing.gpuPerPod} GPU` : ''}, ${sizing.minReplicas}-${sizing.maxReplicas} replicas (priced ${sizing.pricedReplicas}), ${sizing.minNodes}-${sizing.maxNodes} nodes`
      );
  }
}
