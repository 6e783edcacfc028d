import { Stack, type StackProps } from 'aws-cdk-lib';
import type * as ec2 from 'aws-cdk-lib/aws-ec2';
import type { Construct } from 'constructs';
import type { ModelRepository } from '../constructs/model-registry';
import type { ILakehouse } from '../constructs/lakehouse';
import type { EnvironmentConfig } from '../lib/config';

export interface PlatformStackProps extends StackProps {
  readonly config: EnvironmentConfig;
  readonly lakehouse: ILakehouse;
  readonly modelRepository: ModelRepository;
  readonly vpc: ec2.IVpc;
}

/** The data path of one environment: ingestion, feature store, model registry and promotion. */
export class PlatformStack extends Stack {
  constructor(scope: Construct, id: string, props: PlatformStackProps) {
    super(scope, id, props);
  }
}
