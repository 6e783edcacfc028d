/** The stacks of one environment: `mlops-<env>-<layer>`. */
export type StackLayer = 'data' | 'network' | 'operations' | 'platform' | 'serving' | 'training';

export function stackNameOf(environmentName: string, layer: StackLayer): string {
  return `mlops-${environmentName}-${layer}`;
}
