import fc from 'fast-check';
import { decodeS3EventKey, InvalidS3EventError, parseS3ObjectCreated } from '../../../../lambdas/shared/s3-object-created-event';
import { encodeS3EventKey } from '../../../support/s3-event-key';

/** The "Object created" example of the Amazon S3 user guide, "EventBridge event message structure" (ev-events), verbatim. */
const AWS_EXAMPLE = `{
  "version": "0",
  "id": "17793124-05d4-b198-2fde-7ededc63b103",
  "detail-type": "Object Created",
  "source": "aws.s3",
  "account": "111122223333",
  "time": "2021-11-12T00:00:00Z",
  "region": "ca-central-1",
  "resources": [
    "arn:aws:s3:::amzn-s3-demo-bucket1"
  ],
  "detail": {
    "version": "0",
    "event-version": "1.0",
    "bucket": {
      "name": "amzn-s3-demo-bucket1"
    },
    "object": {
      "key": "example-key",
      "size": 5,
      "etag": "b1946ac92492d2347c6235b4d2611184",
      "version-id": "IYV3p45BT0ac8hjHg1houSdS1a.Mro8e",
      "sequencer": "617f08299329d189"
    },
    "request-id": "N4N7GDK58NMKJ12R",
    "requester": "123456789012",
    "source-ip-address": "1.2.3.4",
    "reason": "PutObject"
  }
}`;

/** The AWS example with another object key (as S3 writes it into the event). */
function withKey(encodedKey: string): string {
  const event = JSON.parse(AWS_EXAMPLE) as { detail: { object: { key: string } } };
  event.detail.object.key = encodedKey;
  return JSON.stringify(event);
}

describe('parseS3ObjectCreated', () => {
  it("reads bucket, key, version, etag, size and event time from AWS's documented example", () => {
    expect(parseS3ObjectCreated(AWS_EXAMPLE)).toEqual({
      bucket: 'amzn-s3-demo-bucket1',
      key: 'example-key',
      versionId: 'IYV3p45BT0ac8hjHg1houSdS1a.Mro8e',
      etag: 'b1946ac92492d2347c6235b4d2611184',
      size: 5,
      createdAt: new Date('2021-11-12T00:00:00Z'),
    });
  });

  it('decodes the key as S3 encodes it: "+" is a space, %XX an escaped byte', () => {
    expect(parseS3ObjectCreated(withKey('customer-events/red+flower%3A1%2B1.csv')).key).toBe('customer-events/red flower:1+1.csv');
    expect(parseS3ObjectCreated(withKey('datasets/dataset%3Dcustomer-events/ingest_date%3D2024-03-01/0a1b.parquet')).key).toBe(
      'datasets/dataset=customer-events/ingest_date=2024-03-01/0a1b.parquet',
    );
  });

  it('round-trips any key (spaces, "+", "%", "=", unicode) through S3\'s URL-encoding', () => {
    const awkward = fc.constantFrom(' ', '+', '%', '=', '/', '&', ':', '(', '~', "'", '*', 'é', '日', '😀', 'a', '0', '.');
    const key = fc.string({ unit: fc.oneof(awkward, fc.string({ unit: 'grapheme', minLength: 1, maxLength: 1 })), minLength: 1, maxLength: 60 });
    fc.assert(
      fc.property(key, fc.func(fc.boolean()), (original, alsoEscape) => {
        expect(parseS3ObjectCreated(withKey(encodeS3EventKey(original, alsoEscape))).key).toBe(original);
      }),
    );
  });

  it('rejects a key with a malformed escape as an invalid event, naming the field', () => {
    for (const encoded of ['100%', 'a%zz.csv', '%E0%A4%A']) {
      expect(() => parseS3ObjectCreated(withKey(encoded))).toThrow(InvalidS3EventError);
      expect(() => parseS3ObjectCreated(withKey(encoded))).toThrow(/detail\.object\.key: not a URL-encoded object key/);
    }
    expect(() => decodeS3EventKey('100%')).toThrow(URIError);
  });

  it('rejects a body that is not JSON', () => {
    expect(() => parseS3ObjectCreated('not json')).toThrow(InvalidS3EventError);
    expect(() => parseS3ObjectCreated('not json')).toThrow(/body is not JSON/);
  });

  it('rejects other event types and sources, and events without a key, naming the field', () => {
    const example = JSON.parse(AWS_EXAMPLE) as Record<string, unknown>;
    expect(() => parseS3ObjectCreated(JSON.stringify({ ...example, 'detail-type': 'Object Deleted' }))).toThrow(/detail-type/);
    expect(() => parseS3ObjectCreated(JSON.stringify({ ...example, source: 'aws.ec2' }))).toThrow(/source/);
    expect(() => parseS3ObjectCreated(withKey(''))).toThrow(/detail\.object\.key/);
    const withoutKey = JSON.parse(AWS_EXAMPLE) as { detail: { object: Record<string, unknown> } };
    delete withoutKey.detail.object.key;
    expect(() => parseS3ObjectCreated(JSON.stringify(withoutKey))).toThrow(/detail\.object\.key/);
  });
});
