import { SageMakerClient, SearchCommand } from '@aws-sdk/client-sagemaker';
import {
  DescribeExecutionCommand,
  ExecutionAlreadyExists,
  ExecutionDoesNotExist,
  ListExecutionsCommand,
  SFNClient,
  StartExecutionCommand,
} from '@aws-sdk/client-sfn';
import { mockClient } from 'aws-sdk-client-mock';
import { DRIFT_DETECTED_DETAIL_TYPE, PLATFORM_EVENT_SOURCE } from '../../../../lib/events';
import { runIdentity } from '../../../../lib/training';
import { startRun, type StartRunDeps } from '../../../../lambdas/start-training/start-run';
import { parseTrigger } from '../../../../lambdas/start-training/trigger-event';

const STATE_MACHINE = 'arn:aws:states:us-east-1:123456789012:stateMachine:mlops-dev-training-churn-classifier';
const sfnMock = mockClient(SFNClient);
const sagemakerMock = mockClient(SageMakerClient);
const now = new Date('2026-11-20T12:00:00Z');
const deps: StartRunDeps = {
  sfn: new SFNClient({ region: 'us-east-1' }),
  sagemaker: new SageMakerClient({ region: 'us-east-1' }),
  config: {
    environment: 'dev',
    models: { 'churn-classifier': { stateMachineArn: STATE_MACHINE, maxConcurrentRuns: 1, monthlyGpuHourCap: 20, gpuHoursPerRun: 2 } },
  },
  now: () => now,
};

/** A DriftDetected event as EventBridge delivers it (envelope + the v1 detail of lib/events). */
function driftEvent(detectionId = 'churn-classifier-7-2026-11-20T11') {
  return {
    version: '0',
    id: 'a8b3f6b4-1d5e-4c5a-9a64-2a2b9c0e0001',
    'detail-type': DRIFT_DETECTED_DETAIL_TYPE,
    source: PLATFORM_EVENT_SOURCE,
    account: '123456789012',
    time: '2026-11-20T11:05:00Z',
    region: 'us-east-1',
    resources: [],
    detail: {
      schemaVersion: '1',
      environment: 'dev',
      model: 'churn-classifier',
      modelVersion: '7',
      window: { start: '2026-11-20T10:00:00Z', end: '2026-11-20T11:00:00Z' },
      thresholds: { psiThreshold: 0.2, ksStatistic: 0.1, minSamples: 500 },
      driftedFeatures: [{ feature: 'tenure_months', psi: 0.31, ksStatistic: 0.18, samples: 1200 }],
      detectionId,
    },
  };
}

/** A SageMaker Search result for one training job, with the fields the API reference documents. */
function job(name: string, instanceCount: number, billableSeconds?: number, start?: string) {
  return {
    TrainingJob: {
      TrainingJobName: name,
      TrainingJobArn: `arn:aws:sagemaker:us-east-1:123456789012:training-job/${name}`,
      TrainingJobStatus: billableSeconds === undefined ? ('InProgress' as const) : ('Completed' as const),
      ResourceConfig: { InstanceType: 'ml.g4dn.xlarge' as const, InstanceCount: instanceCount, VolumeSizeInGB: 50 },
      BillableTimeInSeconds: billableSeconds,
      TrainingStartTime: start === undefined ? undefined : new Date(start),
      Tags: [
        { Key: 'Environment', Value: 'dev' },
        { Key: 'Model', Value: 'churn-classifier' },
      ],
    },
  };
}

beforeEach(() => {
  sfnMock.reset();
  sagemakerMock.reset();
  sfnMock.on(DescribeExecutionCommand).rejects(new ExecutionDoesNotExist({ message: 'Execution Does Not Exist', $metadata: {} }));
  sfnMock.on(ListExecutionsCommand).resolves({ executions: [] });
  sagemakerMock.on(SearchCommand).resolves({ Results: [] });
  sfnMock
    .on(StartExecutionCommand)
    .callsFake((input) => ({ executionArn: `${STATE_MACHINE.replace(':stateMachine:', ':execution:')}:${input.name}`, startDate: now }));
});

