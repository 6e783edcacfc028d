import type { DriftedFeature } from '../events/drift-detected';
import type { DriftThresholds } from './drift-config';
import type { FeatureDrift } from './feature-drift-accumulator';

/** What the detector concludes about one model version's capture window. */
export type WindowVerdict =
  | { readonly kind: 'below-min-samples'; readonly rows: number; readonly minSamples: number }
  | { readonly kind: 'stable'; readonly rows: number; readonly features: readonly FeatureDrift[] }
  | { readonly kind: 'drifted'; readonly rows: number; readonly features: readonly FeatureDrift[]; readonly drifted: readonly DriftedFeature[] };

/**
 * Decides on a window: with fewer than `minSamples` captured rows nothing is decided; otherwise a feature drifts when
 * its PSI reaches `psiThreshold` or its KS statistic reaches `ksStatistic` (a feature with no finite value in the
 * window has neither and cannot drift).
 */
export function evaluateWindow(features: readonly FeatureDrift[], rows: number, thresholds: DriftThresholds): WindowVerdict {
  if (rows < thresholds.minSamples) return { kind: 'below-min-samples', rows, minSamples: thresholds.minSamples };
  const drifted = features.flatMap((f): DriftedFeature[] =>
    f.psi !== undefined && f.ksStatistic !== undefined && (f.psi >= thresholds.psiThreshold || f.ksStatistic >= thresholds.ksStatistic)
      ? [{ feature: f.feature, psi: f.psi, ksStatistic: f.ksStatistic, samples: f.samples }]
      : [],
  );
  return drifted.length === 0 ? { kind: 'stable', rows, features } : { kind: 'drifted', rows, features, drifted };
}
