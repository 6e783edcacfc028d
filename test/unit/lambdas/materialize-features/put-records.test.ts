import {
  AccessForbidden,
  InternalFailure,
  PutRecordCommand,
  ResourceNotFound,
  SageMakerFeatureStoreRuntimeClient,
  SageMakerFeatureStoreRuntimeServiceException,
  ServiceUnavailable,
  ValidationError,
} from '@aws-sdk/client-sagemaker-featurestore-runtime';
import { mockClient } from 'aws-sdk-client-mock';
import { classifyPutError } from '../../../../lambdas/materialize-features/put-errors';
import { putRecords, type PlannedRecord } from '../../../../lambdas/materialize-features/put-records';

const featureStore = mockClient(SageMakerFeatureStoreRuntimeClient);
const client = new SageMakerFeatureStoreRuntimeClient({ region: 'us-east-1', credentials: { accessKeyId: 'x', secretAccessKey: 'x' } });
const options = { concurrency: 4, backoff: { maxAttempts: 3, baseDelayMs: 1, maxDelayMs: 2, sleep: async () => undefined } };
const metadata = { httpStatusCode: 400, requestId: 'req-1' };

/** How the SDK surfaces an unmodelled throttling error: a service exception named ThrottlingException, HTTP 400. */
const throttling = () =>
  new SageMakerFeatureStoreRuntimeServiceException({ name: 'ThrottlingException', $fault: 'client', $metadata: metadata, message: 'Rate exceeded' });
const validation = () => new ValidationError({ $metadata: metadata, message: 'Invalid value for feature tenure_months' });

function planned(count: number): PlannedRecord[] {
  return Array.from({ length: count }, (_, i) => ({
    rowNumber: i + 1,
    recordIdentifier: `C-${i + 1}`,
    record: [
      { FeatureName: 'customer_id', ValueAsString: `C-${i + 1}` },
      { FeatureName: 'event_time', ValueAsString: '2024-03-01T10:00:00.000Z' },
    ],
  }));
}

beforeEach(() => featureStore.reset());

describe('putRecords', () => {
  it('sends one PutRecord per record in the documented request shape', async () => {
    featureStore.on(PutRecordCommand).resolves({ $metadata: { httpStatusCode: 200 } });
    const result = await putRecords(client, 'customer-churn-features', planned(5), options);
    expect(result).toEqual({ written: 5, retries: 0, rejected: [], failed: [] });
    const calls = featureStore.commandCalls(PutRecordCommand);
    expect(calls).toHaveLength(5);
    // PutRecord request (API reference): FeatureGroupName, Record: [{FeatureName, ValueAsString}], optional TargetStores/TtlDuration.
    expect(calls[0].args[0].input).toStrictEqual({
      FeatureGroupName: 'customer-churn-features',
      Record: [
        { FeatureName: 'customer_id', ValueAsString: 'C-1' },
        { FeatureName: 'event_time', ValueAsString: '2024-03-01T10:00:00.000Z' },
      ],
    });
  });

  it('retries throttling and server faults, then writes the record', async () => {
    featureStore
      .on(PutRecordCommand)
      .rejectsOnce(throttling())
      .rejectsOnce(new ServiceUnavailable({ $metadata: { httpStatusCode: 503 }, message: 'try later' }))
      .resolves({});
    const result = await putRecords(client, 'customer-churn-features', planned(1), options);
    expect(result).toEqual({ written: 1, retries: 2, rejected: [], failed: [] });
    expect(featureStore.commandCalls(PutRecordCommand)).toHaveLength(3);
  });

  it('reports records that still fail after every attempt instead of dropping them', async () => {
    featureStore.on(PutRecordCommand, { Record: planned(2)[1].record.slice() }).rejects(throttling());
    featureStore.on(PutRecordCommand, { Record: planned(1)[0].record.slice() }).resolves({});
    const result = await putRecords(client, 'customer-churn-features', planned(2), options);
    expect(result.written).toBe(1);
    expect(result.retries).toBe(2);
    expect(result.failed).toEqual([{ rowNumber: 2, recordIdentifier: 'C-2', error: 'ThrottlingException: Rate exceeded' }]);
    expect(featureStore.commandCalls(PutRecordCommand)).toHaveLength(1 + options.backoff.maxAttempts);
  });

  it('rejects invalid records without retrying them', async () => {
    featureStore.on(PutRecordCommand).rejects(validation());
    const result = await putRecords(client, 'customer-churn-features', planned(2), options);
    expect(result.rejected).toEqual([
      { rowNumber: 1, recordIdentifier: 'C-1', error: 'ValidationError: Invalid value for feature tenure_months' },
      { rowNumber: 2, recordIdentifier: 'C-2', error: 'ValidationError: Invalid value for feature tenure_months' },
    ]);
    expect(result.written + result.rejected.length + result.failed.length).toBe(2);
    expect(featureStore.commandCalls(PutRecordCommand)).toHaveLength(2);
  });

  it('stops and throws when the group itself is unusable', async () => {
    featureStore.on(PutRecordCommand).rejects(new ResourceNotFound({ $metadata: metadata, message: 'Feature group customer-churn-features not found' }));
    await expect(putRecords(client, 'customer-churn-features', planned(50), { ...options, concurrency: 2 })).rejects.toThrow('not found');
    expect(featureStore.commandCalls(PutRecordCommand).length).toBeLessThanOrEqual(2);
  });
});

describe('classifyPutError', () => {
  it.each([
    ['ThrottlingException', 'retry', throttling()],
    ['ServiceUnavailable', 'retry', new ServiceUnavailable({ $metadata: { httpStatusCode: 503 }, message: '' })],
    ['InternalFailure', 'retry', new InternalFailure({ $metadata: { httpStatusCode: 500 }, message: '' })],
    ['HTTP 502 without a name', 'retry', Object.assign(new Error('bad gateway'), { $metadata: { httpStatusCode: 502 } })],
    ['socket reset', 'retry', Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' })],
    ['ValidationError', 'reject', validation()],
    ['AccessForbidden', 'abort', new AccessForbidden({ $metadata: { httpStatusCode: 403 }, message: '' })],
    ['ResourceNotFound', 'abort', new ResourceNotFound({ $metadata: metadata, message: '' })],
    ['a string', 'abort', 'oops'],
  ])('%s → %s', (_label, expected, error) => {
    expect(classifyPutError(error)).toBe(expected);
  });
});
