// The drift loop's last hop, at the handler: the PutEvents entry the drift detector builds (lambdas/drift-detector,
// the shared lib/events schema) is delivered as EventBridge delivers it to the rule's target and handed to
// start-training's exported Lambda handler. Step Functions and SageMaker answer in their documented shapes
// (aws-sdk-client-mock): one run starts, under the drift trigger's deterministic execution name, and a redelivery starts none.
import { SageMakerClient, SearchCommand } from '@aws-sdk/client-sagemaker';
import { DescribeExecutionCommand, ExecutionDoesNotExist, ListExecutionsCommand, SFNClient, StartExecutionCommand } from '@aws-sdk/client-sfn';
import type { Context } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { driftDetectedDetail, driftDetectedEntry } from '../../../../lambdas/drift-detector/drift-event';
import { runIdentity } from '../../../../lib/training';
import { deliveredEvent, putEventsProblems } from '../../../support/eventbridge-put-events';

const STATE_MACHINE = 'arn:aws:states:us-east-1:111122223333:stateMachine:mlops-dev-training-churn-classifier';
const CONFIG = {
  environment: 'dev',
  models: { 'churn-classifier': { stateMachineArn: STATE_MACHINE, maxConcurrentRuns: 1, monthlyGpuHourCap: 20, gpuHoursPerRun: 2 } },
};
const context = { functionName: 'StartTraining', awsRequestId: 'req-1' } as Context;

const sfn = mockClient(SFNClient);
const sagemaker = mockClient(SageMakerClient);
type Handler = (event: unknown, context: Context) => Promise<Record<string, unknown>>;
let handler: Handler;
const saved = process.env.START_TRAINING_CONFIG;

/** The entry the detector puts for a drifted window of churn-classifier version 7, as EventBridge delivers it. */
function emittedDriftEvent(environment = 'dev') {
  const detail = driftDetectedDetail({
    environment,
    model: 'churn-classifier',
    version: '7',
    window: { start: new Date('2026-11-20T10:00:00Z'), end: new Date('2026-11-20T11:00:00Z') },
    thresholds: { psiThreshold: 0.2, ksStatistic: 0.1, minSamples: 200 },
    drifted: [{ feature: 'tenure_months', psi: 0.31, ksStatistic: 0.18, samples: 1200 }],
  });
  const entry = driftDetectedEntry(detail, 'default');
  expect(putEventsProblems({ Entries: [entry] })).toEqual([]);
  return { detail, event: deliveredEvent(entry, '111122223333') };
}

beforeAll(() => {
  process.env.START_TRAINING_CONFIG = JSON.stringify(CONFIG);
  // The module reads its config at init; required here (not isolated) so it uses the SDK classes mocked above.
  handler = (require('../../../../lambdas/start-training/handler') as { handler: Handler }).handler;
});
afterAll(() => {
  if (saved === undefined) delete process.env.START_TRAINING_CONFIG;
  else process.env.START_TRAINING_CONFIG = saved;
});

beforeEach(() => {
  sfn.reset();
  sagemaker.reset();
  sfn.on(DescribeExecutionCommand).rejects(new ExecutionDoesNotExist({ message: 'Execution Does Not Exist', $metadata: {} }));
  sfn.on(ListExecutionsCommand).resolves({ executions: [] });
  sfn
    .on(StartExecutionCommand)
    .callsFake((input) => ({ executionArn: `${STATE_MACHINE.replace(':stateMachine:', ':execution:')}:${input.name}`, startDate: new Date() }));
  sagemaker.on(SearchCommand).resolves({ Results: [] });
  // EMF metrics go to stdout; keep them out of the test log.
  jest.spyOn(process.stdout, 'write').mockImplementation(() => true);
});
afterEach(() => jest.restoreAllMocks());

describe('start-training handler on the event the drift detector emits', () => {
  test('starts one execution named after the detection, with the drift trigger in its input', async () => {
    const { detail, event } = emittedDriftEvent();
    const identity = runIdentity('dev', 'churn-classifier', { kind: 'drift', detectionId: detail.detectionId });
    const outcome = await handler(event, context);
    expect(outcome).toEqual({
      outcome: 'started',
      model: 'churn-classifier',
      runId: identity.runId,
      executionArn: `arn:aws:states:us-east-1:111122223333:execution:mlops-dev-training-churn-classifier:${identity.executionName}`,
      gpuHoursThisMonth: 0,
    });
    const starts = sfn.commandCalls(StartExecutionCommand);
    expect(starts).toHaveLength(1);
    expect(starts[0].args[0].input).toMatchObject({ stateMachineArn: STATE_MACHINE, name: identity.executionName });
    expect(starts[0].args[0].input.name).toMatch(/^[A-Za-z0-9_-]{1,80}$/);
    expect(JSON.parse(starts[0].args[0].input.input!)).toEqual({
      runId: identity.runId,
      trigger: 'drift',
      reason: 'drift of version 7 (tenure_months) detected 2026-11-20T11:00:00.000Z',
    });
  });

  test('a redelivery of the same event (its execution exists) starts nothing', async () => {
    const { event } = emittedDriftEvent();
    const first = await handler(event, context);
    sfn
      .on(DescribeExecutionCommand)
      .resolves({ executionArn: String(first.executionArn), stateMachineArn: STATE_MACHINE, status: 'RUNNING', startDate: new Date() });
    expect(await handler(event, context)).toMatchObject({ outcome: 'duplicate', runId: first.runId });
    expect(sfn.commandCalls(StartExecutionCommand)).toHaveLength(1);
  });

  test('a DriftDetected of another environment is refused as invalid, and nothing is called', async () => {
    const { event } = emittedDriftEvent('prod');
    expect(await handler(event, context)).toEqual({ outcome: 'invalid', reason: 'DriftDetected for environment prod; this function starts training in dev' });
    expect(sfn.calls()).toHaveLength(0);
  });

  test('concurrency: with maxConcurrentRuns executions running, the drift event is refused with the reason and nothing starts', async () => {
    sfn.on(ListExecutionsCommand).resolves({
      executions: [{ executionArn: `${STATE_MACHINE}:other`, stateMachineArn: STATE_MACHINE, name: 'other', status: 'RUNNING', startDate: new Date() }],
    });
    expect(await handler(emittedDriftEvent().event, context)).toMatchObject({
      outcome: 'refused',
      limit: 'concurrency',
      reason: expect.stringContaining('maxConcurrentRuns is 1'),
    });
    expect(sfn.commandCalls(StartExecutionCommand)).toHaveLength(0);
  });

  test("GPU-hour cap: this month's billable hours plus one more run over the cap refuse the drift event, naming the figures", async () => {
    const job = { TrainingJobName: 'j', TrainingJobArn: 'arn:aws:sagemaker:us-east-1:111122223333:training-job/j', TrainingJobStatus: 'Completed' as const };
    sagemaker.on(SearchCommand).resolves({
      Results: [
        {
          TrainingJob: {
            ...job,
            ResourceConfig: { InstanceType: 'ml.g4dn.xlarge', InstanceCount: 2, VolumeSizeInGB: 50 },
            BillableTimeInSeconds: 9.5 * 3600,
          },
        },
      ],
    });
    expect(await handler(emittedDriftEvent().event, context)).toMatchObject({
      outcome: 'refused',
      limit: 'monthly-gpu-hours',
      gpuHoursThisMonth: 19,
      reason: expect.stringContaining('over monthlyGpuHourCap 20'),
    });
    expect(sfn.commandCalls(StartExecutionCommand)).toHaveLength(0);
  });
});
