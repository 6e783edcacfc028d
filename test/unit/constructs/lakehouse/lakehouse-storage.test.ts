import { App, Duration, RemovalPolicy, Size, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { LakehouseStorage, type LakehouseStorageProps } from '../../../../constructs/lakehouse';
import { customerEventsContract } from '../../../../lib/contracts';
import { GLUE_COLUMN_TYPES } from '../../../../lib/lakehouse';
import { fastCdkContext } from '../../../support/cdk-context';

function build(props?: LakehouseStorageProps) {
  const stack = new Stack(new App({ context: fastCdkContext() }), 'TestStack');
  const lakehouse = new LakehouseStorage(stack, 'Lakehouse', props);
  return {
    stack,
    lakehouse,
    get template() {
      return Template.fromStack(stack);
    },
  };
}

const TIERS = ['BronzeBucket', 'SilverBucket', 'GoldBucket'] as const;

function bucketOf(template: Template, logicalIdPrefix: string) {
  const buckets = template.findResources('AWS::S3::Bucket');
  const id = Object.keys(buckets).find((key) => key.startsWith(`Lakehouse${logicalIdPrefix}`));
  if (!id) throw new Error(`no bucket ${logicalIdPrefix}`);
  return { id, bucket: buckets[id] };
}

function rule(template: Template, logicalIdPrefix: string, ruleId: string) {
  const rules = bucketOf(template, logicalIdPrefix).bucket.Properties.LifecycleConfiguration.Rules as Array<Record<string, unknown>>;
  return rules.find((r) => r.Id === ruleId);
}

describe('LakehouseStorage defaults', () => {
  const { lakehouse, stack } = build();
  const template = Template.fromStack(stack);

  test('one customer-managed key with rotation that only AWS services may create grants on', () => {
    template.resourceCountIs('AWS::KMS::Key', 1);
    template.hasResourceProperties('AWS::KMS::Key', {
      EnableKeyRotation: true,
      KeyPolicy: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Effect: 'Deny',
            Action: 'kms:CreateGrant',
            Condition: { BoolIfExists: { 'kms:GrantIsForAWSResource': 'false', 'aws:PrincipalIsAWSService': 'false' } },
          }),
        ]),
      },
    });
  });

  test.each(TIERS)('%s is encrypted with the lakehouse key, private, versioned, owner-enforced and logged', (tier) => {
    const { bucket } = bucketOf(template, tier);
    const keyId = Object.keys(template.findResources('AWS::KMS::Key'))[0];
    const accessLogs = bucketOf(template, 'AccessLogsBucket').id;
    expect(bucket.Properties).toMatchObject({
      BucketEncryption: {
        ServerSideEncryptionConfiguration: [
          { BucketKeyEnabled: true, ServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: { 'Fn::GetAtt': [keyId, 'Arn'] } } },
        ],
      },
      PublicAccessBlockConfiguration: { BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true },
      VersioningConfiguration: { Status: 'Enabled' },
      OwnershipControls: { Rules: [{ ObjectOwnership: 'BucketOwnerEnforced' }] },
      LoggingConfiguration: { DestinationBucketName: { Ref: accessLogs }, LogFilePrefix: `${tier.replace('Bucket', '').toLowerCase()}/` },
      ObjectLockEnabled: true,
      NotificationConfiguration: { EventBridgeConfiguration: { EventBridgeEnabled: true } },
    });
  });

  test.each(TIERS)('%s bucket policy denies plain HTTP and TLS older than 1.2', (tier) => {
    const { id } = bucketOf(template, tier);
    template.hasResourceProperties('AWS::S3::BucketPolicy', {
      Bucket: { Ref: id },
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
          Match.objectLike({ Effect: 'Deny', Condition: { NumericLessThan: { 's3:TlsVersion': 1.2 } } }),
        ]),
      },
    });
  });

  test('the access-log bucket uses SSE-S3, as S3 log delivery requires, and expires logs after 365 days', () => {
    const { bucket } = bucketOf(template, 'AccessLogsBucket');
    expect(bucket.Properties.BucketEncryption.ServerSideEncryptionConfiguration[0].ServerSideEncryptionByDefault).toEqual({ SSEAlgorithm: 'AES256' });
    expect(rule(template, 'AccessLogsBucket', 'expire-access-logs')).toMatchObject({ ExpirationInDays: 365 });
    template.hasResourceProperties('AWS::S3::BucketPolicy', {
      PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Principal: { Service: 'logging.s3.amazonaws.com' }, Action: 's3:PutObject' })]) },
    });
  });

  test('bronze moves to Standard-IA at 30 days and to Glacier at 90 days', () => {
    expect(rule(template, 'BronzeBucket', 'bronze-tiering')).toMatchObject({
      Status: 'Enabled',
      Transitions: [
        { StorageClass: 'STANDARD_IA', TransitionInDays: 30 },
        { StorageClass: 'GLACIER', TransitionInDays: 90 },
      ],
    });
  });

  test('silver moves to Standard-IA at 90 days; gold stays in Standard', () => {
    expect(rule(template, 'SilverBucket', 'silver-tiering')).toMatchObject({ Transitions: [{ StorageClass: 'STANDARD_IA', TransitionInDays: 90 }] });
    expect(bucketOf(template, 'GoldBucket').bucket.Properties.LifecycleConfiguration.Rules).toHaveLength(1);
  });

  test.each([...TIERS, 'AccessLogsBucket', 'QueryResultsBucket'])('%s expires noncurrent versions after 30 days and aborts uploads after 7', (bucket) => {
    expect(rule(template, bucket, 'housekeeping')).toMatchObject({
      NoncurrentVersionExpiration: { NoncurrentDays: 30 },
      AbortIncompleteMultipartUpload: { DaysAfterInitiation: 7 },
      ExpiredObjectDeleteMarker: true,
    });
  });

  test('query results expire after 30 days', () => {
    expect(rule(template, 'QueryResultsBucket', 'expire-query-results')).toMatchObject({ ExpirationInDays: 30 });
  });

  test('everything is retained when the stack is deleted, and nothing auto-deletes', () => {
    for (const type of ['AWS::S3::Bucket', 'AWS::KMS::Key', 'AWS::Athena::WorkGroup']) {
      for (const resource of Object.values(template.findResources(type))) {
        expect(resource).toMatchObject({ DeletionPolicy: 'Retain', UpdateReplacePolicy: 'Retain' });
      }
    }
    template.resourceCountIs('Custom::S3AutoDeleteObjects', 0);
  });

  test('a Glue database per tier, named after the stack and located in its bucket', () => {
    template.resourceCountIs('AWS::Glue::Database', 3);
    for (const tier of ['bronze', 'silver', 'gold']) {
      const bucketId = bucketOf(template, `${tier[0].toUpperCase()}${tier.slice(1)}Bucket`).id;
      template.hasResourceProperties('AWS::Glue::Database', {
        DatabaseInput: {
          Name: `teststack_${tier}`,
          LocationUri: { 'Fn::Join': ['', ['s3://', { Ref: bucketId }]] },
        },
      });
    }
    expect(stack.resolve(lakehouse.databaseName('gold'))).toEqual({ Ref: expect.stringMatching(/^LakehouseGoldDatabase/) });
  });

  test('an Athena workgroup that enforces KMS-encrypted results and a 100 GiB scan cutoff', () => {
    const keyId = Object.keys(template.findResources('AWS::KMS::Key'))[0];
    template.hasResourceProperties('AWS::Athena::WorkGroup', {
      Name: 'TestStack-lakehouse',
      RecursiveDeleteOption: false,
      WorkGroupConfiguration: {
        EnforceWorkGroupConfiguration: true,
        PublishCloudWatchMetricsEnabled: true,
        BytesScannedCutoffPerQuery: 100 * 1024 ** 3,
        ResultConfiguration: {
          EncryptionConfiguration: { EncryptionOption: 'SSE_KMS', KmsKey: { 'Fn::GetAtt': [keyId, 'Arn'] } },
          OutputLocation: Match.anyValue(),
        },
      },
    });
  });

  test('rejected records go to quarantine/ in the silver bucket', () => {
    expect(lakehouse.quarantinePrefix).toBe('quarantine/');
  });
});

