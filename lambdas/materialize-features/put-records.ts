import { PutRecordCommand, type SageMakerFeatureStoreRuntimeClient, type TargetStore } from '@aws-sdk/client-sagemaker-featurestore-runtime';
import type { FeatureValue } from '../../lib/features';
import { retryWithBackoff, type BackoffOptions } from './backoff';
import { mapWithConcurrency } from './concurrency';
import { classifyPutError, errorMessage } from './put-errors';

export interface PlannedRecord {
  readonly rowNumber: number;
  readonly recordIdentifier: string;
  readonly record: readonly FeatureValue[];
}

export interface RecordFailure {
  readonly rowNumber: number;
  readonly recordIdentifier: string;
  readonly error: string;
}

export interface PutRecordsResult {
  readonly written: number;
  /** Retries spent on throttling and server faults, across all records. */
  readonly retries: number;
  /** Records Feature Store refused as invalid (ValidationError): reported, never retried. */
  readonly rejected: readonly RecordFailure[];
  /** Records still failing with a retryable error after every attempt: the caller must not acknowledge them. */
  readonly failed: readonly RecordFailure[];
}

export interface PutRecordsOptions {
  readonly concurrency: number;
  readonly backoff: BackoffOptions;
  /** Stores to write (PutRecord `TargetStores`). @default - both, as Feature Store does without the parameter */
  readonly targetStores?: readonly TargetStore[];
}

type Outcome =
  { readonly kind: 'written'; readonly retries: number } | { readonly kind: 'rejected' | 'failed'; readonly retries: number; readonly failure: RecordFailure };

/**
 * Writes records one PutRecord each (Feature Store has no batch put), at most `concurrency` in flight,
 * retrying throttling and server faults with backoff. An error that concerns the group rather than the
 * record (missing group, access denied) stops the writes and is thrown.
 */
export async function putRecords(
  client: SageMakerFeatureStoreRuntimeClient,
  featureGroupName: string,
  records: readonly PlannedRecord[],
  options: PutRecordsOptions,
): Promise<PutRecordsResult> {
  const outcomes = await mapWithConcurrency(records, options.concurrency, async (planned): Promise<Outcome> => {
    let retries = 0;
    const targetStores = options.targetStores ? { TargetStores: [...options.targetStores] } : {};
    const put = () => client.send(new PutRecordCommand({ FeatureGroupName: featureGroupName, Record: [...planned.record], ...targetStores }));
    try {
      await retryWithBackoff(
        put,
        (error) => classifyPutError(error) === 'retry',
        options.backoff,
        () => retries++,
      );
      return { kind: 'written', retries };
    } catch (error) {
      const handling = classifyPutError(error);
      if (handling === 'abort') throw error;
      const failure = { rowNumber: planned.rowNumber, recordIdentifier: planned.recordIdentifier, error: errorMessage(error) };
      return { kind: handling === 'reject' ? 'rejected' : 'failed', retries, failure };
    }
  });
  return {
    written: outcomes.filter((outcome) => outcome.kind === 'written').length,
    retries: outcomes.reduce((sum, outcome) => sum + outcome.retries, 0),
    rejected: outcomes.flatMap((outcome) => (outcome.kind === 'rejected' ? [outcome.failure] : [])),
    failed: outcomes.flatMap((outcome) => (outcome.kind === 'failed' ? [outcome.failure] : [])),
  };
}
