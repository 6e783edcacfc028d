import { featureGroupSchema, featureGroupsSchema } from '../../../../lib/features';
import { environmentSchema } from '../../../../lib/config';

const churnFeatures = {
  name: 'customer-churn-features',
  sourceDataset: 'customer-events',
  recordIdentifierFeature: 'customer_id',
  eventTimeFeature: 'event_time',
  onlineTtl: { value: 30, unit: 'Days' },
  features: [
    { name: 'customer_id', type: 'String' },
    { name: 'event_time', type: 'String' },
    { name: 'tenure_months', type: 'Integral' },
    { name: 'monthly_charges', type: 'Fractional' },
  ],
};

function messagesOf(input: unknown): string[] {
  const result = featureGroupSchema.safeParse(input);
  if (result.success) return [];
  return result.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
}

describe('featureGroupSchema', () => {
  it('accepts a realistic feature group and leaves the online TTL optional', () => {
    expect(featureGroupSchema.parse(churnFeatures).features).toHaveLength(4);
    const { onlineTtl: _ttl, ...withoutTtl } = churnFeatures;
    expect(featureGroupSchema.parse(withoutTtl).onlineTtl).toBeUndefined();
  });

  it('requires the record identifier and event time to name features', () => {
    expect(messagesOf({ ...churnFeatures, recordIdentifierFeature: 'id', eventTimeFeature: 'ts' })).toEqual([
      'recordIdentifierFeature: must name one of the features',
      'eventTimeFeature: must name one of the features',
    ]);
  });

  it('rejects a Fractional record identifier and an Integral event time, as SageMaker does', () => {
    const features = [
      { name: 'customer_id', type: 'Fractional' },
      { name: 'event_time', type: 'Integral' },
    ];
    expect(messagesOf({ ...churnFeatures, features })).toEqual([
      'recordIdentifierFeature: must be an Integral or String feature',
      'eventTimeFeature: must be a String or Fractional feature',
    ]);
  });

  it('rejects duplicate, reserved and malformed feature names and unknown keys', () => {
    const features = [
      ...churnFeatures.features,
      { name: 'tenure_months', type: 'Integral' },
      { name: 'write_time', type: 'String' },
      { name: '_x', type: 'String' },
    ];
    const messages = messagesOf({ ...churnFeatures, features, extra: true });
    expect(messages).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^features\.4\.name: must be unique/),
        expect.stringMatching(/^features\.5\.name: is reserved by the offline store/),
        expect.stringMatching(/^features\.6\.name: letters, digits/),
        expect.stringMatching(/Unrecognized key: "extra"/),
      ]),
    );
  });

  it('rejects an unknown feature type and a non-positive TTL', () => {
    expect(messagesOf({ ...churnFeatures, onlineTtl: { value: 0, unit: 'Days' } })).toEqual([expect.stringMatching(/^onlineTtl\.value: /)]);
    expect(messagesOf({ ...churnFeatures, features: [{ name: 'customer_id', type: 'Boolean' }, churnFeatures.features[1]] })).toEqual([
      expect.stringMatching(/^features\.0\.type: /),
    ]);
  });

  it('requires feature group names to be unique within an environment', () => {
    const result = featureGroupsSchema.safeParse([churnFeatures, churnFeatures]);
    expect(result.success).toBe(false);
    expect(result.error?.issues.map((i) => [i.path, i.message])).toEqual([[[1, 'name'], 'must be unique within the environment']]);
  });
});

describe('environmentSchema.featureGroups', () => {
  const environment = {
    removalPolicy: 'destroy',
    dataClassification: 'internal',
    costCenter: 'cc',
    owner: 'team',
    approvalMode: 'auto',
    highAvailability: false,
    lakehouse: {
      bronzeInfrequentAccessDays: 30,
      bronzeArchiveDays: 90,
      silverInfrequentAccessDays: 60,
      noncurrentVersionExpirationDays: 7,
      abortIncompleteMultipartUploadDays: 1,
      accessLogRetentionDays: 30,
    },
    models: [],
  };

  it('defaults to no feature groups', () => {
    expect(environmentSchema.parse(environment).featureGroups).toEqual([]);
  });

  it('validates declared feature groups', () => {
    expect(environmentSchema.parse({ ...environment, featureGroups: [churnFeatures] }).featureGroups[0]?.name).toBe('customer-churn-features');
    expect(environmentSchema.safeParse({ ...environment, featureGroups: [{ ...churnFeatures, eventTimeFeature: 'nope' }] }).success).toBe(false);
  });
});