describe('LakehouseStorage with custom props', () => {
  test('lifecycle, retention and names follow the props', () => {
    const { template } = build({
      bronzeInfrequentAccessAfter: Duration.days(45),
      bronzeArchiveAfter: Duration.days(200),
      silverInfrequentAccessAfter: Duration.days(60),
      noncurrentVersionExpiration: Duration.days(3),
      abortIncompleteMultipartUploadAfter: Duration.days(1),
      accessLogRetention: Duration.days(400),
      queryResultRetention: Duration.days(5),
      databaseNamePrefix: 'sales_lake',
      workGroupName: 'sales-analytics',
      bytesScannedCutoffPerQuery: Size.gibibytes(1),
      quarantinePrefix: 'rejected/',
    });
    expect(rule(template, 'BronzeBucket', 'bronze-tiering')).toMatchObject({
      Transitions: [
        { StorageClass: 'STANDARD_IA', TransitionInDays: 45 },
        { StorageClass: 'GLACIER', TransitionInDays: 200 },
      ],
    });
    expect(rule(template, 'SilverBucket', 'silver-tiering')).toMatchObject({ Transitions: [{ TransitionInDays: 60 }] });
    expect(rule(template, 'GoldBucket', 'housekeeping')).toMatchObject({
      NoncurrentVersionExpiration: { NoncurrentDays: 3 },
      AbortIncompleteMultipartUpload: { DaysAfterInitiation: 1 },
    });
    expect(rule(template, 'AccessLogsBucket', 'expire-access-logs')).toMatchObject({ ExpirationInDays: 400 });
    expect(rule(template, 'QueryResultsBucket', 'expire-query-results')).toMatchObject({ ExpirationInDays: 5 });
    template.hasResourceProperties('AWS::Glue::Database', { DatabaseInput: Match.objectLike({ Name: 'sales_lake_silver' }) });
    template.hasResourceProperties('AWS::Athena::WorkGroup', {
      Name: 'sales-analytics',
      WorkGroupConfiguration: Match.objectLike({ BytesScannedCutoffPerQuery: 1024 ** 3 }),
    });
  });

  test('DESTROY with auto-delete empties and deletes buckets, key and workgroup', () => {
    const { template } = build({ removalPolicy: RemovalPolicy.DESTROY, autoDeleteObjects: true });
    for (const resource of Object.values(template.findResources('AWS::S3::Bucket'))) expect(resource.DeletionPolicy).toBe('Delete');
    for (const resource of Object.values(template.findResources('AWS::KMS::Key'))) expect(resource.DeletionPolicy).toBe('Delete');
    template.resourceCountIs('Custom::S3AutoDeleteObjects', 5);
    template.hasResourceProperties('AWS::Athena::WorkGroup', { RecursiveDeleteOption: true });
  });

  test('a key brought by the caller is used and no key is created', () => {
    const stack = new Stack(new App({ context: fastCdkContext() }), 'Byok');
    const key = kms.Key.fromKeyArn(stack, 'Key', 'arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab');
    new LakehouseStorage(stack, 'Lakehouse', { encryptionKey: key });
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::KMS::Key', 0);
    template.hasResourceProperties('AWS::S3::Bucket', {
      BucketEncryption: {
        ServerSideEncryptionConfiguration: [Match.objectLike({ ServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: key.keyArn } })],
      },
    });
  });

  test('EventBridge notifications can be turned off', () => {
    const { template } = build({ eventBridgeEnabled: false });
    expect(bucketOf(template, 'BronzeBucket').bucket.Properties.NotificationConfiguration).toBeUndefined();
  });
});

