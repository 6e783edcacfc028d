import type { Duration, RemovalPolicy } from 'aws-cdk-lib';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import type { IBucket } from 'aws-cdk-lib/aws-s3';

export interface ModelRepositoryProps {
  /**
   * Key that encrypts the model artifacts.
   * @default - a new KMS key with rotation
   */
  readonly encryptionKey?: IKey;

  /**
   * Bucket that receives the repository bucket's server access logs.
   * @default - a new access-log bucket
   */
  readonly serverAccessLogsBucket?: IBucket;

  /**
   * Key prefix under which the serving layout `{model}/{version}/model.onnx` lives.
   * @default 'models/'
   */
  readonly prefix?: string;

  /**
   * Time after which replaced (noncurrent) artifact versions are deleted.
   * @default Duration.days(90)
   */
  readonly noncurrentVersionExpiration?: Duration;

  /**
   * @default RemovalPolicy.RETAIN
   */
  readonly removalPolicy?: RemovalPolicy;

  /**
   * Empty the bucket before deletion; only with `RemovalPolicy.DESTROY`.
   * @default false
   */
  readonly autoDeleteObjects?: boolean;
}
