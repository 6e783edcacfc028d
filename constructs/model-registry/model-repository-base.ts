import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct, type IConstruct } from 'constructs';
import { keysUnder } from '../../lib/lakehouse';
import { grantListBucket, grantObjectRead, grantObjectWrite, LIST_BUCKET_ACTIONS, type ObjectLocation } from '../functions/object-grants';

/**
 * A serving model repository: `s3://<bucket>/<prefix>{model}/{version}/model.onnx` (+ `config.json`), encrypted with
 * one key. Created by `ModelRepository` or imported with `ModelRepository.fromModelRepositoryAttributes`.
 */
export interface IModelRepository extends IConstruct {
  readonly bucket: s3.IBucket;
  readonly encryptionKey: kms.IKey;
  /** Key prefix of the serving layout, empty or ending in '/'. */
  readonly prefix: string;
  /** `s3://bucket/prefix`: the MODEL_REPOSITORY the serving container polls. */
  readonly repositoryUri: string;
  /** Read every model (serving). */
  grantRead(grantee: iam.IGrantable): iam.Grant;
  /** Write models (promotion). */
  grantWrite(grantee: iam.IGrantable): iam.Grant;
}

/** Attributes of an existing repository, for `ModelRepository.fromModelRepositoryAttributes`. */
export interface ModelRepositoryAttributes {
  readonly bucket: s3.IBucket;
  /** The key that encrypts the bucket's objects. */
  readonly encryptionKey: kms.IKey;
  /** @default 'models/' */
  readonly prefix?: string;
}

/** The URI and the grants, shared by created and imported repositories. */
export abstract class ModelRepositoryBase extends Construct implements IModelRepository {
  abstract readonly bucket: s3.IBucket;
  abstract readonly encryptionKey: kms.IKey;
  abstract readonly prefix: string;

  get repositoryUri(): string {
    return this.bucket.s3UrlForObject(this.prefix);
  }

  /** Every object of the repository: the prefix's keys in the bucket, with the key that encrypts them. */
  get models(): ObjectLocation {
    return { bucket: this.bucket, encryptionKey: this.encryptionKey, keyPattern: keysUnder(this.prefix) };
  }

  /**
   * Serving: read the objects under the prefix (GetObject, GetObjectVersion; kms:Decrypt) and list the prefix
   * (ListBucket only with `s3:prefix` under it). Nothing else: no bucket settings, no tags, no writes.
   */
  grantRead(grantee: iam.IGrantable): iam.Grant {
    const list = iam.Grant.addToPrincipal({
      grantee,
      actions: LIST_BUCKET_ACTIONS,
      resourceArns: [this.bucket.bucketArn],
      conditions: { StringLike: { 's3:prefix': [keysUnder(this.prefix)] } },
    });
    return grantObjectRead(grantee, this.models).combine(list);
  }

  /**
   * Promotion: add versions under the prefix (PutObject, AbortMultipartUpload; kms:GenerateDataKey and kms:Decrypt,
   * which a multipart upload needs), read them back (GetObject: the idempotency check's HeadObject) and ListBucket on
   * the bucket, without which S3 answers HeadObject on a missing key with 403 instead of 404. No delete, retention,
   * legal hold or tagging: an approved version, once written, cannot be altered through this grant.
   */
  grantWrite(grantee: iam.IGrantable): iam.Grant {
    return grantObjectWrite(grantee, this.models).combine(grantObjectRead(grantee, this.models)).combine(grantListBucket(grantee, this.bucket));
  }
}
