import type { Duration, RemovalPolicy, Size } from 'aws-cdk-lib';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import type { DatasetContract } from '../../lib/contracts';

export interface LakehouseStorageProps {
  /**
   * Customer-managed key that encrypts the tier buckets, the Athena results and the Glue catalog data they describe.
   * @default - a new KMS key with yearly automatic rotation
   */
  readonly encryptionKey?: IKey;

  /**
   * What happens to the buckets, their data and the key when the stack is deleted.
   * @default RemovalPolicy.RETAIN
   */
  readonly removalPolicy?: RemovalPolicy;

  /**
   * Empty the buckets before deletion. Only allowed together with `RemovalPolicy.DESTROY`.
   * @default false
   */
  readonly autoDeleteObjects?: boolean;

  /**
   * Age at which bronze objects move to S3 Standard-IA (S3 requires at least 30 days).
   * @default Duration.days(30)
   */
  readonly bronzeInfrequentAccessAfter?: Duration;

  /**
   * Age at which bronze objects move to S3 Glacier Flexible Retrieval; must be later than the infrequent-access transition.
   * @default Duration.days(90)
   */
  readonly bronzeArchiveAfter?: Duration;

  /**
   * Age at which silver objects move to S3 Standard-IA (S3 requires at least 30 days).
   * @default Duration.days(90)
   */
  readonly silverInfrequentAccessAfter?: Duration;

  /**
   * Time after which noncurrent object versions are deleted, in every tier.
   * @default Duration.days(30)
   */
  readonly noncurrentVersionExpiration?: Duration;

  /**
   * Time after which incomplete multipart uploads are aborted, in every bucket.
   * @default Duration.days(7)
   */
  readonly abortIncompleteMultipartUploadAfter?: Duration;

  /**
   * Time server access logs are kept in the access-log bucket.
   * @default Duration.days(365)
   */
  readonly accessLogRetention?: Duration;

  /**
   * Time Athena query results are kept.
   * @default Duration.days(30)
   */
  readonly queryResultRetention?: Duration;

  /**
   * Key prefix, in the silver bucket, where rejected records are written with their reasons.
   * @default 'quarantine/'
   */
  readonly quarantinePrefix?: string;

  /**
   * Prefix of the Glue database names (`<prefix>_bronze`, `<prefix>_silver`, `<prefix>_gold`):
   * lower-case letters, digits and underscores.
   * @default - the stack name, lower-cased, with other characters replaced by underscores
   */
  readonly databaseNamePrefix?: string;

  /**
   * Name of the Athena workgroup.
   * @default - `<stack name>-lakehouse`
   */
  readonly workGroupName?: string;

  /**
   * Largest amount of data one Athena query may scan before it is cancelled (cost guard).
   * @default Size.gibibytes(100)
   */
  readonly bytesScannedCutoffPerQuery?: Size;

  /**
   * Datasets to make queryable: a Glue table of each one's silver Parquet and one of its quarantine, in the silver
   * database, with partition projection (see `SilverTables`).
   * @default - no tables
   */
  readonly datasets?: readonly DatasetContract[];

  /**
   * The first `ingest_date` partition the silver tables project (`YYYY-MM-DD`); the last is always today.
   * @default '2025-01-01'
   */
  readonly firstIngestDate?: string;

  /**
   * Send the buckets' object events to Amazon EventBridge (ingestion and materialization listen there).
   * @default true
   */
  readonly eventBridgeEnabled?: boolean;
}
