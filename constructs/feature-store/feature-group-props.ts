import type { RemovalPolicy } from 'aws-cdk-lib';
import type * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import type { FeatureGroupDefinition } from '../../lib/features';

/** Where a feature group's offline store lives: a prefix of a lakehouse bucket, catalogued in Glue. */
export interface OfflineStoreLocation {
  readonly bucket: s3.IBucket;
  /** Key prefix ending in '/'; the group's files go under `<prefix><account>/sagemaker/<region>/offline-store/<group>-<time>/`. */
  readonly prefix: string;
  /** Key SageMaker encrypts the offline files with. */
  readonly encryptionKey: kms.IKey;
  /** Glue database in which SageMaker registers the group's table. */
  readonly databaseName: string;
}

export interface FeatureGroupProps {
  /** The typed definition, as declared in the environment config (`lib/features`). */
  readonly definition: FeatureGroupDefinition;

  /**
   * The group's physical name (unique per account and region).
   * @default - the definition's name
   */
  readonly featureGroupName?: string;

  /** Role SageMaker assumes to write the offline store; needs write access to the offline location. */
  readonly role: iam.IRole;

  /** Key that encrypts the online store. */
  readonly onlineStoreKey: kms.IKey;

  readonly offlineStore: OfflineStoreLocation;

  /**
   * Name of the Glue table of the offline store (Athena: lower-case letters, digits and underscores).
   * @default - the group name, lower-cased, with '-' replaced by '_'
   */
  readonly offlineStoreTableName?: string;

  /**
   * What happens to the group (and its online records) when the stack is deleted.
   * @default RemovalPolicy.RETAIN
   */
  readonly removalPolicy?: RemovalPolicy;
}
