import { Stack, type StackProps } from 'aws-cdk-lib';
import type * as ec2 from 'aws-cdk-lib/aws-ec2';
import type { Construct } from 'constructs';
import type { ModelRepository } from '../constructs/model-registry';
import type { EnvironmentConfig } from '../lib/config';

export interface ServingStackProps extends StackProps {
  readonly config: EnvironmentConfig;
  readonly modelRepository: ModelRepository;
  readonly vpc: ec2.IVpc;
}

/** One `ModelServing` per configured model, on the target the decision matrix picks. */
export class ServingStack extends Stack {
  constructor(scope: Construct, id: string, props: ServingStackProps) {
    super(scope, id, props);
  }
}
