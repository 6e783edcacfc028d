import type { FeatureGroupDefinition } from './feature-group';
import { formatEventTime, formatFeatureValue, isMissing } from './feature-values';

/** One value of a Feature Store record, exactly the `FeatureValue` shape of the PutRecord API. */
export interface FeatureValue {
  readonly FeatureName: string;
  readonly ValueAsString: string;
}

export type SilverRow = Readonly<Record<string, unknown>>;

export type FeatureRecordResult =
  | { readonly ok: true; readonly recordIdentifier: string; readonly record: readonly FeatureValue[] }
  | { readonly ok: false; readonly reasons: readonly string[] };

/** The silver column each feature reads. */
export function sourceColumnOf(feature: FeatureGroupDefinition['features'][number]): string {
  return feature.sourceColumn ?? feature.name;
}

/** Source columns the group needs that a silver file does not have; an empty list means the file fits. */
export function missingSourceColumns(group: FeatureGroupDefinition, columns: readonly string[]): string[] {
  const present = new Set(columns);
  return group.features.map(sourceColumnOf).filter((column) => !present.has(column));
}

/**
 * One silver row → one Feature Store record. Every feature with a value is included; a missing value
 * leaves its feature out (Feature Store stores it as null), except the record identifier and the event time,
 * which every record must carry. A row that cannot become a record gets every reason, not only the first.
 */
export function toFeatureRecord(group: FeatureGroupDefinition, row: SilverRow): FeatureRecordResult {
  const record: FeatureValue[] = [];
  const reasons: string[] = [];
  let recordIdentifier: string | undefined;
  for (const feature of group.features) {
    const column = sourceColumnOf(feature);
    const value = row[column];
    const required = feature.name === group.recordIdentifierFeature || feature.name === group.eventTimeFeature;
    if (isMissing(value)) {
      if (required) reasons.push(`${feature.name}: column ${column} is empty, but every record needs it`);
      continue;
    }
    const formatted = feature.name === group.eventTimeFeature ? formatEventTime(value, feature.type) : formatFeatureValue(value, feature.type);
    if (!formatted.ok) {
      reasons.push(`${feature.name} (${feature.type}, column ${column}): ${formatted.reason}`);
      continue;
    }
    if (feature.name === group.recordIdentifierFeature) {
      if (formatted.value.trim() === '') {
        reasons.push(`${feature.name}: the record identifier is blank`);
        continue;
      }
      recordIdentifier = formatted.value;
    }
    record.push({ FeatureName: feature.name, ValueAsString: formatted.value });
  }
  if (reasons.length > 0 || recordIdentifier === undefined) return { ok: false, reasons };
  return { ok: true, recordIdentifier, record };
}
