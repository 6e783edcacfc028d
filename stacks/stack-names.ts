/** The stacks of one environment: `mlops-<env>-<layer>`. */
export type StackLayer = 'data' | 'network' | 'operations' | 'platform' | 'serving' | 'training';

export function stackNameOf(environmentName: string, layer: StackLayer): string {
  return `mlops-${environmentName}-${layer}`;
}

/** Physical name of a Lambda-served model's function: dashboards name its AWS/Lambda metrics before it exists. */
export function servingFunctionName(servingStackName: string, modelName: string): string {
  return `${servingStackName}-${modelName}`;
}
