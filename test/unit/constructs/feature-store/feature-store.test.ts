import { App, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import { FeatureGroup, FeatureStore, type FeatureStoreProps } from '../../../../constructs/feature-store';
import { LakehouseStorage } from '../../../../constructs/lakehouse';
import { CHURN } from './churn-features';
import { fastCdkContext } from '../../../support/cdk-context';

function build(props: Partial<FeatureStoreProps> = {}) {
  const stack = new Stack(new App({ context: fastCdkContext() }), 'Platform');
  const lakehouse = new LakehouseStorage(stack, 'Lakehouse', { databaseNamePrefix: 'lake' });
  const store = new FeatureStore(stack, 'FeatureStore', { featureGroups: [CHURN], lakehouse, goldDatabaseName: lakehouse.databaseName('gold'), ...props });
  return { stack, lakehouse, store };
}

describe('FeatureStore defaults', () => {
  const { stack, lakehouse, store } = build();
  const template = Template.fromStack(stack);
  const id = (c: { node: { defaultChild?: unknown } }) => stack.getLogicalId(c.node.defaultChild as never);

  test('one feature group per definition, with its record identifier, event time and typed features', () => {
    template.resourceCountIs('AWS::SageMaker::FeatureGroup', 1);
    template.hasResourceProperties('AWS::SageMaker::FeatureGroup', {
      FeatureGroupName: 'customer-churn-features',
      RecordIdentifierFeatureName: 'customer_id',
      EventTimeFeatureName: 'event_time',
      FeatureDefinitions: [
        { FeatureName: 'customer_id', FeatureType: 'String' },
        { FeatureName: 'event_time', FeatureType: 'String' },
        { FeatureName: 'tenure_months', FeatureType: 'Integral' },
        { FeatureName: 'monthly_charges', FeatureType: 'Fractional' },
      ],
    });
  });

  test('online store encrypted with a new rotating key, with the definition TTL', () => {
    const keyId = Object.keys(template.findResources('AWS::KMS::Key')).find((k) => k.startsWith('FeatureStoreOnlineStoreKey'))!;
    template.hasResourceProperties('AWS::KMS::Key', { EnableKeyRotation: true });
    template.hasResourceProperties('AWS::SageMaker::FeatureGroup', {
      OnlineStoreConfig: { EnableOnlineStore: true, SecurityConfig: { KmsKeyId: { 'Fn::GetAtt': [keyId, 'Arn'] } }, TtlDuration: { Unit: 'Days', Value: 7 } },
    });
  });

  test('offline store under feature-store/ of the gold bucket, lakehouse key, Glue table in the gold database', () => {
    template.hasResourceProperties('AWS::SageMaker::FeatureGroup', {
      OfflineStoreConfig: {
        S3StorageConfig: {
          S3Uri: { 'Fn::Join': ['', ['s3://', { Ref: id(lakehouse.goldBucket) }, '/feature-store/']] },
          KmsKeyId: { 'Fn::GetAtt': [id(lakehouse.encryptionKey), 'Arn'] },
        },
        DisableGlueTableCreation: false,
        DataCatalogConfig: { Catalog: 'AwsDataCatalog', Database: { Ref: stack.getLogicalId(lakehouse.databases.gold) }, TableName: 'customer_churn_features' },
        TableFormat: 'Glue',
      },
    });
  });

  test('the offline store role is trusted by SageMaker of this account only and may write only the feature-store prefix', () => {
    template.hasResourceProperties('AWS::IAM::Role', {
      AssumeRolePolicyDocument: {
        Statement: [
          Match.objectLike({
            Principal: { Service: 'sagemaker.amazonaws.com' },
            Condition: { StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } } },
          }),
        ],
      },
    });
    template.hasResourceProperties('AWS::IAM::ManagedPolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Sid: 'WriteOfflineStoreObjects',
            Action: ['s3:PutObject', 's3:PutObjectAcl'],
            Resource: { 'Fn::Join': ['', [{ 'Fn::GetAtt': [id(lakehouse.goldBucket), 'Arn'] }, '/feature-store/*']] },
          }),
          Match.objectLike({ Sid: 'ReadOfflineStoreBucketAcl', Action: 's3:GetBucketAcl' }),
          Match.objectLike({ Action: ['kms:Decrypt', 'kms:GenerateDataKey'] }),
        ]),
      },
    });
    template.hasResourceProperties('AWS::SageMaker::FeatureGroup', {
      RoleArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^FeatureStoreOfflineStoreRole'), 'Arn'] },
    });
  });

  test('groups are retained with the stack', () => {
    template.hasResource('AWS::SageMaker::FeatureGroup', { DeletionPolicy: 'Retain' });
  });

  test('featureGroup() finds a group by name and explains unknown names', () => {
    expect(store.featureGroup('customer-churn-features').offlineStoreTableName).toBe('customer_churn_features');
    expect(() => store.featureGroup('nope')).toThrow(/invalid featureGroup = "nope"; one of customer-churn-features/);
  });
});

