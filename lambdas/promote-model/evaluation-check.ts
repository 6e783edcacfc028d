import { GetObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import type { DescribeModelPackageCommandOutput } from '@aws-sdk/client-sagemaker';
import { z } from 'zod';
import { evaluateGate, evaluationGateSchema, EvaluationReportError, parseEvaluationReport, type Gate } from '../../lib/training';
import { isS3NotFound } from '../shared/s3-objects';
import { parseS3Uri } from './s3-uri';

/** An evaluation report is a few hundred bytes; anything this large is not one and is not read into memory. */
const MAX_REPORT_BYTES = 1024 * 1024;

/** The evaluation report the training pipeline registers: `ModelMetrics.ModelQuality.Statistics`. */
export function evaluationReportUri(description: Pick<DescribeModelPackageCommandOutput, 'ModelMetrics'>): string | undefined {
  return description.ModelMetrics?.ModelQuality?.Statistics?.S3Uri;
}

/**
 * Reads a package's evaluation report and checks it against the model's gate (the same `evaluateGate` the training
 * pipeline ran before registering). Returns the reasons to reject, empty when it passes or when the model has no gate
 * (it is not trained by the platform's pipeline, so only the presence of metrics is checked).
 */
export async function checkEvaluationGate(s3: S3Client, model: string, reportUri: string | undefined, gates: ReadonlyMap<string, Gate>): Promise<string[]> {
  const gate = gates.get(model);
  if (gate === undefined) return [];
  if (reportUri === undefined)
    return [
      `no evaluation report to check the gate ${gate.metric} ${gate.comparison} ${gate.threshold} against: ModelMetrics.ModelQuality.Statistics.S3Uri is not set`,
    ];
  const location = parseS3Uri(reportUri);
  if (location === undefined) return [`the evaluation report ${reportUri} is not an s3:// URI`];
  let text: string;
  try {
    const object = await s3.send(new GetObjectCommand({ Bucket: location.bucket, Key: location.key }));
    if ((object.ContentLength ?? 0) > MAX_REPORT_BYTES) {
      await object.Body?.transformToString().catch(() => undefined);
      return [`the evaluation report ${reportUri} is ${object.ContentLength} bytes, over ${MAX_REPORT_BYTES}; it is not an evaluation report`];
    }
    text = (await object.Body?.transformToString('utf-8')) ?? '';
  } catch (error) {
    if (isS3NotFound(error)) return [`the evaluation report ${reportUri} does not exist`];
    throw error;
  }
  try {
    const report = parseEvaluationReport(text, reportUri);
    const result = evaluateGate(gate, report.metrics);
    return result.passed ? [] : [result.reason];
  } catch (error) {
    if (error instanceof EvaluationReportError) return [error.message];
    throw error;
  }
}

/** EVALUATION_GATES: JSON `{"<model>": {"metric", "comparison", "threshold"}}`, the environment's training gates. */
export function parseEvaluationGates(text: string): ReadonlyMap<string, Gate> {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new Error(`EVALUATION_GATES is not valid JSON: ${(error as Error).message}`, { cause: error });
  }
  const parsed = z.record(z.string().min(1), evaluationGateSchema).safeParse(json);
  if (!parsed.success)
    throw new Error(
      `EVALUATION_GATES must be a JSON object {"<model>": {"metric", "comparison", "threshold"}}: ${z.prettifyError(parsed.error).replace(/\n/g, ' ')}`,
    );
  return new Map(Object.entries(parsed.data));
}
