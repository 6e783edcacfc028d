import type { DecisionRow } from './report-schema';
import { locationOf, type TemplateIndex } from './template-index';

/** The template metadata key under which serving records each model's decision (written by constructs/serving). */
export const SERVING_DECISION_METADATA_KEY = 'mlops:ServingDecision';

interface RecordedDecision {
  readonly model: string;
  readonly target: string;
  readonly recommendedTarget: string;
  readonly forced: boolean;
  readonly monthlyCostUsd: Record<string, number | null>;
  readonly reasons: string[];
  readonly rejected: Array<{ target: string; reason: string }>;
  readonly flipPoints: Array<{ monthlyRequests: number; from: string; to: string }>;
  readonly sizing?: { readonly clusterMode?: string };
}

/** A decision as recorded in a template, with the resource it was recorded on. */
export interface RecordedDecisionAt {
  readonly row: DecisionRow;
  readonly sizing?: RecordedDecision['sizing'];
}

/** Each model's serving decision, read back from the serving template's metadata (not recomputed). */
export function recordedDecisions(index: TemplateIndex): RecordedDecisionAt[] {
  return index.entries.flatMap((entry) => {
    const recorded = entry.resource.Metadata?.[SERVING_DECISION_METADATA_KEY] as RecordedDecision | undefined;
    if (!recorded) return [];
    return [
      {
        row: {
          ...locationOf(entry),
          model: recorded.model,
          target: recorded.target,
          recommendedTarget: recorded.recommendedTarget,
          forced: recorded.forced,
          monthlyCostUsd: recorded.monthlyCostUsd,
          reasons: recorded.reasons,
          rejected: recorded.rejected.map(({ target, reason }) => ({ target, reason })),
          flipPoints: recorded.flipPoints.map((f) => `${f.monthlyRequests.toLocaleString('en-US')} req/month: ${f.from} -> ${f.to}`),
        },
        sizing: recorded.sizing,
      },
    ];
  });
}