describe('LakehouseStorage validation', () => {
  test.each<[string, LakehouseStorageProps, RegExp]>([
    [
      'autoDeleteObjects without DESTROY',
      { autoDeleteObjects: true },
      /LakehouseStorage: invalid autoDeleteObjects = true; only allowed with removalPolicy DESTROY/,
    ],
    [
      'IA before 30 days',
      { bronzeInfrequentAccessAfter: Duration.days(10) },
      /invalid bronzeInfrequentAccessAfter = "10 days"; S3 moves objects to Standard-IA after at least 30 days/,
    ],
    ['silver IA before 30 days', { silverInfrequentAccessAfter: Duration.days(29) }, /invalid silverInfrequentAccessAfter = "29 days"/],
    [
      'archive before IA',
      { bronzeArchiveAfter: Duration.days(30) },
      /invalid bronzeArchiveAfter = "30 days"; must be later than bronzeInfrequentAccessAfter \(30 days\)/,
    ],
    ['quarantine prefix without slash', { quarantinePrefix: 'quarantine' }, /invalid quarantinePrefix = "quarantine"; a key prefix/],
    ['database prefix with hyphens', { databaseNamePrefix: 'my-lake' }, /invalid databaseNamePrefix = "my-lake"; lower-case letters, digits and underscores/],
    ['workgroup with spaces', { workGroupName: 'my group' }, /invalid workGroupName = "my group"/],
  ])('%s is rejected with a message naming the prop', (_name, props, message) => {
    expect(() => build(props)).toThrow(message);
  });
});

