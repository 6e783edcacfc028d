import { z } from 'zod';

/**
 * A SageMaker Feature Store feature group, declared per environment in `cdk.json`
 * (`environments.<env>.featureGroups`). The FeatureStore construct creates the group from it;
 * the materialize-features function turns silver rows into records with it.
 */

/** SageMaker's pattern for feature group and feature names (API reference: CreateFeatureGroup). */
const SAGEMAKER_NAME = /^[a-zA-Z0-9]([-_]*[a-zA-Z0-9]){0,63}$/;
/** Column names the offline store adds to every record; a feature may not use them. */
export const RESERVED_FEATURE_NAMES: readonly string[] = ['is_deleted', 'write_time', 'api_invocation_time'];
/** SageMaker's limit on feature definitions per group. */
export const MAX_FEATURES_PER_GROUP = 2500;

export const featureTypeSchema = z.enum(['Integral', 'Fractional', 'String']);
/** SageMaker feature types: Integral (64-bit integer), Fractional (64-bit float), String. */
export type FeatureType = z.infer<typeof featureTypeSchema>;

export const featureDefinitionSchema = z.strictObject({
  /** Feature name in the store. */
  name: z
    .string()
    .regex(SAGEMAKER_NAME, 'letters, digits, hyphens and underscores, starting and ending with a letter or digit, at most 64 characters')
    .refine((name) => !RESERVED_FEATURE_NAMES.includes(name.toLowerCase()), {
      message: `is reserved by the offline store (${RESERVED_FEATURE_NAMES.join(', ')})`,
    }),
  type: featureTypeSchema,
  /** Column of the silver dataset the value comes from. @default - the feature name */
  sourceColumn: z.string().min(1).optional(),
});
export type FeatureDefinition = z.infer<typeof featureDefinitionSchema>;

export const onlineTtlSchema = z.strictObject({
  value: z.number().int().positive(),
  unit: z.enum(['Seconds', 'Minutes', 'Hours', 'Days', 'Weeks']),
});
/** How long a record stays in the online store after its event time (`OnlineStoreConfig.TtlDuration`). */
export type OnlineTtl = z.infer<typeof onlineTtlSchema>;

export const featureGroupSchema = z
  .strictObject({
    /** Feature group name (unique per account and region). */
    name: z.string().regex(SAGEMAKER_NAME, 'letters, digits, hyphens and underscores, starting and ending with a letter or digit, at most 64 characters'),
    description: z.string().max(128).optional(),
    /** The silver dataset the records are computed from (the first segment of its bronze keys). */
    sourceDataset: z.string().regex(/^[a-z][a-z0-9_-]*$/, 'a dataset name: lower-case letters, digits, hyphens and underscores'),
    /** Feature that identifies a record (Integral or String). */
    recordIdentifierFeature: z.string().min(1),
    /** Feature that orders records in time (String in ISO-8601 UTC, or Fractional seconds since the epoch). */
    eventTimeFeature: z.string().min(1),
    /** Online store time to live. @default - records never expire from the online store */
    onlineTtl: onlineTtlSchema.optional(),
    features: z.array(featureDefinitionSchema).min(1).max(MAX_FEATURES_PER_GROUP),
  })
  .superRefine((group, ctx) => {
    const byName = new Map<string, FeatureDefinition>();
    group.features.forEach((feature, index) => {
      if (byName.has(feature.name)) {
        ctx.addIssue({ code: 'custom', path: ['features', index, 'name'], message: 'must be unique within the feature group' });
      }
      byName.set(feature.name, feature);
    });
    const identifier = byName.get(group.recordIdentifierFeature);
    if (identifier === undefined) {
      ctx.addIssue({ code: 'custom', path: ['recordIdentifierFeature'], message: 'must name one of the features' });
    } else if (identifier.type === 'Fractional') {
      ctx.addIssue({ code: 'custom', path: ['recordIdentifierFeature'], message: 'must be an Integral or String feature' });
    }
    const eventTime = byName.get(group.eventTimeFeature);
    if (eventTime === undefined) {
      ctx.addIssue({ code: 'custom', path: ['eventTimeFeature'], message: 'must name one of the features' });
    } else if (eventTime.type === 'Integral') {
      ctx.addIssue({ code: 'custom', path: ['eventTimeFeature'], message: 'must be a String or Fractional feature' });
    }
  });
/** The typed definition of one feature group. */
export type FeatureGroupDefinition = z.infer<typeof featureGroupSchema>;

export const featureGroupsSchema = z.array(featureGroupSchema).superRefine((groups, ctx) => {
  const seen = new Set<string>();
  groups.forEach((group, index) => {
    if (seen.has(group.name)) ctx.addIssue({ code: 'custom', path: [index, 'name'], message: 'must be unique within the environment' });
    seen.add(group.name);
  });
});
