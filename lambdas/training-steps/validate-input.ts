import { createHash } from 'node:crypto';
import { ListObjectsV2Command, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { DIGEST_PINNED_ECR_IMAGE, INPUT_MANIFEST_FILE, runFileKey } from '../../lib/training';
import { trainingCheckpointPrefix, trainingRunPrefix } from '../../lib/lakehouse';
import { executionInputSchema } from './execution-input';
import type { PipelineConfig } from './pipeline-config';

/** A run reading more objects than this is almost certainly pointed at the wrong prefix. */
export const MAX_INPUT_OBJECTS = 100_000;

export type ValidationResult =
  | {
      readonly valid: true;
      readonly runId: string;
      readonly trigger: string;
      readonly jobNamePrefix: string;
      readonly trainingDataUri: string;
      readonly outputUri: string;
      readonly checkpointUri: string;
      readonly hyperparameters: Readonly<Record<string, string>>;
      readonly commitId: string;
      readonly reason: string;
      readonly inputManifestUri: string;
      readonly inputManifestSha256: string;
      readonly inputObjectCount: number;
    }
  | { readonly valid: false; readonly problems: string };

interface ManifestEntry {
  readonly key: string;
  readonly etag: string;
  readonly size: number;
}

/**
 * Validates an execution's input against the pipeline's config, then lists the training data and writes its manifest
 * (every key with its ETag: the lineage of the model), so the run fails fast — before any GPU starts — on a dataset
 * outside the model's prefix, an empty dataset, a tag-pinned image or a non-string hyperparameter.
 */
export async function validateInput(s3: S3Client, config: PipelineConfig, rawInput: unknown): Promise<ValidationResult> {
  const parsed = executionInputSchema.safeParse(rawInput);
  const problems: string[] = parsed.success ? [] : parsed.error.issues.map((issue) => `${issue.path.join('.') || '(input)'}: ${issue.message}`);
  if (!DIGEST_PINNED_ECR_IMAGE.test(config.image)) problems.push(`image ${config.image} is not pinned by digest (…@sha256:<64 hex>)`);
  if (!parsed.success) return { valid: false, problems: problems.join('; ') };
  const input = parsed.data;

  const allowed = `s3://${config.inputBucket}/${config.inputPrefix}`;
  const trainingDataUri = input.trainingDataUri ?? allowed;
  if (!trainingDataUri.startsWith(allowed) || trainingDataUri.includes('/../') || trainingDataUri.includes('/./')) {
    problems.push(`trainingDataUri ${trainingDataUri} is outside ${allowed}, the only data this model's training role may read`);
  }
  if (problems.length > 0) return { valid: false, problems: problems.join('; ') };

  const prefix = trainingDataUri.slice(`s3://${config.inputBucket}/`.length);
  const entries = await listObjects(s3, config.inputBucket, prefix);
  if (entries === undefined) return { valid: false, problems: `trainingDataUri ${trainingDataUri} holds more than ${MAX_INPUT_OBJECTS} objects` };
  if (entries.length === 0) return { valid: false, problems: `trainingDataUri ${trainingDataUri} holds no object: nothing to train on` };

  const manifest = `${JSON.stringify({ trainingDataUri, objects: entries }, null, 1)}\n`;
  const manifestKey = runFileKey(config.model, input.runId, INPUT_MANIFEST_FILE);
  await s3.send(new PutObjectCommand({ Bucket: config.outputBucket, Key: manifestKey, Body: manifest, ContentType: 'application/json' }));
  return {
    valid: true,
    runId: input.runId,
    trigger: input.trigger,
    jobNamePrefix: `${config.model}-${input.runId}`,
    trainingDataUri,
    outputUri: `s3://${config.outputBucket}/${trainingRunPrefix(config.model, input.runId)}`,
    checkpointUri: `s3://${config.outputBucket}/${trainingCheckpointPrefix(config.model, input.runId)}`,
    hyperparameters: { ...config.hyperparameters, ...input.hyperparameters },
    commitId: input.commitId ?? 'unknown',
    reason: input.reason ?? input.trigger,
    inputManifestUri: `s3://${config.outputBucket}/${manifestKey}`,
    inputManifestSha256: createHash('sha256').update(manifest).digest('hex'),
    inputObjectCount: entries.length,
  };
}

async function listObjects(s3: S3Client, bucket: string, prefix: string): Promise<ManifestEntry[] | undefined> {
  const entries: ManifestEntry[] = [];
  let token: string | undefined;
  do {
    const page = await s3.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, ContinuationToken: token }));
    for (const object of page.Contents ?? []) {
      if (object.Key === undefined || object.Key.endsWith('/')) continue;
      entries.push({ key: object.Key, etag: object.ETag ?? '', size: object.Size ?? 0 });
    }
    if (entries.length > MAX_INPUT_OBJECTS) return undefined;
    token = page.IsTruncated ? page.NextContinuationToken : undefined;
  } while (token !== undefined);
  return entries.sort((a, b) => a.key.localeCompare(b.key));
}
