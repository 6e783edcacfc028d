import { EventEmitter } from 'node:events';
import type { IncomingMessage } from 'node:http';
import fc from 'fast-check';
import { readBody } from '../../../serving/src/adapters/read-body';
import { ServingError } from '../../../serving/src/errors';
import { decodeInferRequest } from '../../../serving/src/protocol/infer-request';
import { checkJsonLimits, DEFAULT_JSON_LIMITS } from '../../../serving/src/protocol/json-limits';
import type { ModelSignature } from '../../../serving/src/protocol/signature';
import { costlyRuns } from '../../support/fast-check-runs';

/** What readBody needs of an IncomingMessage: headers, `complete`, and the data/end/close/error events. */
function fakeRequest(headers: Record<string, string> = {}) {
  const emitter = new EventEmitter() as EventEmitter & { headers: Record<string, string>; complete: boolean };
  emitter.headers = headers;
  emitter.complete = false;
  return emitter;
}

describe('readBody memory', () => {
  it('costs the body size, not a Buffer object per chunk, when the body comes one byte at a time', async () => {
    const bodies = 20;
    const size = 50_000;
    const requests = Array.from({ length: bodies }, () => fakeRequest());
    const reads = requests.map((req) => readBody(req as unknown as IncomingMessage, 6 * 1024 * 1024));
    const before = process.memoryUsage();
    for (let i = 0; i < size; i++) for (const req of requests) req.emit('data', Buffer.from([0x30 + (i % 10)]));
    const during = process.memoryUsage();
    for (const req of requests) {
      req.complete = true;
      req.emit('end');
    }
    const read = await Promise.all(reads);
    expect(read.every((body) => body.length === size)).toBe(true);
    // 1 MB of bodies; one retained Buffer per byte would be ~240 MB (the 240 bytes per body byte seen before).
    const grown = during.heapUsed + during.arrayBuffers - (before.heapUsed + before.arrayBuffers);
    console.log(`${bodies} bodies × ${size} one-byte chunks: heap + array buffers grew by ${(grown / 1024 / 1024).toFixed(1)} MB while pending`);
    expect(grown).toBeLessThan(32 * 1024 * 1024);
  });
});

describe('inference request fuzzing (property, byte level)', () => {
  const signature: ModelSignature = { inputs: [{ name: 'x', datatype: 'FP32', shape: [-1, 2] }], outputs: [{ name: 'y', datatype: 'FP32', shape: [-1, 2] }] };
  const valid = JSON.stringify({
    id: 'r',
    inputs: [
      {
        name: 'x',
        shape: [2, 2],
        datatype: 'FP32',
        data: [
          [1, 2],
          [3, 4],
        ],
      },
    ],
  });
  const tokens = ['[', ']', '{', '}', '"', ',', ':', '\\', '0', '1e999', '-', 'null', 'true', ' ', '\u0000', '\ud800', '"x"', '"inputs"', '"data"', '"shape"'];

  /** The core's order: structure limits, then parse and validate. Either answers or throws a ServingError (a 4xx). */
  const decode = (body: string) => {
    checkJsonLimits(body, DEFAULT_JSON_LIMITS);
    return decodeInferRequest(body, signature, { allowNonFinite: false });
  };

  it('any edit of a valid body decodes or is refused with a 4xx ServingError, never another error', () => {
    const edit = fc.tuple(fc.nat({ max: valid.length }), fc.nat({ max: 3 }), fc.array(fc.constantFrom(...tokens), { maxLength: 6 }));
    fc.assert(
      fc.property(fc.array(edit, { minLength: 1, maxLength: 5 }), (edits) => {
        let body = valid;
        for (const [at, remove, insert] of edits) body = body.slice(0, at) + insert.join('') + body.slice(at + remove);
        try {
          decode(body);
        } catch (error) {
          expect(error).toBeInstanceOf(ServingError);
          expect((error as ServingError).status).toBeGreaterThanOrEqual(400);
          expect((error as ServingError).status).toBeLessThan(500);
        }
      }),
      { numRuns: costlyRuns(500) },
    );
  });

  it('nesting of any depth is refused or decoded, in time linear in the body', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 200_000 }), (depth) => {
        const body = JSON.stringify({ inputs: [{ name: 'x', shape: [1, 2], datatype: 'FP32', data: 0 }] }).replace(
          '"data":0',
          `"data":${'['.repeat(depth)}1,2${']'.repeat(depth)}`,
        );
        try {
          decode(body);
        } catch (error) {
          expect(error).toBeInstanceOf(ServingError);
        }
      }),
      { numRuns: 50 },
    );
  });
});
