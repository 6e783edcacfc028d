import type { FeatureGroupDefinition } from '../../../../lib/features';

/** The sample churn feature group (cdk.json's `featureGroups`, trimmed): what the feature-store tests build groups from. */
export const CHURN: FeatureGroupDefinition = {
  name: 'customer-churn-features',
  description: 'churn features',
  sourceDataset: 'customer-events',
  recordIdentifierFeature: 'customer_id',
  eventTimeFeature: 'event_time',
  onlineTtl: { value: 7, unit: 'Days' },
  features: [
    { name: 'customer_id', type: 'String' },
    { name: 'event_time', type: 'String' },
    { name: 'tenure_months', type: 'Integral' },
    { name: 'monthly_charges', type: 'Fractional' },
  ],
};
