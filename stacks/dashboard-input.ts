import type { DashboardInput } from '../constructs/operations/dashboards';
import type { EnvironmentConfig } from '../lib/config';
import { contractRegistry } from '../lib/contracts';
import { decideEnvironment, SERVING_IMAGE_ARCHITECTURE } from '../lib/decision';
import { servingFunctionName, stackNameOf } from './stack-names';

/** The dashboards' input for one environment: the serving decisions, datasets, feature groups and drift models. */
export function dashboardInputOf(environmentName: string, config: EnvironmentConfig): DashboardInput {
  const decisions = decideEnvironment(config, { architecture: SERVING_IMAGE_ARCHITECTURE });
  return {
    environment: environmentName,
    region: config.region,
    models: decisions.models.map(({ modelName, decision }) => ({
      modelName,
      target: decision.target,
      p99LatencyMs: config.models.find((model) => model.name === modelName)!.traffic.p99LatencyMs,
      lambdaFunctionName: decision.target === 'lambda' ? servingFunctionName(stackNameOf(environmentName, 'serving'), modelName) : undefined,
    })),
    datasets: [...contractRegistry.keys()],
    featureGroups: config.featureGroups.map((group) => group.name),
    platformStackName: stackNameOf(environmentName, 'platform'),
    driftModels: config.models.filter((model) => model.drift !== undefined).map((model) => model.name),
    trainedModels: (config.training?.models ?? []).map((model) => ({ modelName: model.model, monthlyGpuHourCap: model.monthlyGpuHourCap })),
  };
}
