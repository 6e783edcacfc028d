import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import { Construct, type IConstruct } from 'constructs';
import type { FeatureGroupDefinition } from '../../lib/features';
import { keysUnder } from '../../lib/lakehouse';
import { grantObjectWrite } from '../functions/object-grants';
import type { ILakehouse } from '../lakehouse';
import { InvalidPropError } from '../shared/prop-validation';
import type { IFeatureGroup } from './feature-group';
import { DESCRIBE_GROUP_ACTIONS } from './perms';

/**
 * A feature store: feature groups built from typed definitions, their offline stores under one prefix of a lakehouse's
 * gold bucket. Created by `FeatureStore` or imported with `FeatureStore.fromFeatureStoreAttributes` (a store another
 * stack or team owns); feature materialization takes either.
 */
export interface IFeatureStore extends IConstruct {
  /** The lakehouse whose gold bucket holds the offline stores. */
  readonly lakehouse: ILakehouse;
  /** Prefix of the gold bucket under which every group's offline store lies. */
  readonly offlineStorePrefix: string;
  /** The typed definitions under their configured names, in the order given. */
  readonly definitions: readonly FeatureGroupDefinition[];
  /** Feature groups by configured name. */
  readonly featureGroups: ReadonlyMap<string, IFeatureGroup>;
  /** The definitions under the groups' physical names: what a materialization function is configured with. */
  physicalDefinitions(): FeatureGroupDefinition[];
  /** PutRecord on every group (and Decrypt on the online store key); a dropped grant when the store has no group. */
  grantWriteAll(grantee: iam.IGrantable): iam.Grant;
  /** DescribeFeatureGroup on every group, and writing objects under the offline-store prefix (bulk materialization). */
  grantOfflineWrite(grantee: iam.IGrantable): iam.Grant;
}

/** Attributes of an existing feature store, for `FeatureStore.fromFeatureStoreAttributes`. */
export interface FeatureStoreAttributes {
  /** The definitions its groups were created from, under their configured names. */
  readonly featureGroups: readonly FeatureGroupDefinition[];
  /** The lakehouse whose gold bucket holds the offline stores. */
  readonly lakehouse: ILakehouse;
  /** @default '' */
  readonly groupNamePrefix?: string;
  /** @default 'feature-store/' */
  readonly offlineStorePrefix?: string;
  /** @default - no key grant: the online stores use an AWS-owned key */
  readonly onlineStoreKey?: kms.IKey;
}

/** Physical definitions and grants, shared by created and imported feature stores. */
export abstract class FeatureStoreBase extends Construct implements IFeatureStore {
  abstract readonly lakehouse: ILakehouse;
  abstract readonly offlineStorePrefix: string;
  abstract readonly definitions: readonly FeatureGroupDefinition[];
  abstract readonly featureGroups: ReadonlyMap<string, IFeatureGroup>;

  physicalDefinitions(): FeatureGroupDefinition[] {
    return this.definitions.map((definition) => ({ ...definition, name: this.group(definition.name).featureGroupName }));
  }

  grantWriteAll(grantee: iam.IGrantable): iam.Grant {
    const grants = [...this.featureGroups.values()].map((group) => group.grantWrite(grantee));
    return grants.reduce((all, grant) => all.combine(grant), iam.Grant.drop(grantee, 'write to the feature groups of an empty feature store'));
  }

  /**
   * What bulk materialization needs besides PutRecord: DescribeFeatureGroup (to find each group's offline location)
   * and writing Parquet objects under the offline-store prefix of the gold bucket (PutObject, AbortMultipartUpload;
   * kms:GenerateDataKey and kms:Decrypt on the lakehouse key).
   */
  grantOfflineWrite(grantee: iam.IGrantable): iam.Grant {
    const describe = iam.Grant.addToPrincipal({
      grantee,
      actions: DESCRIBE_GROUP_ACTIONS,
      resourceArns: [...this.featureGroups.values()].map((group) => group.featureGroupArn),
    });
    const objects = grantObjectWrite(grantee, {
      bucket: this.lakehouse.goldBucket,
      encryptionKey: this.lakehouse.encryptionKey,
      keyPattern: keysUnder(this.offlineStorePrefix),
    });
    return describe.combine(objects);
  }

  private group(name: string): IFeatureGroup {
    const group = this.featureGroups.get(name);
    if (!group) throw new InvalidPropError('FeatureStore', 'featureGroup', name, `one of ${[...this.featureGroups.keys()].join(', ') || '(none configured)'}`);
    return group;
  }
}
