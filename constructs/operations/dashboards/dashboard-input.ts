/** What the dashboards of one environment are generated from: its serving decisions and its data path. */
export interface DashboardInput {
  /** Environment name: in titles and uids. */
  readonly environment: string;
  /** Region of the CloudWatch queries. @default - the data source's default region */
  readonly region?: string;
  /** Every served model, with the target the decision matrix chose and its p99 SLO. */
  readonly models: ReadonlyArray<{
    readonly modelName: string;
    readonly target: 'lambda' | 'fargate' | 'eks';
    readonly p99LatencyMs: number;
    /** The Lambda function's name, for a Lambda target (its `live` alias metrics in AWS/Lambda). */
    readonly lambdaFunctionName?: string;
  }>;
  /** Datasets ingested to silver (contract names). */
  readonly datasets: readonly string[];
  /** Feature groups written by materialize-features. */
  readonly featureGroups: readonly string[];
  /**
   * Name of the stack holding the platform functions: their dead-letter queues are found by a CloudWatch SEARCH on
   * queue names starting with it (CloudFormation names queues `<stack>-<id>-<suffix>`).
   */
  readonly platformStackName: string;
  /** Models the drift detector watches. */
  readonly driftModels: readonly string[];
  /** Models with a GPU training pipeline, with their monthly GPU-hour cap. @default - none (no training dashboard) */
  readonly trainedModels?: ReadonlyArray<{ readonly modelName: string; readonly monthlyGpuHourCap: number }>;
}
