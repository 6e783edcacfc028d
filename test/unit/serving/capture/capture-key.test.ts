import { inferenceCaptureKey } from '../../../../lib/lakehouse/layout';
import { captureObjectKey } from '../../../../serving/src/capture/capture-key';

describe('capture object key', () => {
  it('is the lakehouse layout’s inference-capture key (the serving image cannot import lib/)', () => {
    for (const [model, version, date, file] of [
      ['churn-classifier', '3', '2026-11-29', 'a.jsonl.gz'],
      ['m', '12', '2027-01-01', '20270101T000000000Z-0badf00d-000001.jsonl.gz'],
    ] as const) {
      expect(captureObjectKey(model, version, date, file)).toBe(inferenceCaptureKey(model, version, date, file));
    }
  });
});
