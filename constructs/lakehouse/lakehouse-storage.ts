import { Duration, RemovalPolicy, Size, Stack } from 'aws-cdk-lib';
import * as athena from 'aws-cdk-lib/aws-athena';
import * as glue from 'aws-cdk-lib/aws-glue';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { DEFAULT_QUARANTINE_PREFIX } from '../../lib/lakehouse';
import { createPlatformKey } from '../shared/platform-key';
import { createSecureBucket, housekeepingRule } from '../shared/secure-bucket';
import { LAKEHOUSE_TIERS, LakehouseBase, type ILakehouse, type LakehouseAttributes, type LakehouseTier } from './lakehouse';
import type { LakehouseStorageProps } from './lakehouse-storage-props';
import { SilverTables } from './silver-tables';
import { validateDatabaseNamePrefix, validateLifecycle, validateQuarantinePrefix, validateRemoval, validateWorkGroupName } from './validate-lakehouse-props';

export { DEFAULT_QUARANTINE_PREFIX };

class ImportedLakehouse extends LakehouseBase {
  readonly bronzeBucket: s3.IBucket;
  readonly silverBucket: s3.IBucket;
  readonly goldBucket: s3.IBucket;
  readonly encryptionKey: kms.IKey;
  readonly quarantinePrefix: string;

  constructor(scope: Construct, id: string, attrs: LakehouseAttributes) {
    super(scope, id);
    this.bronzeBucket = attrs.bronzeBucket;
    this.silverBucket = attrs.silverBucket;
    this.goldBucket = attrs.goldBucket;
    this.encryptionKey = attrs.encryptionKey;
    this.quarantinePrefix = attrs.quarantinePrefix ?? DEFAULT_QUARANTINE_PREFIX;
  }
}

/**
 * Lakehouse storage: bronze, silver and gold buckets encrypted with one customer-managed key, a server-access-log
 * bucket, an Athena query-results bucket, a Glue database per tier and an Athena workgroup that enforces encryption.
 */
export class LakehouseStorage extends LakehouseBase {
  /** Use a lake a team already has; grants work the same way. */
  static fromLakehouseAttributes(scope: Construct, id: string, attrs: LakehouseAttributes): ILakehouse {
    validateQuarantinePrefix(attrs.quarantinePrefix ?? DEFAULT_QUARANTINE_PREFIX);
    return new ImportedLakehouse(scope, id, attrs);
  }

  readonly encryptionKey: kms.IKey;
  readonly accessLogsBucket: s3.Bucket;
  readonly bronzeBucket: s3.Bucket;
  readonly silverBucket: s3.Bucket;
  readonly goldBucket: s3.Bucket;
  readonly queryResultsBucket: s3.Bucket;
  readonly quarantinePrefix: string;
  readonly databases: Readonly<Record<LakehouseTier, glue.CfnDatabase>>;
  readonly workGroup: athena.CfnWorkGroup;
  /** The Glue tables of the silver datasets and their quarantine (none unless `datasets` is given). */
  readonly silverTables: SilverTables;

