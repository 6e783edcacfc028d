import { Duration, RemovalPolicy, Stack, type StackProps } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import { LakehouseStorage } from '../constructs/lakehouse';
import { ModelRepository } from '../constructs/model-registry';
import type { EnvironmentConfig } from '../lib/config';

export interface DataStackProps extends StackProps {
  readonly config: EnvironmentConfig;
}

/** The lakehouse and the serving model repository of one environment. */
export class DataStack extends Stack {
  readonly lakehouse: LakehouseStorage;
  readonly modelRepository: ModelRepository;

  constructor(scope: Construct, id: string, props: DataStackProps) {
    super(scope, id, props);
    const { config } = props;
    const destroy = config.removalPolicy === 'destroy';
    this.lakehouse = new LakehouseStorage(this, 'Lakehouse', {
      removalPolicy: destroy ? RemovalPolicy.DESTROY : RemovalPolicy.RETAIN,
      autoDeleteObjects: destroy,
      bronzeInfrequentAccessAfter: Duration.days(config.lakehouse.bronzeInfrequentAccessDays),
      bronzeArchiveAfter: Duration.days(config.lakehouse.bronzeArchiveDays),
      silverInfrequentAccessAfter: Duration.days(config.lakehouse.silverInfrequentAccessDays),
      noncurrentVersionExpiration: Duration.days(config.lakehouse.noncurrentVersionExpirationDays),
      abortIncompleteMultipartUploadAfter: Duration.days(config.lakehouse.abortIncompleteMultipartUploadDays),
      accessLogRetention: Duration.days(config.lakehouse.accessLogRetentionDays),
    });
    this.modelRepository = new ModelRepository(this, 'ModelRepository', {
      removalPolicy: destroy ? RemovalPolicy.DESTROY : RemovalPolicy.RETAIN,
      autoDeleteObjects: destroy,
      encryptionKey: this.lakehouse.encryptionKey,
      serverAccessLogsBucket: this.lakehouse.accessLogsBucket,
    });
  }
}
