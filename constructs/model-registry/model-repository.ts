import { Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import type * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { DEFAULT_MODEL_REPOSITORY_PREFIX } from '../../lib/lakehouse';
import { createPlatformKey } from '../shared/platform-key';
import { InvalidPropError } from '../shared/prop-validation';
import { createSecureBucket, housekeepingRule } from '../shared/secure-bucket';
import type { ModelRepositoryProps } from './model-repository-props';

/**
 * The serving model repository: approved ONNX models in the layout the serving container polls,
 * `s3://<bucket>/<prefix>{model}/{version}/model.onnx` (+ `config.json`). Promotion writes here; serving reads.
 */
export class ModelRepository extends Construct {
  readonly bucket: s3.Bucket;
  readonly encryptionKey: kms.IKey;
  readonly prefix: string;
  readonly accessLogsBucket: s3.IBucket;

  constructor(scope: Construct, id: string, props: ModelRepositoryProps = {}) {
    super(scope, id);
    const removalPolicy = props.removalPolicy ?? RemovalPolicy.RETAIN;
    const autoDeleteObjects = props.autoDeleteObjects ?? false;
    this.prefix = props.prefix ?? DEFAULT_MODEL_REPOSITORY_PREFIX;
    const noncurrentVersionExpiration = props.noncurrentVersionExpiration ?? Duration.days(90);
    if (autoDeleteObjects && removalPolicy !== RemovalPolicy.DESTROY) {
      throw new InvalidPropError('ModelRepository', 'autoDeleteObjects', true, 'only allowed with removalPolicy DESTROY');
    }
    if (!/^([A-Za-z0-9_\-=.]+\/)*$/.test(this.prefix)) {
      throw new InvalidPropError('ModelRepository', 'prefix', this.prefix, "empty or key segments ending in '/', e.g. 'models/'");
    }

    this.encryptionKey =
      props.encryptionKey ??
      createPlatformKey(this, 'EncryptionKey', { description: `Encrypts the ${Stack.of(this).stackName} model repository`, removalPolicy });
    this.accessLogsBucket =
      props.serverAccessLogsBucket ??
      createSecureBucket(this, 'AccessLogsBucket', {
        removalPolicy,
        autoDeleteObjects,
        lifecycleRules: [housekeepingRule(Duration.days(30), Duration.days(7)), { id: 'expire-access-logs', expiration: Duration.days(365) }],
      });
    this.bucket = createSecureBucket(this, 'Bucket', {
      encryptionKey: this.encryptionKey,
      serverAccessLogsBucket: this.accessLogsBucket,
      serverAccessLogsPrefix: 'model-repository/',
      removalPolicy,
      autoDeleteObjects,
      lifecycleRules: [housekeepingRule(noncurrentVersionExpiration, Duration.days(7))],
    });
  }

  /** `s3://bucket/prefix`: the MODEL_REPOSITORY the serving container polls. */
  get repositoryUri(): string {
    return this.bucket.s3UrlForObject(this.prefix);
  }

  /** Read every model (serving). */
  grantRead(grantee: iam.IGrantable): iam.Grant {
    return this.bucket.grantRead(grantee, `${this.prefix}*`);
  }

  /** Write models (promotion). */
  grantWrite(grantee: iam.IGrantable): iam.Grant {
    return this.bucket.grantReadWrite(grantee, `${this.prefix}*`);
  }
}
