import { Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import { LakehouseStorage } from '../constructs/lakehouse';
import { contractRegistry } from '../lib/contracts';
import type * as ssm from 'aws-cdk-lib/aws-ssm';
import { ModelRepository } from '../constructs/model-registry';
import { createServedVersionPin } from '../constructs/serving/served-version-pin';
import { pascalCase } from '../constructs/shared/construct-id';
import type { EnvironmentStackProps } from './environment-stack-props';
import { removalPolicyOf } from './removal-policy';

export interface DataStackProps extends EnvironmentStackProps {
  /** The environment's name (`dev`, `prod`): names the models' served-version pins. */
  readonly environmentName: string;
}

/** The lakehouse and the serving model repository of one environment. */
export class DataStack extends Stack {
  readonly lakehouse: LakehouseStorage;
  readonly modelRepository: ModelRepository;
  /** Per model: the SSM parameter pinning the version its deployments serve (created here, before the serving stack reads it). */
  readonly servedVersionPins: ReadonlyMap<string, ssm.StringParameter>;

  constructor(scope: Construct, id: string, props: DataStackProps) {
    super(scope, id, props);
    const { config } = props;
    const removalPolicy = removalPolicyOf(config);
    const autoDeleteObjects = removalPolicy === RemovalPolicy.DESTROY;
    this.lakehouse = new LakehouseStorage(this, 'Lakehouse', {
      removalPolicy,
      autoDeleteObjects,
      bronzeInfrequentAccessAfter: Duration.days(config.lakehouse.bronzeInfrequentAccessDays),
      bronzeArchiveAfter: Duration.days(config.lakehouse.bronzeArchiveDays),
      silverInfrequentAccessAfter: Duration.days(config.lakehouse.silverInfrequentAccessDays),
      noncurrentVersionExpiration: Duration.days(config.lakehouse.noncurrentVersionExpirationDays),
      abortIncompleteMultipartUploadAfter: Duration.days(config.lakehouse.abortIncompleteMultipartUploadDays),
      accessLogRetention: Duration.days(config.lakehouse.accessLogRetentionDays),
      datasets: [...contractRegistry.values()],
    });
    this.modelRepository = new ModelRepository(this, 'ModelRepository', {
      removalPolicy,
      autoDeleteObjects,
      encryptionKey: this.lakehouse.encryptionKey,
      serverAccessLogsBucket: this.lakehouse.accessLogsBucket,
    });
    this.servedVersionPins = new Map(
      config.models.map((model) => [model.name, createServedVersionPin(this, `ServedVersion${pascalCase(model.name)}`, props.environmentName, model.name)]),
    );
  }
}
