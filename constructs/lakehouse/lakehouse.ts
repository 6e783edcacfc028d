import type { IGrantable, Grant } from 'aws-cdk-lib/aws-iam';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import type { IBucket } from 'aws-cdk-lib/aws-s3';
import { Construct, type IConstruct } from 'constructs';

export const LAKEHOUSE_TIERS = ['bronze', 'silver', 'gold'] as const;
/** bronze: raw files as delivered; silver: validated, typed Parquet; gold: features and training sets. */
export type LakehouseTier = (typeof LAKEHOUSE_TIERS)[number];

/** A lakehouse: three tier buckets encrypted with one key. Created by `LakehouseStorage` or imported. */
export interface ILakehouse extends IConstruct {
  readonly bronzeBucket: IBucket;
  readonly silverBucket: IBucket;
  readonly goldBucket: IBucket;
  readonly encryptionKey: IKey;
  /** Key prefix in the silver bucket where rejected records are kept with their reasons. */
  readonly quarantinePrefix: string;
  bucket(tier: LakehouseTier): IBucket;
  /** Read objects of one tier (and decrypt them). */
  grantRead(tier: LakehouseTier, grantee: IGrantable, objectsKeyPattern?: string): Grant;
  /** Write and delete objects of one tier (and encrypt them). */
  grantWrite(tier: LakehouseTier, grantee: IGrantable, objectsKeyPattern?: string): Grant;
  grantReadWrite(tier: LakehouseTier, grantee: IGrantable, objectsKeyPattern?: string): Grant;
}

/** Attributes of an existing lakehouse, for `LakehouseStorage.fromLakehouseAttributes`. */
export interface LakehouseAttributes {
  readonly bronzeBucket: IBucket;
  readonly silverBucket: IBucket;
  readonly goldBucket: IBucket;
  /** The key that encrypts the tier buckets. */
  readonly encryptionKey: IKey;
  /** @default 'quarantine/' */
  readonly quarantinePrefix?: string;
}

/**
 * Grants shared by created and imported lakehouses. The bucket grants include the key when the bucket knows it;
 * an imported bucket may not, so the key grant is added explicitly in that case.
 */
export abstract class LakehouseBase extends Construct implements ILakehouse {
  abstract readonly bronzeBucket: IBucket;
  abstract readonly silverBucket: IBucket;
  abstract readonly goldBucket: IBucket;
  abstract readonly encryptionKey: IKey;
  abstract readonly quarantinePrefix: string;

  bucket(tier: LakehouseTier): IBucket {
    switch (tier) {
      case 'bronze':
        return this.bronzeBucket;
      case 'silver':
        return this.silverBucket;
      case 'gold':
        return this.goldBucket;
    }
  }

  grantRead(tier: LakehouseTier, grantee: IGrantable, objectsKeyPattern?: string): Grant {
    const bucket = this.bucket(tier);
    const key = bucket.encryptionKey ? undefined : this.encryptionKey.grantDecrypt(grantee);
    return withKeyGrant(bucket.grantRead(grantee, objectsKeyPattern), key);
  }

  grantWrite(tier: LakehouseTier, grantee: IGrantable, objectsKeyPattern?: string): Grant {
    const bucket = this.bucket(tier);
    const key = bucket.encryptionKey ? undefined : this.encryptionKey.grantEncrypt(grantee);
    return withKeyGrant(bucket.grantWrite(grantee, objectsKeyPattern), key);
  }

  grantReadWrite(tier: LakehouseTier, grantee: IGrantable, objectsKeyPattern?: string): Grant {
    const bucket = this.bucket(tier);
    const key = bucket.encryptionKey ? undefined : this.encryptionKey.grantEncryptDecrypt(grantee);
    return withKeyGrant(bucket.grantReadWrite(grantee, objectsKeyPattern), key);
  }
}

/** The bucket grant, with the key grant made for a bucket that does not know its key (imported) folded in. */
function withKeyGrant(bucketGrant: Grant, keyGrant: Grant | undefined): Grant {
  return keyGrant ? bucketGrant.combine(keyGrant) : bucketGrant;
}