describe('LakehouseStorage grants', () => {
  test('grantRead on a tier allows reading that bucket and decrypting with the key, nothing else', () => {
    const { stack, lakehouse } = build();
    const role = new iam.Role(stack, 'Reader', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
    lakehouse.grantRead('silver', role);
    const template = Template.fromStack(stack);
    const policy = Object.values(template.findResources('AWS::IAM::Policy'))[0].Properties.PolicyDocument;
    const rendered = JSON.stringify(policy);
    expect(rendered).toContain('LakehouseSilverBucket');
    expect(rendered).not.toMatch(/LakehouseBronzeBucket|LakehouseGoldBucket/);
    expect(rendered).toContain('kms:Decrypt');
    expect(rendered).not.toContain('s3:PutObject');
  });

  test('grantWrite limited to a prefix covers encryption with the key', () => {
    const { stack, lakehouse } = build();
    const role = new iam.Role(stack, 'Writer', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
    lakehouse.grantWrite('silver', role, 'quarantine/*');
    const rendered = JSON.stringify(Template.fromStack(stack).toJSON().Resources);
    expect(rendered).toContain('/quarantine/*');
    expect(rendered).toMatch(/kms:GenerateDataKey/);
  });

  test('fromLakehouseAttributes grants on imported buckets include the key', () => {
    const stack = new Stack(new App({ context: fastCdkContext() }), 'Consumer');
    const key = kms.Key.fromKeyArn(stack, 'Key', 'arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab');
    const lake = LakehouseStorage.fromLakehouseAttributes(stack, 'Lake', {
      bronzeBucket: s3.Bucket.fromBucketName(stack, 'Bronze', 'corp-bronze'),
      silverBucket: s3.Bucket.fromBucketName(stack, 'Silver', 'corp-silver'),
      goldBucket: s3.Bucket.fromBucketName(stack, 'Gold', 'corp-gold'),
      encryptionKey: key,
    });
    const role = new iam.Role(stack, 'Role', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
    lake.grantReadWrite('gold', role);
    const rendered = JSON.stringify(Template.fromStack(stack).toJSON().Resources);
    expect(rendered).toContain('corp-gold');
    expect(rendered).toContain(key.keyArn);
    expect(rendered).toMatch(/kms:Decrypt/);
    expect(lake.quarantinePrefix).toBe('quarantine/');
  });
});

describe('LakehouseStorage silver tables (datasets)', () => {
  const stack = new Stack(new App({ context: fastCdkContext() }), 'Tables');
  const lakehouse = new LakehouseStorage(stack, 'Lakehouse', { datasets: [customerEventsContract], firstIngestDate: '2026-01-01' });
  const template = Template.fromStack(stack);

  test('a Parquet table per dataset with the contract columns and partition projection on ingest_date', () => {
    template.resourceCountIs('AWS::Glue::Table', 2);
    template.hasResourceProperties('AWS::Glue::Table', {
      DatabaseName: stack.resolve(lakehouse.databaseName('silver')),
      TableInput: Match.objectLike({
        Name: 'customer_events',
        TableType: 'EXTERNAL_TABLE',
        PartitionKeys: [Match.objectLike({ Name: 'ingest_date', Type: 'string' })],
        Parameters: Match.objectLike({ 'projection.enabled': 'true', 'projection.ingest_date.range': '2026-01-01,NOW', 'projection.ingest_date.type': 'date' }),
        StorageDescriptor: Match.objectLike({
          Columns: customerEventsContract.fields.map((field) => Match.objectLike({ Name: field.name, Type: GLUE_COLUMN_TYPES[field.type] })),
          SerdeInfo: { SerializationLibrary: 'org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe' },
        }),
      }),
    });
  });

  test('a JSON Lines quarantine table in the configured quarantine prefix', () => {
    template.hasResourceProperties('AWS::Glue::Table', {
      TableInput: Match.objectLike({
        Name: 'customer_events_quarantine',
        StorageDescriptor: Match.objectLike({
          Location: { 'Fn::Join': ['', ['s3://', { Ref: Match.anyValue() }, '/quarantine/dataset=customer-events/']] },
          SerdeInfo: { SerializationLibrary: 'org.openx.data.jsonserde.JsonSerDe', Parameters: Match.objectLike({ 'mapping.lastline': 'lastLine' }) },
        }),
      }),
    });
  });

  test('a saved "today\'s rows" query per dataset in the lakehouse workgroup', () => {
    template.hasResourceProperties('AWS::Athena::NamedQuery', {
      WorkGroup: stack.resolve(lakehouse.workGroup.ref),
      QueryString: Match.stringLikeRegexp('FROM "customer_events" WHERE ingest_date ='),
    });
  });

  test('a bad firstIngestDate fails naming the value', () => {
    const other = new Stack(new App({ context: fastCdkContext() }), 'Bad');
    expect(() => new LakehouseStorage(other, 'Lakehouse', { datasets: [customerEventsContract], firstIngestDate: '2026-13-45' })).toThrow(
      /firstIngestDate "2026-13-45" must be a date as YYYY-MM-DD/,
    );
  });
});
