import fc from 'fast-check';
import {
  DATASETS_PREFIX,
  datasetObjectKey,
  inferenceCaptureKey,
  inferenceCapturePrefix,
  materializationFailureKey,
  materializationProgressKey,
  modelVersionPrefix,
  offlineStoreObjectKey,
  parseDatasetObjectKey,
  quarantineObjectKey,
  trainingCheckpointPrefix,
} from '../../../../lib/lakehouse';

const object = { dataset: 'customer-events', ingestDate: '2024-03-01', sourceObjectId: 'events-0a1b2c3d' };

describe('the lakehouse layout', () => {
  it('names silver files by dataset and ingest date partitions', () => {
    expect(datasetObjectKey(object)).toBe('datasets/dataset=customer-events/ingest_date=2024-03-01/events-0a1b2c3d.parquet');
    expect(quarantineObjectKey(object)).toBe('quarantine/dataset=customer-events/ingest_date=2024-03-01/events-0a1b2c3d.jsonl');
    expect(quarantineObjectKey(object, 'rejected/rows/')).toBe('rejected/rows/dataset=customer-events/ingest_date=2024-03-01/events-0a1b2c3d.jsonl');
  });

  it('reads back exactly the keys it writes under datasets/, and nothing else', () => {
    const segment = fc.stringMatching(/^[A-Za-z0-9_-]{1,40}$/);
    const date = fc.date({ min: new Date('1970-01-01'), max: new Date('9999-12-31'), noInvalidDate: true }).map((d) => d.toISOString().slice(0, 10));
    fc.assert(
      fc.property(segment, date, segment, (dataset, ingestDate, sourceObjectId) => {
        const written = { dataset, ingestDate, sourceObjectId };
        expect(parseDatasetObjectKey(datasetObjectKey(written))).toEqual(written);
        expect(parseDatasetObjectKey(quarantineObjectKey(written))).toBeUndefined();
        expect(parseDatasetObjectKey(materializationFailureKey('g', written))).toBeUndefined();
        expect(parseDatasetObjectKey(materializationProgressKey('g', written))).toBeUndefined();
      }),
    );
  });

  it('keeps reports, progress markers and capture outside the prefix that triggers materialization', () => {
    for (const key of [
      materializationFailureKey('customer-churn-features', object),
      materializationProgressKey('customer-churn-features', object),
      inferenceCaptureKey('churn-classifier', '3', '2024-03-01', 'part-0001.jsonl.gz'),
    ]) {
      expect(key.startsWith(DATASETS_PREFIX)).toBe(false);
    }
    expect(materializationFailureKey('customer-churn-features', object)).toBe(
      'materialization-failures/feature-group=customer-churn-features/dataset=customer-events/ingest_date=2024-03-01/events-0a1b2c3d.jsonl',
    );
  });

  it('lays out capture, training artifacts and the serving repository per model and version', () => {
    expect(inferenceCapturePrefix('churn-classifier')).toBe('inference-capture/churn-classifier/');
    expect(inferenceCapturePrefix('churn-classifier', '3', '2024-03-01')).toBe('inference-capture/churn-classifier/3/dt=2024-03-01/');
    expect(trainingCheckpointPrefix('churn-classifier', 'run-7')).toBe('model-artifacts/churn-classifier/checkpoints/run-7/');
    expect(modelVersionPrefix('models/', 'churn-classifier', '3')).toBe('models/churn-classifier/3/');
  });

  it("names offline-store files the way Feature Store does: hourly event-time partitions, '<latest event time>_<16 alphanumerics>.parquet'", () => {
    const key = offlineStoreObjectKey(
      'feature-store/123456789012/sagemaker/us-east-1/offline-store/customer-churn-features-1593511200/data',
      new Date('2020-06-30T07:00:00Z'),
      new Date('2020-06-30T07:44:01.250Z'),
      '108934320012Az11',
    );
    expect(key).toBe(
      'feature-store/123456789012/sagemaker/us-east-1/offline-store/customer-churn-features-1593511200/data/year=2020/month=06/day=30/hour=07/20200630T074401Z_108934320012Az11.parquet',
    );
    expect(() => offlineStoreObjectKey('data/', new Date(0), new Date(0), 'short')).toThrow('16 letters or digits');
  });
});
