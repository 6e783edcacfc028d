import type { App, Environment, Stack } from 'aws-cdk-lib';
import { loadEnvironment, type ResolvedEnvironment } from '../lib/config';
import { dashboardInputOf } from './dashboard-input';
import { DataStack } from './data-stack';
import { NetworkStack } from './network-stack';
import { OperationsStack } from './operations-stack';
import { PlatformStack } from './platform-stack';
import { ServingStack } from './serving-stack';
import { TrainingStack } from './training-stack';
import { registerPolicyGates } from './policy-gates';
import { stackNameOf } from './stack-names';
import { tagStack } from './tags';

export interface PlatformStacks {
  readonly environment: ResolvedEnvironment;
  readonly data: DataStack;
  readonly network: NetworkStack;
  readonly operations: OperationsStack;
  readonly platform: PlatformStack;
  readonly serving: ServingStack;
  /** Absent when the environment configures no training. */
  readonly training?: TrainingStack;
  readonly allStacks: readonly Stack[];
}

/** Validates the chosen environment's config, then builds its stacks with every policy gate registered. */
export function buildPlatform(app: App, environmentName?: string): PlatformStacks {
  const environment = loadEnvironment(app.node.tryGetContext('environments'), environmentName ?? (app.node.tryGetContext('env') as string | undefined));
  const { name, config } = environment;
  const env: Environment = { account: config.account, region: config.region };
  const stackProps = { env, config, terminationProtection: config.removalPolicy === 'retain' };

  const data = new DataStack(app, stackNameOf(name, 'data'), {
    ...stackProps,
    environmentName: name,
    description: `mlops-blueprint ${name}: lakehouse storage`,
  });

  const network = new NetworkStack(app, stackNameOf(name, 'network'), { ...stackProps, description: `mlops-blueprint ${name}: VPC and flow logs` });

  const operations = new OperationsStack(app, stackNameOf(name, 'operations'), {
    ...stackProps,
    description: `mlops-blueprint ${name}: alert topic, metrics workspace, alarms and dashboards`,
    monitoring: dashboardInputOf(name, config),
    vpc: network.network.vpc,
  });

  const vpc = network.network.vpc;
  const platform = new PlatformStack(app, stackNameOf(name, 'platform'), {
    ...stackProps,
    environmentName: name,
    description: `mlops-blueprint ${name}: ingestion, feature store, model registry and promotion`,
    lakehouse: data.lakehouse,
    modelRepository: data.modelRepository,
    vpc,
    alerts: operations.alerts,
  });
  platform.driftDetection?.addAlarmAction(operations.alerts.alarmAction);
  const serving = new ServingStack(app, stackNameOf(name, 'serving'), {
    ...stackProps,
    description: `mlops-blueprint ${name}: model serving on the targets the decision matrix chose`,
    modelRepository: data.modelRepository,
    vpc,
    metricsWorkspace: operations.metricsWorkspace,
    alarmAction: operations.alerts.alarmAction,
    environmentName: name,
    lakehouse: data.lakehouse,
  });
  // The served-version pins the serving deployments resolve at deploy time live in the data stack.
  serving.addDependency(data);
  serving.rollout?.addAlarms(operations.alerts);

  let training: TrainingStack | undefined;
  if (config.training !== undefined && serving.servingImage !== undefined) {
    training = new TrainingStack(app, `mlops-${name}-training`, {
      ...stackProps,
      environmentName: name,
      description: `mlops-blueprint ${name}: GPU training pipelines, start-training and the SageMaker budget`,
      lakehouse: data.lakehouse,
      vpc,
      modelRegistry: platform.modelRegistry,
      servingImageUri: serving.servingImage.imageUri,
    });
    // Registration needs the model package groups of the platform stack.
    training.addStackDependency(platform);
    for (const pipeline of training.pipelines) {
      operations.alerts.watchStateMachine(pipeline.stateMachine, `Training of ${pipeline.model} (${training.stackName})`);
      operations.alerts.watchDeadLetterQueue(pipeline.steps.deadLetterQueue, `Training steps of ${pipeline.model} failures (${training.stackName})`);
    }
    if (training.startTraining)
      operations.alerts.watchDeadLetterQueue(training.startTraining.deadLetterQueue, `StartTraining failures (${training.stackName})`);
  }

  const allStacks = [data, network, operations, platform, serving, ...(training ? [training] : [])];
  for (const stack of allStacks) tagStack(stack, name, config);
  registerPolicyGates(app);
  return { environment, data, network, operations, platform, serving, training, allStacks };
}
