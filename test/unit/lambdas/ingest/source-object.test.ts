import { PoisonObjectError } from '../../../../lambdas/ingest/errors';
import { describeSourceObject, quarantineKey, silverParquetKey } from '../../../../lambdas/ingest/source-object';

const ref = { bucket: 'bronze', key: 'customer-events/2026/05/01/batch 7.csv', versionId: 'v1', etag: 'abc', createdAt: new Date('2026-05-01T23:59:00Z') };

describe('describeSourceObject', () => {
  it('reads dataset, format and ingest date, and derives silver keys', () => {
    const source = describeSourceObject(ref);
    expect(source).toMatchObject({ dataset: 'customer-events', format: 'csv', ingestDate: '2026-05-01' });
    expect(source.sourceObjectId).toMatch(/^batch_7-[0-9a-f]{20}$/);
    expect(silverParquetKey(source)).toBe(`datasets/dataset=customer-events/ingest_date=2026-05-01/${source.sourceObjectId}.parquet`);
    expect(quarantineKey(source)).toBe(`quarantine/dataset=customer-events/ingest_date=2026-05-01/${source.sourceObjectId}.jsonl`);
  });

  it('gives the same id to the same object version and a new id to a new version', () => {
    expect(describeSourceObject(ref).sourceObjectId).toBe(describeSourceObject({ ...ref }).sourceObjectId);
    expect(describeSourceObject({ ...ref, versionId: 'v2' }).sourceObjectId).not.toBe(describeSourceObject(ref).sourceObjectId);
    const byEtag = { ...ref, versionId: undefined };
    expect(describeSourceObject({ ...byEtag, etag: 'def' }).sourceObjectId).not.toBe(describeSourceObject(byEtag).sourceObjectId);
  });

  it('recognises JSON Lines, case-insensitively', () => {
    expect(describeSourceObject({ ...ref, key: 'customer-events/x.JSONL' }).format).toBe('jsonl');
  });

  it.each([
    ['customer-events.csv', /has no dataset prefix/],
    ['/x.csv', /has no dataset prefix/],
    ['customer-events/report.xlsx', /is not a \.csv or \.jsonl file/],
    ['customer-events/README', /is not a \.csv or \.jsonl file/],
  ])('treats key %s as poison', (key, message) => {
    expect(() => describeSourceObject({ ...ref, key })).toThrow(PoisonObjectError);
    expect(() => describeSourceObject({ ...ref, key })).toThrow(message);
  });

  it('needs a version id or an etag to be idempotent', () => {
    expect(() => describeSourceObject({ ...ref, versionId: undefined, etag: undefined })).toThrow(/neither a version id nor an etag/);
  });
});