describe('start-training against the documented Step Functions and SageMaker request shapes', () => {
  test('a DriftDetected event starts one execution named after its detection, with the run id as input', async () => {
    const outcome = await startRun(deps, parseTrigger(driftEvent(), 'dev'));
    const identity = runIdentity('dev', 'churn-classifier', { kind: 'drift', detectionId: 'churn-classifier-7-2026-11-20T11' });
    expect(outcome).toEqual({
      outcome: 'started',
      model: 'churn-classifier',
      runId: identity.runId,
      executionArn: expect.stringContaining(`:execution:mlops-dev-training-churn-classifier:${identity.executionName}`),
      gpuHoursThisMonth: 0,
    });
    const start = sfnMock.commandCalls(StartExecutionCommand);
    expect(start).toHaveLength(1);
    expect(start[0].args[0].input).toEqual({ stateMachineArn: STATE_MACHINE, name: identity.executionName, input: expect.any(String) });
    expect(JSON.parse(start[0].args[0].input.input!)).toEqual({
      runId: identity.runId,
      trigger: 'drift',
      reason: expect.stringMatching(/^drift of version 7 \(tenure_months\) detected 2026-11-20T11:00:00Z$/),
    });
    expect(sfnMock.commandCalls(ListExecutionsCommand)[0].args[0].input).toEqual({
      stateMachineArn: STATE_MACHINE,
      statusFilter: 'RUNNING',
      maxResults: 100,
      nextToken: undefined,
    });
    expect(sagemakerMock.commandCalls(SearchCommand)[0].args[0].input).toEqual({
      Resource: 'TrainingJob',
      SearchExpression: {
        Filters: [
          { Name: 'Tags.Environment', Operator: 'Equals', Value: 'dev' },
          { Name: 'Tags.Model', Operator: 'Equals', Value: 'churn-classifier' },
          { Name: 'CreationTime', Operator: 'GreaterThanOrEqualTo', Value: '2026-11-01T00:00:00.000Z' },
        ],
      },
      MaxResults: 100,
      NextToken: undefined,
    });
  });

  test('a redelivered trigger starts nothing: its execution already exists', async () => {
    const first = await startRun(deps, parseTrigger(driftEvent(), 'dev'));
    sfnMock
      .on(DescribeExecutionCommand)
      .resolves({ executionArn: first.outcome === 'started' ? first.executionArn : '', status: 'RUNNING', stateMachineArn: STATE_MACHINE, startDate: now });
    const second = await startRun(deps, parseTrigger(driftEvent(), 'dev'));
    expect(second).toMatchObject({ outcome: 'duplicate', model: 'churn-classifier' });
    expect(sfnMock.commandCalls(StartExecutionCommand)).toHaveLength(1);
    expect(sfnMock.commandCalls(DescribeExecutionCommand)[1].args[0].input.executionArn).toBe(first.outcome === 'started' ? first.executionArn : 'x');
  });

  test('two deliveries racing past the check still make one run: ExecutionAlreadyExists is a duplicate', async () => {
    sfnMock.on(StartExecutionCommand).rejects(new ExecutionAlreadyExists({ message: 'Execution Already Exists', $metadata: {} }));
    expect(await startRun(deps, parseTrigger({ kind: 'manual', model: 'churn-classifier', requestId: 'r-1' }, 'dev'))).toMatchObject({ outcome: 'duplicate' });
  });

  test('concurrency: with maxConcurrentRuns running, the trigger is refused with the reason and nothing starts', async () => {
    sfnMock
      .on(ListExecutionsCommand)
      .resolves({ executions: [{ executionArn: `${STATE_MACHINE}:x`, stateMachineArn: STATE_MACHINE, name: 'x', status: 'RUNNING', startDate: now }] });
    const outcome = await startRun(deps, parseTrigger({ kind: 'schedule', model: 'churn-classifier', scheduledTime: '2026-11-20T03:00:00Z' }, 'dev'));
    expect(outcome).toEqual({
      outcome: 'refused',
      model: 'churn-classifier',
      limit: 'concurrency',
      reason: 'concurrency limit: 1 run(s) of churn-classifier already running, maxConcurrentRuns is 1 (training.models[].maxConcurrentRuns)',
      gpuHoursThisMonth: 0,
    });
    expect(sfnMock.commandCalls(StartExecutionCommand)).toHaveLength(0);
  });

  test("cap exceeded: this month's billable hours × instances plus one run over the cap is refused with the figures", async () => {
    // 8 h billed on 2 instances (16) + 1.5 h running on 1 instance = 17.5; one more run may take 2 → 19.5 ≤ 20 would pass;
    // a second page adds 1 h on 1 instance → 18.5 + 2 > 20: refused. Pages are followed.
    sagemakerMock
      .on(SearchCommand)
      .resolvesOnce({
        Results: [job('churn-classifier-a-0', 2, 8 * 3600), job('churn-classifier-b-0', 1, undefined, '2026-11-20T10:30:00Z')],
        NextToken: 'page-2',
      })
      .resolvesOnce({ Results: [job('churn-classifier-c-0', 1, 3600)] });
    const outcome = await startRun(deps, parseTrigger({ kind: 'manual', model: 'churn-classifier', requestId: 'r-2' }, 'dev'));
    expect(outcome).toEqual({
      outcome: 'refused',
      model: 'churn-classifier',
      limit: 'monthly-gpu-hours',
      reason:
        'monthly GPU-hour cap: churn-classifier used 18.5 GPU instance-hours this month and one more run may use 2, over monthlyGpuHourCap 20 (training.models[].monthlyGpuHourCap)',
      gpuHoursThisMonth: 18.5,
    });
    expect(sagemakerMock.commandCalls(SearchCommand)[1].args[0].input.NextToken).toBe('page-2');
    expect(sfnMock.commandCalls(StartExecutionCommand)).toHaveLength(0);
  });

  test('a manual request passes its overrides to the execution, which validates them', async () => {
    await startRun(
      deps,
      parseTrigger({ kind: 'manual', model: 'churn-classifier', requestId: 'r-3', hyperparameters: { epochs: '5' }, commitId: 'abc123' }, 'dev'),
    );
    expect(JSON.parse(sfnMock.commandCalls(StartExecutionCommand)[0].args[0].input.input!)).toMatchObject({
      trigger: 'manual',
      hyperparameters: { epochs: '5' },
      commitId: 'abc123',
      reason: 'manual request r-3',
    });
  });

  test('a model this environment does not train is refused, naming the trained ones', async () => {
    expect(await startRun(deps, parseTrigger({ kind: 'manual', model: 'fraud-scorer', requestId: 'r-4' }, 'dev'))).toEqual({
      outcome: 'refused',
      model: 'fraud-scorer',
      limit: 'unknown-model',
      reason: 'model fraud-scorer is not trained in dev (trained: churn-classifier)',
    });
  });
});

describe('trigger parsing', () => {
  test('a drift event of another environment is not a trigger here', () => {
    const event = driftEvent();
    event.detail.environment = 'prod';
    expect(() => parseTrigger(event, 'dev')).toThrow('DriftDetected for environment prod; this function starts training in dev');
  });

  test('anything else is refused with what a trigger looks like', () => {
    expect(() => parseTrigger({ kind: 'manual', model: 'churn-classifier' }, 'dev')).toThrow(/not a training trigger: .*requestId/);
    expect(() => parseTrigger({ ...driftEvent(), detail: { schemaVersion: '2' } }, 'dev')).toThrow(/not a DriftDetected event/);
  });
});