  constructor(scope: Construct, id: string, props: LakehouseStorageProps = {}) {
    super(scope, id);
    const stackName = Stack.of(this).stackName;
    const removalPolicy = props.removalPolicy ?? RemovalPolicy.RETAIN;
    const autoDeleteObjects = props.autoDeleteObjects ?? false;
    const lifecycle = {
      bronzeInfrequentAccessAfter: props.bronzeInfrequentAccessAfter ?? Duration.days(30),
      bronzeArchiveAfter: props.bronzeArchiveAfter ?? Duration.days(90),
      silverInfrequentAccessAfter: props.silverInfrequentAccessAfter ?? Duration.days(90),
    };
    const noncurrentVersionExpiration = props.noncurrentVersionExpiration ?? Duration.days(30);
    const abortIncompleteMultipartUploadAfter = props.abortIncompleteMultipartUploadAfter ?? Duration.days(7);
    const accessLogRetention = props.accessLogRetention ?? Duration.days(365);
    const queryResultRetention = props.queryResultRetention ?? Duration.days(30);
    this.quarantinePrefix = props.quarantinePrefix ?? DEFAULT_QUARANTINE_PREFIX;
    const databaseNamePrefix = props.databaseNamePrefix ?? stackName.toLowerCase().replace(/[^a-z0-9_]/g, '_');
    const workGroupName = props.workGroupName ?? `${stackName}-lakehouse`;
    const bytesScannedCutoffPerQuery = props.bytesScannedCutoffPerQuery ?? Size.gibibytes(100);
    const eventBridgeEnabled = props.eventBridgeEnabled ?? true;

    validateRemoval(removalPolicy, autoDeleteObjects);
    validateLifecycle(lifecycle);
    validateQuarantinePrefix(this.quarantinePrefix);
    validateDatabaseNamePrefix(databaseNamePrefix);
    validateWorkGroupName(workGroupName);

    this.encryptionKey =
      props.encryptionKey ??
      createPlatformKey(this, 'EncryptionKey', {
        description: `Encrypts the ${stackName} lakehouse tiers and query results`,
        removalPolicy,
      });

    const housekeeping = housekeepingRule(noncurrentVersionExpiration, abortIncompleteMultipartUploadAfter);
    const common = { removalPolicy, autoDeleteObjects };

    // S3 server access logging can only deliver to a bucket encrypted with SSE-S3.
    this.accessLogsBucket = createSecureBucket(this, 'AccessLogsBucket', {
      ...common,
      lifecycleRules: [housekeeping, { id: 'expire-access-logs', expiration: accessLogRetention }],
    });

    const tierBucket = (id: string, tier: LakehouseTier, tierRules: s3.LifecycleRule[]) =>
      createSecureBucket(this, id, {
        ...common,
        encryptionKey: this.encryptionKey,
        serverAccessLogsBucket: this.accessLogsBucket,
        serverAccessLogsPrefix: `${tier}/`,
        lifecycleRules: [housekeeping, ...tierRules],
        eventBridgeEnabled,
      });

    this.bronzeBucket = tierBucket('BronzeBucket', 'bronze', [
      {
        id: 'bronze-tiering',
        transitions: [
          { storageClass: s3.StorageClass.INFREQUENT_ACCESS, transitionAfter: lifecycle.bronzeInfrequentAccessAfter },
          { storageClass: s3.StorageClass.GLACIER, transitionAfter: lifecycle.bronzeArchiveAfter },
        ],
      },
    ]);
    this.silverBucket = tierBucket('SilverBucket', 'silver', [
      {
        id: 'silver-tiering',
        transitions: [{ storageClass: s3.StorageClass.INFREQUENT_ACCESS, transitionAfter: lifecycle.silverInfrequentAccessAfter }],
      },
    ]);
    // Gold holds the features and training sets that models are trained and audited on: it stays in Standard.
    this.goldBucket = tierBucket('GoldBucket', 'gold', []);

    this.queryResultsBucket = createSecureBucket(this, 'QueryResultsBucket', {
      ...common,
      encryptionKey: this.encryptionKey,
      serverAccessLogsBucket: this.accessLogsBucket,
      serverAccessLogsPrefix: 'athena-results/',
      lifecycleRules: [housekeeping, { id: 'expire-query-results', expiration: queryResultRetention }],
    });

    const databases = {} as Record<LakehouseTier, glue.CfnDatabase>;
    for (const tier of LAKEHOUSE_TIERS) {
      databases[tier] = new glue.CfnDatabase(this, `${capitalize(tier)}Database`, {
        catalogId: Stack.of(this).account,
        databaseInput: {
          name: `${databaseNamePrefix}_${tier}`,
          description: `${tier} tier of the ${stackName} lakehouse`,
          locationUri: this.bucket(tier).s3UrlForObject(),
        },
      });
    }
    this.databases = databases;

    this.workGroup = new athena.CfnWorkGroup(this, 'WorkGroup', {
      name: workGroupName,
      description: `Queries over the ${stackName} lakehouse; results encrypted with the lakehouse key`,
      recursiveDeleteOption: removalPolicy === RemovalPolicy.DESTROY,
      workGroupConfiguration: {
        enforceWorkGroupConfiguration: true,
        publishCloudWatchMetricsEnabled: true,
        bytesScannedCutoffPerQuery: bytesScannedCutoffPerQuery.toBytes(),
        engineVersion: { selectedEngineVersion: 'AUTO' },
        resultConfiguration: {
          outputLocation: this.queryResultsBucket.s3UrlForObject('results/'),
          encryptionConfiguration: { encryptionOption: 'SSE_KMS', kmsKey: this.encryptionKey.keyArn },
        },
      },
    });
    this.workGroup.applyRemovalPolicy(removalPolicy);

    this.silverTables = new SilverTables(this, 'SilverTables', {
      silverBucket: this.silverBucket,
      databaseName: this.databaseName('silver'),
      quarantinePrefix: this.quarantinePrefix,
      datasets: props.datasets ?? [],
      firstIngestDate: props.firstIngestDate ?? '2025-01-01',
      workGroupName: this.workGroup.ref,
    });
  }

  /** Glue database name of one tier. */
  databaseName(tier: LakehouseTier): string {
    return this.databases[tier].ref;
  }
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
