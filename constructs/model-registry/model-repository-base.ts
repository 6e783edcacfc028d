import type * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct, type IConstruct } from 'constructs';

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

  grantRead(grantee: iam.IGrantable): iam.Grant {
    if (!this.bucket.encryptionKey) this.encryptionKey.grantDecrypt(grantee);
    return this.bucket.grantRead(grantee, `${this.prefix}*`);
  }

  grantWrite(grantee: iam.IGrantable): iam.Grant {
    if (!this.bucket.encryptionKey) this.encryptionKey.grantEncryptDecrypt(grantee);
    return this.bucket.grantReadWrite(grantee, `${this.prefix}*`);
  }
}
