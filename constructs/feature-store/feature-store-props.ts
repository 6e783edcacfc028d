import type { RemovalPolicy } from 'aws-cdk-lib';
import type * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import type { FeatureGroupDefinition } from '../../lib/features';
import type { ILakehouse } from '../lakehouse';

export interface FeatureStoreProps {
  /** Feature groups to create, from the environment config (`featureGroups`). */
  readonly featureGroups: readonly FeatureGroupDefinition[];

  /** The lakehouse whose gold tier holds the offline store (encrypted with the lakehouse key). */
  readonly lakehouse: ILakehouse;

  /** Glue database of the gold tier, where each group's offline table is registered. */
  readonly goldDatabaseName: string;

  /**
   * Prepended to each definition's name to name its feature group, so environments sharing an account do not collide
   * (`dev-` → `dev-customer-churn-features`); `featureGroup(name)` still takes the configured name.
   * @default '' - each group is named exactly as its definition
   */
  readonly groupNamePrefix?: string;

  /**
   * Prefix of the gold bucket that holds every group's offline store.
   * @default 'feature-store/'
   */
  readonly offlineStorePrefix?: string;

  /**
   * Key that encrypts the online stores.
   * @default - a new KMS key with rotation
   */
  readonly onlineStoreKey?: kms.IKey;

  /**
   * Role SageMaker assumes to write the offline stores; it receives write access to the offline prefix only.
   * @default - a new role trusted by SageMaker for this account only
   */
  readonly role?: iam.IRole;

  /**
   * What happens to the groups and a key created here when the stack is deleted.
   * @default RemovalPolicy.RETAIN
   */
  readonly removalPolicy?: RemovalPolicy;
}
