/**
 * @jest-environment ./test/support/onnx-test-environment.js
 */
// The S3 model repository, with the real AWS SDK against s3rver (an S3-compatible server on loopback).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DeleteObjectCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { startS3rver, type S3rverFixture } from '../../support/s3rver';
import { inferBody, send } from './support/http-client';
import { FIXTURES, startServer, type RunningServer } from './support/test-server';

const BUCKET = 'models';
const PREFIX = 'serving/prod';
const savedEnv = { ...process.env };
let s3rver: S3rverFixture;
let client: S3Client;
let server: RunningServer;

const put = (key: string, body: Buffer | string) => client.send(new PutObjectCommand({ Bucket: BUCKET, Key: `${PREFIX}/${key}`, Body: body }));
const fixture = (name: string) => readFileSync(join(FIXTURES, name));

beforeAll(async () => {
  s3rver = await startS3rver([BUCKET]);
  // The server builds its own SDK client from the environment, as it does in a container.
  Object.assign(process.env, s3rver.sdkEnvironment);
  client = s3rver.s3;
  await put('scale/1/model.onnx', fixture('scale-v1.onnx'));
  await put('scale/1/config.json', JSON.stringify({ maxBatchSize: 4 }));
  await put('README.md', 'not a model');
  await client.send(new PutObjectCommand({ Bucket: BUCKET, Key: 'other-prefix/ghost/1/model.onnx', Body: fixture('scale-v2.onnx') }));
  server = await startServer(`s3://${BUCKET}/${PREFIX}`, { S3_FORCE_PATH_STYLE: 'true' });
});

afterAll(async () => {
  await server?.stop();
  await s3rver?.stop();
  process.env = savedEnv;
});

const infer = () => send(`${server.url}/v2/models/scale/infer`, { body: inferBody('x', [1, 4], [1, 1, 1, 1]) });

describe('S3 model repository', () => {
  it('loads the models under the prefix only', async () => {
    expect(server.app.repository.list().map((version) => `${version.model}/${version.version}`)).toEqual(['scale/1']);
    expect(server.app.repository.get('scale')!.config.maxBatchSize).toBe(4);
    expect((await infer()).json()).toMatchObject({ model_version: '1', outputs: [{ data: [1, 1, 1, 1] }] });
  });

  it('picks up a new version on the next poll, and keeps it when a broken one follows', async () => {
    await put('scale/2/model.onnx', fixture('scale-v2.onnx'));
    expect(await server.app.repository.poll()).toEqual({ loaded: ['scale/2'], failed: [] });
    expect((await infer()).json()).toMatchObject({ model_version: '2', outputs: [{ data: [2, 2, 2, 2] }] });

    await put('scale/3/model.onnx', fixture('broken.onnx'));
    const report = await server.app.repository.poll();
    expect(report.failed.map((error) => error.message)).toEqual([expect.stringMatching(/^model 'scale' version '3' failed to load: /)]);
    expect((await infer()).json()).toMatchObject({ model_version: '2' });
    expect(await server.app.repository.poll()).toEqual({ loaded: [], failed: [] }); // not retried until it changes
  });

  it('rolls back when the newest version is deleted', async () => {
    await client.send(new DeleteObjectCommand({ Bucket: BUCKET, Key: `${PREFIX}/scale/3/model.onnx` }));
    await client.send(new DeleteObjectCommand({ Bucket: BUCKET, Key: `${PREFIX}/scale/2/model.onnx` }));
    expect(await server.app.repository.poll()).toEqual({ loaded: ['scale/1'], failed: [] });
    expect((await infer()).json()).toMatchObject({ model_version: '1' });
  });
});
