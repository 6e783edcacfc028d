import { RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import type { Construct } from 'constructs';
import { acknowledgeWildcardResource } from '../shared/wildcard-findings';
import type { FeatureGroupDefinition } from '../../lib/features';
import { FEATURE_STORE_PREFIX } from '../../lib/lakehouse';
import type { ILakehouse } from '../lakehouse';
import { ManagedPolicyRole } from '../shared/managed-policy-role';
import { createPlatformKey } from '../shared/platform-key';
import { pascalCase } from '../shared/construct-id';
import { InvalidPropError } from '../shared/prop-validation';
import { FeatureGroup, type IFeatureGroup } from './feature-group';
import { type FeatureStoreAttributes, FeatureStoreBase, type IFeatureStore } from './feature-store-base';
import { OFFLINE_STORE_BUCKET_ACTIONS, OFFLINE_STORE_KEY_ACTIONS, OFFLINE_STORE_OBJECT_ACTIONS } from './perms';
import type { FeatureStoreProps } from './feature-store-props';

/**
 * The feature store of one environment: a SageMaker feature group per configured definition, online stores encrypted
 * with one customer-managed key, offline stores in the gold tier of the lakehouse (one prefix, lakehouse key, one
 * Glue table per group in the gold database) written by one role that may write nowhere else.
 */
export class FeatureStore extends FeatureStoreBase {
  /** A feature store whose groups exist already (another stack or team): the same definitions and grants. */
  static fromFeatureStoreAttributes(scope: Construct, id: string, attrs: FeatureStoreAttributes): IFeatureStore {
    validateUniqueNames(attrs.featureGroups.map((group) => group.name));
    return new ImportedFeatureStore(scope, id, attrs);
  }

  readonly role: iam.IRole;
  readonly onlineStoreKey: kms.IKey;
  readonly offlineStorePrefix: string;
  readonly lakehouse: ILakehouse;
  /** Feature groups by name. */
  readonly featureGroups: ReadonlyMap<string, FeatureGroup>;
  /** The typed definitions the groups were created from, in the order given (what feature materialization computes). */
  readonly definitions: readonly FeatureGroupDefinition[];

  constructor(scope: Construct, id: string, props: FeatureStoreProps) {
    super(scope, id);
    const removalPolicy = props.removalPolicy ?? RemovalPolicy.RETAIN;
    this.offlineStorePrefix = props.offlineStorePrefix ?? FEATURE_STORE_PREFIX;
    const groupNamePrefix = props.groupNamePrefix ?? '';
    this.lakehouse = props.lakehouse;
    validateUniqueNames(props.featureGroups.map((group) => group.name));
    this.definitions = [...props.featureGroups];
    const stack = Stack.of(this);

    this.onlineStoreKey =
      props.onlineStoreKey ??
      createPlatformKey(this, 'OnlineStoreKey', { description: `Encrypts the ${stack.stackName} feature store online stores`, removalPolicy });
    this.role =
      props.role ??
      new ManagedPolicyRole(this, 'OfflineStoreRole', {
        assumedBy: new iam.ServicePrincipal('sagemaker.amazonaws.com', { conditions: { StringEquals: { 'aws:SourceAccount': stack.account } } }),
        description: `SageMaker Feature Store writes the ${stack.stackName} offline stores with this role`,
      });
    this.grantOfflineStoreWrite(props);
    if (this.role instanceof ManagedPolicyRole) this.acknowledgeOfflinePrefix(this.role, props);

    const groups = new Map<string, FeatureGroup>();
    for (const definition of props.featureGroups) {
      groups.set(
        definition.name,
        new FeatureGroup(this, `Group${pascalCase(definition.name)}`, {
          definition,
          featureGroupName: `${groupNamePrefix}${definition.name}`,
          role: this.role,
          onlineStoreKey: this.onlineStoreKey,
          offlineStore: {
            bucket: props.lakehouse.goldBucket,
            prefix: this.offlineStorePrefix,
            encryptionKey: props.lakehouse.encryptionKey,
            databaseName: props.goldDatabaseName,
          },
          removalPolicy,
        }),
      );
    }
    this.featureGroups = groups;
  }

  /** A feature group by its configured name; fails with the names that exist. */
  featureGroup(name: string): FeatureGroup {
    const group = this.featureGroups.get(name);
    if (!group) throw new InvalidPropError('FeatureStore', 'featureGroup', name, `one of ${[...this.featureGroups.keys()].join(', ') || '(none configured)'}`);
    return group;
  }

  private acknowledgeOfflinePrefix(role: ManagedPolicyRole, props: FeatureStoreProps): void {
    acknowledgeWildcardResource(
      role,
      props.lakehouse.goldBucket.arnForObjects(`${this.offlineStorePrefix}*`),
      'SageMaker writes offline-store files under keys it generates (<prefix><account>/sagemaker/<region>/offline-store/<group>-<time>/...); ' +
        'the pattern names the gold bucket and the feature-store prefix only.',
    );
  }

  private grantOfflineStoreWrite(props: FeatureStoreProps): void {
    const bucket = props.lakehouse.goldBucket;
    this.role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        sid: 'WriteOfflineStoreObjects',
        actions: OFFLINE_STORE_OBJECT_ACTIONS,
        resources: [bucket.arnForObjects(`${this.offlineStorePrefix}*`)],
      }),
    );
    this.role.addToPrincipalPolicy(
      new iam.PolicyStatement({ sid: 'ReadOfflineStoreBucketAcl', actions: OFFLINE_STORE_BUCKET_ACTIONS, resources: [bucket.bucketArn] }),
    );
    props.lakehouse.encryptionKey.grant(this.role, ...OFFLINE_STORE_KEY_ACTIONS);
  }
}

class ImportedFeatureStore extends FeatureStoreBase {
  readonly lakehouse: ILakehouse;
  readonly offlineStorePrefix: string;
  readonly definitions: readonly FeatureGroupDefinition[];
  readonly featureGroups: ReadonlyMap<string, IFeatureGroup>;

  constructor(scope: Construct, id: string, attrs: FeatureStoreAttributes) {
    super(scope, id);
    const groupNamePrefix = attrs.groupNamePrefix ?? '';
    this.lakehouse = attrs.lakehouse;
    this.offlineStorePrefix = attrs.offlineStorePrefix ?? FEATURE_STORE_PREFIX;
    this.definitions = [...attrs.featureGroups];
    this.featureGroups = new Map(
      attrs.featureGroups.map((definition) => [
        definition.name,
        FeatureGroup.fromFeatureGroupAttributes(this, `Group${pascalCase(definition.name)}`, {
          featureGroupName: `${groupNamePrefix}${definition.name}`,
          onlineStoreKey: attrs.onlineStoreKey,
        }),
      ]),
    );
  }
}

function validateUniqueNames(names: readonly string[]): void {
  const seen = new Set<string>();
  for (const name of names) {
    if (seen.has(name)) throw new InvalidPropError('FeatureStore', 'featureGroups', name, 'feature group names must be unique');
    seen.add(name);
  }
}