describe('FeatureStore grants and imports', () => {
  test("grantWriteAll returns one iam.Grant holding every group's statements; an empty store gives a dropped grant", () => {
    const { stack, store } = build();
    const writer = new iam.Role(stack, 'Writer', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
    const grant = store.grantWriteAll(writer);
    expect(grant.success).toBe(true);
    expect(grant.principalStatements.flatMap((statement) => statement.actions)).toContain('sagemaker:PutRecord');
    const { stack: other } = build({ featureGroups: [] });
    const empty = new FeatureStore(other, 'Empty', { featureGroups: [], lakehouse: new LakehouseStorage(other, 'Lake2'), goldDatabaseName: 'gold' });
    expect(empty.grantWriteAll(new iam.Role(other, 'Nobody', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') })).success).toBe(false);
  });

  test('grantWrite: PutRecord on the group ARN and Decrypt on the online key; grantRead: GetRecord/BatchGetRecord', () => {
    const { stack, store } = build();
    const writer = new iam.Role(stack, 'Writer', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
    const reader = new iam.Role(stack, 'Reader', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
    store.grantWriteAll(writer);
    store.featureGroup('customer-churn-features').grantRead(reader);
    const template = Template.fromStack(stack);
    const groupArn = {
      'Fn::Join': [
        '',
        ['arn:', { Ref: 'AWS::Partition' }, ':sagemaker:', { Ref: 'AWS::Region' }, ':', { Ref: 'AWS::AccountId' }, ':feature-group/customer-churn-features'],
      ],
    };
    template.hasResourceProperties('AWS::IAM::Policy', {
      Roles: [{ Ref: Match.stringLikeRegexp('^Writer') }],
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Action: 'sagemaker:PutRecord', Resource: groupArn }),
          Match.objectLike({ Action: 'kms:Decrypt', Resource: { 'Fn::GetAtt': [Match.stringLikeRegexp('^FeatureStoreOnlineStoreKey'), 'Arn'] } }),
        ]),
      },
    });
    template.hasResourceProperties('AWS::IAM::Policy', {
      Roles: [{ Ref: Match.stringLikeRegexp('^Reader') }],
      PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Action: ['sagemaker:BatchGetRecord', 'sagemaker:GetRecord'], Resource: groupArn })]) },
    });
  });

  test('fromFeatureGroupAttributes grants on the named group and its key', () => {
    const stack = new Stack(new App({ context: fastCdkContext() }), 'Consumer');
    const key = new kms.Key(stack, 'Key');
    const group = FeatureGroup.fromFeatureGroupAttributes(stack, 'Imported', { featureGroupName: 'Other-Group', onlineStoreKey: key });
    const role = new iam.Role(stack, 'Role', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
    group.grantWrite(role);
    expect(group.featureGroupArn).toContain('feature-group/other-group');
    Template.fromStack(stack).hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Action: 'sagemaker:PutRecord' }), Match.objectLike({ Action: 'kms:Decrypt' })]) },
    });
  });
});

describe('FeatureStore with custom props', () => {
  test('prefix, given key and role, DESTROY, and no TTL when the definition has none', () => {
    const stack = new Stack(new App({ context: fastCdkContext() }), 'Custom');
    const lakehouse = new LakehouseStorage(stack, 'Lakehouse', { databaseNamePrefix: 'lake' });
    const key = new kms.Key(stack, 'GivenKey');
    const role = new iam.Role(stack, 'GivenRole', { assumedBy: new iam.ServicePrincipal('sagemaker.amazonaws.com') });
    const { onlineTtl: _ttl, ...noTtl } = CHURN;
    new FeatureStore(stack, 'FeatureStore', {
      featureGroups: [noTtl],
      lakehouse,
      goldDatabaseName: 'lake_gold',
      offlineStorePrefix: 'features/offline/',
      onlineStoreKey: key,
      role,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    const template = Template.fromStack(stack);
    const keyId = stack.getLogicalId(key.node.defaultChild as never);
    template.hasResource('AWS::SageMaker::FeatureGroup', { DeletionPolicy: 'Delete' });
    template.hasResourceProperties('AWS::SageMaker::FeatureGroup', {
      RoleArn: { 'Fn::GetAtt': [stack.getLogicalId(role.node.defaultChild as never), 'Arn'] },
      OnlineStoreConfig: { EnableOnlineStore: true, SecurityConfig: { KmsKeyId: { 'Fn::GetAtt': [keyId, 'Arn'] } } },
      OfflineStoreConfig: Match.objectLike({
        S3StorageConfig: Match.objectLike({ S3Uri: { 'Fn::Join': ['', Match.arrayWith(['/features/offline/'])] } }),
        DataCatalogConfig: Match.objectLike({ Database: 'lake_gold' }),
      }),
    });
    expect(JSON.stringify(template.findResources('AWS::SageMaker::FeatureGroup'))).not.toContain('TtlDuration');
  });
});

describe('FeatureStore validation', () => {
  test('duplicate group names', () => {
    expect(() => build({ featureGroups: [CHURN, CHURN] })).toThrow(/invalid featureGroups = "customer-churn-features"; feature group names must be unique/);
  });
  test('an offline prefix that is not a key prefix', () => {
    expect(() => build({ offlineStorePrefix: 'no-slash' })).toThrow(/invalid offlineStore.prefix = "no-slash"/);
  });
});
