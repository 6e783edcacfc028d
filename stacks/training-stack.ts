import * as path from 'node:path';
import { CfnOutput, Duration, Stack } from 'aws-cdk-lib';
import type * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import type { Construct } from 'constructs';
import type { ILakehouse } from '../constructs/lakehouse';
import { createFunctionsKey, PlatformFunction } from '../constructs/functions';
import { pascalCase } from '../constructs/shared/construct-id';
import { GpuTrainingPipeline, TrainingBudget, type TrainingModelRegistry } from '../constructs/training';
import { DRIFT_DETECTED_DETAIL_TYPE, PLATFORM_EVENT_SOURCE } from '../lib/events';
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
  /** Starts runs on schedule, on DriftDetected and on demand, after the guardrails (lambdas/start-training). */
  readonly startTraining?: PlatformFunction;

  constructor(scope: Construct, id: string, props: TrainingStackProps) {
    super(scope, id, props);
    const { config } = props;
    const training = config.training;
    if (training === undefined) {
      this.pipelines = [];
      return;
    }
    const removalPolicy = removalPolicyOf(config);
    const encryptionKey = createFunctionsKey(this, 'FunctionsKey', {
      description: `Encrypts the ${this.stackName} logs, function environments and queues`,
      removalPolicy,
    });
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
    this.startTraining = this.createStartTraining(props, encryptionKey);
    this.budget = new TrainingBudget(this, 'Budget', {
      environmentName: props.environmentName,
      monthlyUsd: training.budget.monthlyUsd,
      emails: training.budget.emails,
    });
  }

  private createStartTraining(props: TrainingStackProps, encryptionKey: ReturnType<typeof createFunctionsKey>): PlatformFunction {
    const startConfig = {
      environment: props.environmentName,
      models: Object.fromEntries(
        this.pipelines.map((pipeline) => [
          pipeline.model,
          {
            stateMachineArn: pipeline.stateMachine.stateMachineArn,
            maxConcurrentRuns: pipeline.training.maxConcurrentRuns,
            monthlyGpuHourCap: pipeline.training.monthlyGpuHourCap,
            gpuHoursPerRun: pipeline.training.maxRuntimeHours * pipeline.training.instanceCount,
          },
        ]),
      ),
    };
    // A few API calls per trigger: 256 MB, one minute.
    const fn = new PlatformFunction(this, 'StartTraining', {
      entry: path.join(__dirname, '..', 'lambdas', 'start-training', 'handler.ts'),
      description: 'Schedule / DriftDetected / manual request -> guardrails -> one training execution',
      memorySize: 256,
      timeout: Duration.minutes(1),
      reservedConcurrentExecutions: 2,
      vpc: props.vpc,
      encryptionKey,
      removalPolicy: removalPolicyOf(props.config),
      environment: { START_TRAINING_CONFIG: this.toJsonString(startConfig) },
    });
    for (const pipeline of this.pipelines) {
      pipeline.grantStartRun(fn.role);
      fn.acknowledgeWildcardResource(
        pipeline.executionArnPattern(),
        `DescribeExecution on the executions of ${pipeline.stateMachine.node.path}: execution names come from each trigger at run time (the duplicate check).`,
      );
    }
    // The GPU-hour guardrail finds this month's jobs by their tags; SageMaker Search has no resource-level permission.
    fn.role.addToPrincipalPolicy(new iam.PolicyStatement({ sid: 'SearchTrainingJobs', actions: ['sagemaker:Search'], resources: ['*'] }));
    fn.acknowledgeWildcardResource(
      '*',
      'Resource "*" only for actions that support no resource-level permission: sagemaker:Search (this month\'s training jobs of the model, by tag, for the ' +
        'GPU-hour cap), ec2:DescribeNetworkInterfaces and ec2:DescribeSubnets (Lambda VPC networking) and xray:PutTraceSegments / PutTelemetryRecords (tracing).',
    );

    const target = (input?: events.RuleTargetInput) =>
      new targets.LambdaFunction(fn.function, { event: input, retryAttempts: 4, maxEventAge: Duration.hours(2) });
    for (const pipeline of this.pipelines) {
      if (pipeline.training.schedule === undefined) continue;
      new events.Rule(this, `${pipeline.node.id}Schedule`, {
        description: `Retrains ${pipeline.model} on its schedule (${pipeline.training.schedule})`,
        schedule: events.Schedule.expression(pipeline.training.schedule),
        targets: [target(events.RuleTargetInput.fromObject({ kind: 'schedule', model: pipeline.model, scheduledTime: events.EventField.time }))],
      });
    }
    new events.Rule(this, 'DriftDetected', {
      description: `Retrains a model of ${props.environmentName} when the drift detector reports drift`,
      eventPattern: {
        source: [PLATFORM_EVENT_SOURCE],
        detailType: [DRIFT_DETECTED_DETAIL_TYPE],
        detail: { environment: [props.environmentName], model: this.pipelines.map((pipeline) => pipeline.model) },
      },
      targets: [target()],
    });
    new CfnOutput(this, 'StartTrainingFunctionName', {
      description:
        'aws lambda invoke --function-name <this> --cli-binary-format raw-in-base64-out --payload \'{"kind":"manual","model":"<model>","requestId":"<id>"}\' out.json',
      value: fn.function.functionName,
    });
    return fn;
  }
}
