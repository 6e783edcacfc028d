import { InvalidEventError, parseObjectCreatedEvent } from '../../../../lambdas/ingest/object-created-event';
import { objectCreatedEvent } from './fixtures/object-created-event';

describe('parseObjectCreatedEvent', () => {
  it('reads bucket, key, version, etag and event time', () => {
    expect(parseObjectCreatedEvent(JSON.stringify(objectCreatedEvent({ versionId: 'IYV3p45BT0ac8hjHg1houSdS1a.Mro8e' })))).toEqual({
      bucket: 'DOC-EXAMPLE-BUCKET1',
      key: 'customer-events/example-key.csv',
      versionId: 'IYV3p45BT0ac8hjHg1houSdS1a.Mro8e',
      etag: 'b1946ac92492d2347c6235b4d2611184',
      createdAt: new Date('2021-11-12T00:00:00Z'),
    });
  });

  it('URL-decodes the object key as S3 event notifications encode it', () => {
    expect(parseObjectCreatedEvent(JSON.stringify(objectCreatedEvent({ key: 'customer-events/red+flower%3A1.csv' }))).key).toBe('customer-events/red flower:1.csv');
  });

  it('rejects a body that is not JSON', () => {
    expect(() => parseObjectCreatedEvent('not json')).toThrow(InvalidEventError);
    expect(() => parseObjectCreatedEvent('not json')).toThrow(/body is not JSON/);
  });

  it('rejects other event types and sources, naming the field', () => {
    expect(() => parseObjectCreatedEvent(JSON.stringify({ ...objectCreatedEvent(), 'detail-type': 'Object Deleted' }))).toThrow(/detail-type/);
    expect(() => parseObjectCreatedEvent(JSON.stringify({ ...objectCreatedEvent(), source: 'aws.ec2' }))).toThrow(/source/);
    const withoutKey = objectCreatedEvent();
    delete ((withoutKey.detail as Record<string, unknown>).object as Record<string, unknown>).key;
    expect(() => parseObjectCreatedEvent(JSON.stringify(withoutKey))).toThrow(/detail\.object\.key/);
  });
});
