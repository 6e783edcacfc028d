import { z } from 'zod';

/**
 * The evaluation report the trainer writes beside the model (`evaluation.json`): the metrics on the held-out split.
 * The pipeline registers it as the model package's `ModelMetrics.ModelQuality.Statistics`; the pipeline's gate and
 * promotion both read it. Versioned like the events: a new optional field keeps the version.
 */
export const EVALUATION_REPORT_SCHEMA_VERSION = '1';
export const EVALUATION_REPORT_FILE = 'evaluation.json';
export const EVALUATION_REPORT_CONTENT_TYPE = 'application/json';

export const evaluationReportSchema = z.object({
  schemaVersion: z.literal(EVALUATION_REPORT_SCHEMA_VERSION),
  /** Metric name (as in the metric definitions) → value on the evaluation split. */
  metrics: z.record(z.string().min(1), z.number().finite()),
  /** Rows the metrics were computed on. */
  evaluationRows: z.number().int().nonnegative(),
});
export type EvaluationReport = z.infer<typeof evaluationReportSchema>;

/** Parses an evaluation report; the error names every problem with its path. */
export function parseEvaluationReport(text: string, where: string): EvaluationReport {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new EvaluationReportError(`${where} is not valid JSON: ${(error as Error).message}`);
  }
  const parsed = evaluationReportSchema.safeParse(json);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`);
    throw new EvaluationReportError(`${where} is not an evaluation report (schemaVersion ${EVALUATION_REPORT_SCHEMA_VERSION}): ${problems.join('; ')}`);
  }
  return parsed.data;
}

export class EvaluationReportError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'EvaluationReportError';
  }
}
