import { ArnFormat, type IResource, RemovalPolicy, Resource, Stack, Token } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as sagemaker from 'aws-cdk-lib/aws-sagemaker';
import type { Construct } from 'constructs';
import { InvalidPropError } from '../shared/prop-validation';
import type { FeatureGroupDefinition } from '../../lib/features';
import type { FeatureGroupProps } from './feature-group-props';
import { FEATURE_GROUP_READ_ACTIONS, FEATURE_GROUP_WRITE_ACTIONS, ONLINE_STORE_KEY_ACTIONS } from './perms';

const NAME = 'FeatureGroup';

/** A SageMaker Feature Store feature group, created here or imported. */
export interface IFeatureGroup extends IResource {
  readonly featureGroupName: string;
  readonly featureGroupArn: string;
  /** Key of the online store; data-plane callers need Decrypt on it. */
  readonly onlineStoreKey?: kms.IKey;
  /** GetRecord / BatchGetRecord on this group (and Decrypt on its online store key). */
  grantRead(grantee: iam.IGrantable): iam.Grant;
  /** PutRecord on this group (and Decrypt on its online store key). */
  grantWrite(grantee: iam.IGrantable): iam.Grant;
}

export interface FeatureGroupAttributes {
  readonly featureGroupName: string;
  /** @default - no key grant: the group uses an AWS-owned key */
  readonly onlineStoreKey?: kms.IKey;
}

abstract class FeatureGroupBase extends Resource implements IFeatureGroup {
  abstract readonly featureGroupName: string;
  abstract readonly onlineStoreKey?: kms.IKey;

  /** `arn:…:feature-group/<name>`, built from the name so that grants do not depend on the group resource. */
  get featureGroupArn(): string {
    const name = Token.isUnresolved(this.featureGroupName) ? this.featureGroupName : this.featureGroupName.toLowerCase();
    return Stack.of(this).formatArn({ service: 'sagemaker', resource: 'feature-group', resourceName: name, arnFormat: ArnFormat.SLASH_RESOURCE_NAME });
  }

  grantRead(grantee: iam.IGrantable): iam.Grant {
    return this.grant(grantee, FEATURE_GROUP_READ_ACTIONS);
  }

  grantWrite(grantee: iam.IGrantable): iam.Grant {
    return this.grant(grantee, FEATURE_GROUP_WRITE_ACTIONS);
  }

  private grant(grantee: iam.IGrantable, actions: string[]): iam.Grant {
    const grant = iam.Grant.addToPrincipal({ grantee, actions, resourceArns: [this.featureGroupArn] });
    return this.onlineStoreKey ? grant.combine(this.onlineStoreKey.grant(grantee, ...ONLINE_STORE_KEY_ACTIONS)) : grant;
  }
}

class ImportedFeatureGroup extends FeatureGroupBase {
  readonly featureGroupName: string;
  readonly onlineStoreKey?: kms.IKey;

  constructor(scope: Construct, id: string, attrs: FeatureGroupAttributes) {
    super(scope, id);
    this.featureGroupName = attrs.featureGroupName;
    this.onlineStoreKey = attrs.onlineStoreKey;
  }
}

/**
 * One feature group from its typed definition: online store encrypted with a customer-managed key and with the
 * definition's TTL; offline store in a lakehouse prefix, encrypted, with its Glue table named in the template.
 */
export class FeatureGroup extends FeatureGroupBase {
  static fromFeatureGroupAttributes(scope: Construct, id: string, attrs: FeatureGroupAttributes): IFeatureGroup {
    return new ImportedFeatureGroup(scope, id, attrs);
  }

  readonly featureGroupName: string;
  /** The definition the group was created from (its `name` is the configured one). */
  readonly definition: FeatureGroupDefinition;
  readonly onlineStoreKey: kms.IKey;
  /** Glue table of the offline store, in `offlineStore.databaseName`. */
  readonly offlineStoreTableName: string;
  readonly resource: sagemaker.CfnFeatureGroup;

  constructor(scope: Construct, id: string, props: FeatureGroupProps) {
    super(scope, id);
    const { definition, offlineStore } = props;
    const removalPolicy = props.removalPolicy ?? RemovalPolicy.RETAIN;
    this.offlineStoreTableName = props.offlineStoreTableName ?? definition.name.toLowerCase().replace(/-/g, '_');
    validateTableName(this.offlineStoreTableName);
    validatePrefix(offlineStore.prefix);
    this.featureGroupName = props.featureGroupName ?? definition.name;
    this.definition = definition;
    this.onlineStoreKey = props.onlineStoreKey;

    // OnlineStoreConfig and OfflineStoreConfig are untyped in the CloudFormation spec, so they are written in its casing.
    this.resource = new sagemaker.CfnFeatureGroup(this, 'Resource', {
      featureGroupName: this.featureGroupName,
      description: definition.description,
      recordIdentifierFeatureName: definition.recordIdentifierFeature,
      eventTimeFeatureName: definition.eventTimeFeature,
      featureDefinitions: definition.features.map((feature) => ({ featureName: feature.name, featureType: feature.type })),
      roleArn: props.role.roleArn,
      onlineStoreConfig: {
        EnableOnlineStore: true,
        SecurityConfig: { KmsKeyId: props.onlineStoreKey.keyArn },
        ...(definition.onlineTtl ? { TtlDuration: { Unit: definition.onlineTtl.unit, Value: definition.onlineTtl.value } } : {}),
      },
      offlineStoreConfig: {
        S3StorageConfig: { S3Uri: offlineStore.bucket.s3UrlForObject(offlineStore.prefix), KmsKeyId: offlineStore.encryptionKey.keyArn },
        DisableGlueTableCreation: false,
        DataCatalogConfig: { Catalog: 'AwsDataCatalog', Database: offlineStore.databaseName, TableName: this.offlineStoreTableName },
        TableFormat: 'Glue',
      },
    });
    this.resource.applyRemovalPolicy(removalPolicy);
    // The role's permissions must exist before SageMaker checks them at creation.
    this.resource.node.addDependency(props.role);
  }
}

function validateTableName(name: string): void {
  if (Token.isUnresolved(name)) return;
  if (!/^[a-z0-9_]{1,255}$/.test(name)) {
    throw new InvalidPropError(NAME, 'offlineStoreTableName', name, 'lower-case letters, digits and underscores, 1-255 characters (Glue/Athena table names)');
  }
}

function validatePrefix(prefix: string): void {
  if (Token.isUnresolved(prefix)) return;
  if (!/^[A-Za-z0-9_\-=.]+(\/[A-Za-z0-9_\-=.]+)*\/$/.test(prefix)) {
    throw new InvalidPropError(NAME, 'offlineStore.prefix', prefix, "a key prefix of letters, digits, '_-=.' segments ending in '/', e.g. 'feature-store/'");
  }
}
