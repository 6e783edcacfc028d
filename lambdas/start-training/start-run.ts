import { SearchCommand, type SageMakerClient, type SearchCommandInput } from '@aws-sdk/client-sagemaker';
import { DescribeExecutionCommand, ListExecutionsCommand, type SFNClient, StartExecutionCommand } from '@aws-sdk/client-sfn';
import { checkGuardrails, gpuHoursUsed, runIdentity, startOfMonthUtc, type TrainingJobUsage } from '../../lib/training';
import type { StartTrainingConfig } from './start-training-config';
import type { ParsedTrigger } from './trigger-event';

export interface StartRunDeps {
  readonly sfn: SFNClient;
  readonly sagemaker: SageMakerClient;
  readonly config: StartTrainingConfig;
  readonly now: () => Date;
}

export type StartOutcome =
  | { readonly outcome: 'started'; readonly model: string; readonly runId: string; readonly executionArn: string; readonly gpuHoursThisMonth: number }
  | { readonly outcome: 'duplicate'; readonly model: string; readonly runId: string; readonly executionArn: string }
  | { readonly outcome: 'refused'; readonly model: string; readonly limit: string; readonly reason: string; readonly gpuHoursThisMonth?: number };

/**
 * Starts one training run for a trigger, unless a guardrail refuses it. In order: the trigger's execution already
 * exists (a redelivered event, a repeated request) → nothing starts; too many runs of the model running → refused;
 * the month's GPU-hours plus one more run over the cap → refused; otherwise StartExecution under the trigger's
 * deterministic name, so two deliveries racing past the first check still start one execution.
 */
export async function startRun(deps: StartRunDeps, parsed: ParsedTrigger): Promise<StartOutcome> {
  const { config } = deps;
  const model = config.models[parsed.model];
  if (model === undefined) {
    return {
      outcome: 'refused',
      model: parsed.model,
      limit: 'unknown-model',
      reason: `model ${parsed.model} is not trained in ${config.environment} (trained: ${Object.keys(config.models).join(', ')})`,
    };
  }
  const identity = runIdentity(config.environment, parsed.model, parsed.trigger);
  const executionArn = executionArnOf(model.stateMachineArn, identity.executionName);
  if (await executionExists(deps.sfn, executionArn)) return { outcome: 'duplicate', model: parsed.model, runId: identity.runId, executionArn };

  const runningExecutions = await countRunning(deps.sfn, model.stateMachineArn);
  const now = deps.now();
  const jobs = await trainingJobsSince(deps.sagemaker, config.environment, parsed.model, startOfMonthUtc(now));
  const gpuHoursThisMonth = gpuHoursUsed(jobs, now);
  const decision = checkGuardrails({
    model: parsed.model,
    runningExecutions,
    maxConcurrentRuns: model.maxConcurrentRuns,
    gpuHoursUsedThisMonth: gpuHoursThisMonth,
    gpuHoursPerRun: model.gpuHoursPerRun,
    monthlyGpuHourCap: model.monthlyGpuHourCap,
  });
  if (!decision.allowed) return { outcome: 'refused', model: parsed.model, limit: decision.limit, reason: decision.reason, gpuHoursThisMonth };

  const input = JSON.stringify({ runId: identity.runId, trigger: parsed.trigger.kind, reason: parsed.reason, ...parsed.overrides });
  try {
    const started = await deps.sfn.send(new StartExecutionCommand({ stateMachineArn: model.stateMachineArn, name: identity.executionName, input }));
    return { outcome: 'started', model: parsed.model, runId: identity.runId, executionArn: started.executionArn ?? executionArn, gpuHoursThisMonth };
  } catch (error) {
    // Another delivery started it between our check and this call (or it ran and closed): still one run.
    if ((error as { name?: string }).name === 'ExecutionAlreadyExists')
      return { outcome: 'duplicate', model: parsed.model, runId: identity.runId, executionArn };
    throw error;
  }
}

/** `arn:…:stateMachine:<name>` → `arn:…:execution:<name>:<execution>`. */
export function executionArnOf(stateMachineArn: string, executionName: string): string {
  return `${stateMachineArn.replace(':stateMachine:', ':execution:')}:${executionName}`;
}

async function executionExists(sfn: SFNClient, executionArn: string): Promise<boolean> {
  try {
    await sfn.send(new DescribeExecutionCommand({ executionArn }));
    return true;
  } catch (error) {
    if ((error as { name?: string }).name === 'ExecutionDoesNotExist') return false;
    throw error;
  }
}

async function countRunning(sfn: SFNClient, stateMachineArn: string): Promise<number> {
  let count = 0;
  let nextToken: string | undefined;
  do {
    const page = await sfn.send(new ListExecutionsCommand({ stateMachineArn, statusFilter: 'RUNNING', maxResults: 100, nextToken }));
    count += page.executions?.length ?? 0;
    nextToken = page.nextToken;
  } while (nextToken);
  return count;
}

/** This environment's jobs of the model created since `since`, found by the tags the pipeline puts on every job. */
async function trainingJobsSince(sagemaker: SageMakerClient, environment: string, model: string, since: Date): Promise<TrainingJobUsage[]> {
  const jobs: TrainingJobUsage[] = [];
  let nextToken: string | undefined;
  do {
    const request: SearchCommandInput = {
      Resource: 'TrainingJob',
      SearchExpression: {
        Filters: [
          { Name: 'Tags.Environment', Operator: 'Equals', Value: environment },
          { Name: 'Tags.Model', Operator: 'Equals', Value: model },
          { Name: 'CreationTime', Operator: 'GreaterThanOrEqualTo', Value: since.toISOString() },
        ],
      },
      MaxResults: 100,
      NextToken: nextToken,
    };
    const page = await sagemaker.send(new SearchCommand(request));
    for (const result of page.Results ?? []) {
      const job = result.TrainingJob;
      if (job === undefined) continue;
      jobs.push({
        instanceCount: job.ResourceConfig?.InstanceCount ?? 1,
        billableTimeInSeconds: job.BillableTimeInSeconds,
        trainingStartTime: job.TrainingStartTime,
        trainingEndTime: job.TrainingEndTime,
      });
    }
    nextToken = page.NextToken;
  } while (nextToken);
  return jobs;
}
