import type { Readable } from 'node:stream';
import { GetObjectCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { z } from 'zod';
import { InvalidBaselineError, parseDriftBaseline } from '../../lib/drift';
import { evaluateGate, EvaluationReportError, MODEL_DIRECTORY_FILES, parseEvaluationReport, runFileKey } from '../../lib/training';
import { parseS3Uri } from '../promote-model/s3-uri';
import type { PipelineConfig } from './pipeline-config';
import { readArchiveFiles } from './read-archive-files';

/** The drift baseline holds a sorted sample per feature (up to 100,000 values each); reports are far smaller. */
const MAX_FILE_BYTES = 64 * 1024 * 1024;
/** SageMaker's limit on a CustomerMetadataProperties value. */
const MAX_METADATA_VALUE = 256;

/** What the state machine passes: the validated run and the training job's artifact. */
export const evaluateEventSchema = z.object({
  validation: z.object({
    runId: z.string(),
    trigger: z.string(),
    reason: z.string(),
    hyperparameters: z.record(z.string(), z.string()),
    inputManifestUri: z.string(),
    inputManifestSha256: z.string(),
    inputObjectCount: z.number(),
  }),
  training: z.object({ modelArtifactUri: z.string(), trainingJobName: z.string() }),
});
export type EvaluateEvent = z.infer<typeof evaluateEventSchema>;

export type EvaluationResult =
  | {
      readonly passed: true;
      readonly reason: string;
      readonly metrics: Readonly<Record<string, number>>;
      readonly modelDataUrl: string;
      readonly evaluationReportUri: string;
      readonly driftBaselineUri: string;
      /** CustomerMetadataProperties of the model package: lineage a reviewer reads before approving. */
      readonly customerMetadata: Readonly<Record<string, string>>;
    }
  | { readonly passed: false; readonly reason: string };

/**
 * Reads the evaluation report and drift baseline out of the job's model.tar.gz, writes them beside it in the run
 * prefix (a model package names each by its own S3 URI), and checks the report against the model's gate — the same
 * `evaluateGate` promotion runs. A missing or malformed file fails the run like a missed gate: deterministic, so the
 * reason is returned, not thrown (a throw would be retried).
 */
export async function evaluateRun(s3: S3Client, config: PipelineConfig, event: EvaluateEvent): Promise<EvaluationResult> {
  const { validation, training } = event;
  const archive = parseS3Uri(training.modelArtifactUri);
  if (archive === undefined) return { passed: false, reason: `the model artifact ${training.modelArtifactUri} is not an s3:// URI` };
  const object = await s3.send(new GetObjectCommand({ Bucket: archive.bucket, Key: archive.key }));
  const names = [MODEL_DIRECTORY_FILES.evaluationReport, MODEL_DIRECTORY_FILES.driftBaseline, MODEL_DIRECTORY_FILES.model];
  let files: Map<string, Buffer>;
  try {
    files = await readArchiveFiles(
      object.Body as Readable,
      names.filter((name) => name !== MODEL_DIRECTORY_FILES.model),
      MAX_FILE_BYTES,
    );
  } catch (error) {
    return { passed: false, reason: `the model archive ${training.modelArtifactUri} cannot be read: ${(error as Error).message}` };
  }
  const missing = [MODEL_DIRECTORY_FILES.evaluationReport, MODEL_DIRECTORY_FILES.driftBaseline].filter((name) => !files.has(name));
  if (missing.length > 0) return { passed: false, reason: `the model archive ${training.modelArtifactUri} holds no ${missing.join(' and no ')} at its root` };

  const reportText = files.get(MODEL_DIRECTORY_FILES.evaluationReport)!.toString('utf8');
  const baselineText = files.get(MODEL_DIRECTORY_FILES.driftBaseline)!.toString('utf8');
  let metrics: Record<string, number>;
  try {
    metrics = parseEvaluationReport(reportText, MODEL_DIRECTORY_FILES.evaluationReport).metrics;
    parseDriftBaseline(JSON.parse(baselineText), MODEL_DIRECTORY_FILES.driftBaseline);
  } catch (error) {
    if (error instanceof EvaluationReportError || error instanceof InvalidBaselineError || error instanceof SyntaxError)
      return { passed: false, reason: error.message };
    throw error;
  }

  const gate = evaluateGate(config.evaluationGate, metrics);
  if (!gate.passed) return { passed: false, reason: gate.reason };

  const reportKey = runFileKey(config.model, validation.runId, MODEL_DIRECTORY_FILES.evaluationReport);
  const baselineKey = runFileKey(config.model, validation.runId, MODEL_DIRECTORY_FILES.driftBaseline);
  await s3.send(new PutObjectCommand({ Bucket: config.outputBucket, Key: reportKey, Body: reportText, ContentType: 'application/json' }));
  await s3.send(new PutObjectCommand({ Bucket: config.outputBucket, Key: baselineKey, Body: baselineText, ContentType: 'application/json' }));
  return {
    passed: true,
    reason: gate.reason,
    metrics,
    modelDataUrl: training.modelArtifactUri,
    evaluationReportUri: `s3://${config.outputBucket}/${reportKey}`,
    driftBaselineUri: `s3://${config.outputBucket}/${baselineKey}`,
    customerMetadata: customerMetadata(config, event),
  };
}

function customerMetadata(config: PipelineConfig, { validation, training }: EvaluateEvent): Record<string, string> {
  const hyperparameters = JSON.stringify(validation.hyperparameters);
  const entries: Record<string, string> = {
    environment: config.environment,
    model: config.model,
    run: validation.runId,
    trigger: validation.trigger,
    reason: validation.reason,
    trainingJob: training.trainingJobName,
    image: config.image,
    imageDigest: config.image.slice(config.image.indexOf('@') + 1),
    inputManifest: validation.inputManifestUri,
    inputManifestSha256: validation.inputManifestSha256,
    inputObjectCount: String(validation.inputObjectCount),
    hyperparameters: hyperparameters.length <= MAX_METADATA_VALUE ? hyperparameters : `too long for metadata; see ${validation.inputManifestUri}`,
  };
  return Object.fromEntries(Object.entries(entries).map(([key, value]) => [key, value.slice(0, MAX_METADATA_VALUE)]));
}
