import * as dashboard from '@grafana/grafana-foundation-sdk/dashboard';
import { METRICS_NAMESPACE } from '../../../lambdas/shared/powertools';
import {
  START_TRAINING_METRICS,
  TRAINING_EXECUTION_METRICS as SFN,
  TRAINING_MODEL_DIMENSION,
  TRAINING_SERVICES,
  TRAINING_STEP_METRICS,
  trainingStateMachineName,
} from '../../../lib/training/training-metrics';
import { SERVICE_DIMENSION } from '../emitted-metrics';
import type { DashboardInput } from './dashboard-input';
import { cloudWatchExpression, cloudWatchPanel, type CloudWatchQuery } from './panels';

/**
 * Training per trained model: executions of its state machine and how they end, run duration, GPU hours against the
 * monthly cap, evaluation-gate outcomes and what start-training did with each trigger. Step Functions names a state
 * machine's metrics by its full ARN (account and region known only at deploy), so those panels SEARCH for the state
 * machine's name inside the StateMachineArn dimension.
 */
export function trainingDashboard(input: DashboardInput): dashboard.DashboardBuilder {
  const builder = new dashboard.DashboardBuilder(`Training (${input.environment})`)
    .uid(`mlops-${input.environment}-training`)
    .tags(['mlops', input.environment, 'training'])
    .refresh('15m')
    .time({ from: 'now-30d', to: 'now' })
    .timezone('utc');
  for (const { modelName, monthlyGpuHourCap } of input.trainedModels ?? []) {
    builder.withRow(new dashboard.RowBuilder(`Model: ${modelName}`));
    const stateMachine = trainingStateMachineName(input.environment, modelName);
    const executions = (metricName: string, statistic: string, refId: string) =>
      cloudWatchExpression(
        refId,
        `SEARCH('{${SFN.namespace},${SFN.dimension}} MetricName="${metricName}" ${SFN.dimension}="${stateMachine}"', '${statistic}')`,
        metricName,
      );
    const custom = (service: string, metricName: string, statistic: string, label: string): CloudWatchQuery => ({
      namespace: METRICS_NAMESPACE,
      metricName,
      dimensions: { [SERVICE_DIMENSION]: service, [TRAINING_MODEL_DIMENSION]: modelName },
      statistic,
      label,
    });
    builder.withPanel(
      cloudWatchPanel(
        {
          title: `${modelName}: executions`,
          question: 'Are training runs starting, and how do they end (succeeded, failed, timed out, aborted)?',
          unit: 'short',
        },
        [],
        input.region,
        [
          executions(SFN.started, 'Sum', 'A'),
          executions(SFN.succeeded, 'Sum', 'B'),
          executions(SFN.failed, 'Sum', 'C'),
          executions(SFN.timedOut, 'Sum', 'D'),
          executions(SFN.aborted, 'Sum', 'E'),
        ],
      ),
    );
    builder.withPanel(
      cloudWatchPanel(
        { title: `${modelName}: run duration`, question: 'How long does a run take from trigger to registration, training included?', unit: 'ms' },
        [],
        input.region,
        [executions(SFN.duration, 'Average', 'A'), executions(SFN.duration, 'Maximum', 'B')],
      ),
    );
    builder.withPanel(
      cloudWatchPanel(
        {
          title: `${modelName}: GPU hours this month (cap ${monthlyGpuHourCap} h)`,
          question: `How close is the model to its monthly cap of ${monthlyGpuHourCap} GPU instance-hours?`,
          unit: 'h',
        },
        [custom(TRAINING_SERVICES.startTraining, START_TRAINING_METRICS.gpuHoursThisMonth, 'Maximum', 'GPU hours used this month')],
        input.region,
      ),
    );
    builder.withPanel(
      cloudWatchPanel(
        { title: `${modelName}: evaluation gate`, question: 'Do trained models pass the evaluation gate, or fail it (nothing registered)?', unit: 'short' },
        [
          custom(TRAINING_SERVICES.trainingSteps, TRAINING_STEP_METRICS.gatePasses, 'Sum', 'gate passed'),
          custom(TRAINING_SERVICES.trainingSteps, TRAINING_STEP_METRICS.gateFailures, 'Sum', 'gate failed'),
          custom(TRAINING_SERVICES.trainingSteps, TRAINING_STEP_METRICS.invalidInputs, 'Sum', 'invalid input'),
        ],
        input.region,
      ),
    );
    builder.withPanel(
      cloudWatchPanel(
        {
          title: `${modelName}: triggers`,
          question: 'Did triggers start runs, or were they refused by a guardrail or recognised as duplicates?',
          unit: 'short',
        },
        [
          custom(TRAINING_SERVICES.startTraining, START_TRAINING_METRICS.runsStarted, 'Sum', 'runs started'),
          custom(TRAINING_SERVICES.startTraining, START_TRAINING_METRICS.runsRefused, 'Sum', 'refused by a guardrail'),
          custom(TRAINING_SERVICES.startTraining, START_TRAINING_METRICS.duplicateTriggers, 'Sum', 'duplicate triggers'),
        ],
        input.region,
      ),
    );
  }
  return builder;
}
