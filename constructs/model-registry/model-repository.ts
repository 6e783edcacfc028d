import { Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import type * as kms from 'aws-cdk-lib/aws-kms';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import type { Construct } from 'constructs';
import { DEFAULT_MODEL_REPOSITORY_PREFIX } from '../../lib/lakehouse';
import { createPlatformKey } from '../shared/platform-key';
import { InvalidPropError } from '../shared/prop-validation';
import { createSecureBucket, housekeepingRule } from '../shared/secure-bucket';
import { type IModelRepository, type ModelRepositoryAttributes, ModelRepositoryBase } from './model-repository-base';
import type { ModelRepositoryProps } from './model-repository-props';

/**
 * The serving model repository: approved ONNX models in the layout the serving container polls,
 * `s3://<bucket>/<prefix>{model}/{version}/model.onnx` (+ `config.json`). Promotion writes here; serving reads.
 */
export class ModelRepository extends ModelRepositoryBase {
  /** A repository bucket that exists already (another stack or team): the same URI and grants. */
  static fromModelRepositoryAttributes(scope: Construct, id: string, attrs: ModelRepositoryAttributes): IModelRepository {
    const prefix = attrs.prefix ?? DEFAULT_MODEL_REPOSITORY_PREFIX;
    validatePrefix(prefix);
    return new ImportedModelRepository(scope, id, { ...attrs, prefix });
  }

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
    validatePrefix(this.prefix);

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
}

class ImportedModelRepository extends ModelRepositoryBase {
  readonly bucket: s3.IBucket;
  readonly encryptionKey: kms.IKey;
  readonly prefix: string;

  constructor(scope: Construct, id: string, attrs: Required<ModelRepositoryAttributes>) {
    super(scope, id);
    this.bucket = attrs.bucket;
    this.encryptionKey = attrs.encryptionKey;
    this.prefix = attrs.prefix;
  }
}

function validatePrefix(prefix: string): void {
  if (!/^([A-Za-z0-9_\-=.]+\/)*$/.test(prefix)) {
    throw new InvalidPropError('ModelRepository', 'prefix', prefix, "empty or key segments ending in '/', e.g. 'models/'");
  }
}
