import { Stack } from 'aws-cdk-lib';
import type * as ec2 from 'aws-cdk-lib/aws-ec2';
import type { Construct } from 'constructs';
import type { ILakehouse } from '../constructs/lakehouse';
import { createFunctionsKey } from '../constructs/functions';
import { pascalCase } from '../constructs/shared/construct-id';
import { GpuTrainingPipeline, TrainingBudget, type TrainingModelRegistry } from '../constructs/training';
import type { EnvironmentStackProps } from './environment-stack-props';
import { removalPolicyOf } from './removal-policy';

export interface TrainingStackProps extends EnvironmentStackProps {
  readonly environmentName: string;
  readonly lakehouse: ILakehouse;
  readonly vpc: ec2.IVpc;
  readonly modelRegistry: TrainingModelRegistry;
  /** The serving image every registered model package names. */
  readonly servingImageUri: string;
}

/** GPU training of one environment: a pipeline per trained model and the environment's SageMaker budget. */
export class TrainingStack extends Stack {
  readonly pipelines: readonly GpuTrainingPipeline[];
  readonly budget?: TrainingBudget;

  constructor(scope: Construct, id: string, props: TrainingStackProps) {
    super(scope, id, props);
    const { config } = props;
    const training = config.training;
    if (training === undefined) {
      this.pipelines = [];
      return;
    }
    const removalPolicy = removalPolicyOf(config);
    const encryptionKey = createFunctionsKey(this, 'FunctionsKey', { description: `Encrypts the ${this.stackName} logs, function environments and queues`, removalPolicy });
    this.pipelines = training.models.map(
      (model) =>
        new GpuTrainingPipeline(this, pascalCase(model.model), {
          environmentName: props.environmentName,
          training: model,
          lakehouse: props.lakehouse,
          modelRegistry: props.modelRegistry,
          servingImageUri: props.servingImageUri,
          vpc: props.vpc,
          encryptionKey,
          removalPolicy,
        }),
    );
    this.budget = new TrainingBudget(this, 'Budget', { environmentName: props.environmentName, monthlyUsd: training.budget.monthlyUsd, emails: training.budget.emails });
  }
}
