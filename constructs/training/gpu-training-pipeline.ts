import * as path from 'node:path';
import { ArnFormat, Duration, RemovalPolicy, Stack, Token } from 'aws-cdk-lib';
import type * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import { keysUnder, partitionPath, DATASETS_PREFIX, trainingCheckpointsPrefix, trainingRunsPrefix } from '../../lib/lakehouse';
import { type ModelTrainingConfig, trainingStateMachineName } from '../../lib/training';
import { createFunctionsKey, grantObjectRead, grantObjectWrite, PlatformFunction } from '../functions';
import type { ILakehouse } from '../lakehouse';
import { acknowledgeWildcardResource } from '../shared/wildcard-findings';
import { acknowledgeFinding, Rule } from '../shared/acknowledge';
import { ManagedPolicyRole } from '../shared/managed-policy-role';
import { InvalidPropError } from '../shared/prop-validation';
import { retentionDays } from '../shared/retention';
import type { GpuTrainingPipelineProps } from './gpu-training-pipeline-props';
import { ecrRepositoryOf } from './ecr-image';
import { trainingDefinition } from './training-definition';

const NAME = 'GpuTrainingPipeline';
const STEPS_ENTRY = path.join(__dirname, '..', '..', 'lambdas', 'training-steps', 'handler.ts');
/** The EventBridge rule Step Functions manages to learn when a training job ends (`.sync`). */
const SYNC_RULE = 'StepFunctionsGetEventsForSageMakerTrainingJobsRule';
const SAGEMAKER_LOG_GROUP = '/aws/sagemaker/TrainingJobs';

/**
 * One model's GPU training pipeline: a Step Functions Standard state machine that validates its input, trains on
 * SageMaker (managed spot with checkpoints, private subnets, network isolation, KMS, cost tags), checks the evaluation
 * gate, registers the model package as PendingManualApproval with its metrics and lineage, and approves it only where
 * the registry's approval mode is `auto`. The job runs as its own role that reads only the model's dataset and writes
 * only the model's run and checkpoint prefixes.
 */
export class GpuTrainingPipeline extends Construct {
  readonly model: string;
  readonly stateMachine: sfn.StateMachine;
  /** The role SageMaker runs the training job as. */
  readonly trainingRole: ManagedPolicyRole;
  readonly stateMachineRole: ManagedPolicyRole;
  /** Validates input and checks the evaluation gate (lambdas/training-steps). */
  readonly steps: PlatformFunction;
  /** The training instances' group: no inbound but from each other (distributed jobs), HTTPS out. */
  readonly securityGroup: ec2.SecurityGroup;
  readonly logGroup: logs.LogGroup;
  /** The state machine definition as an object (values may be tokens). */
  readonly definition: Record<string, unknown>;
  readonly training: ModelTrainingConfig;

  constructor(scope: Construct, id: string, props: GpuTrainingPipelineProps) {
    super(scope, id);
    const vpcSubnets = props.vpcSubnets ?? { subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS };
    const jobRetryAttempts = props.jobRetryAttempts ?? 2;
    const createAttempts = props.createAttempts ?? 4;
    const logRetention = props.logRetention ?? Duration.days(365);
    const removalPolicy = props.removalPolicy ?? RemovalPolicy.RETAIN;
    validate(props, jobRetryAttempts, createAttempts);
    const { lakehouse, training, modelRegistry } = props;
    this.training = training;
    this.model = training.model;
    const stack = Stack.of(this);
    const encryptionKey =
      props.encryptionKey ?? createFunctionsKey(this, 'EncryptionKey', { description: `Encrypts the logs of ${this.node.path}`, removalPolicy });

    this.securityGroup = new ec2.SecurityGroup(this, 'SecurityGroup', {
      vpc: props.vpc,
      description: `${stack.stackName} ${this.node.path}: training instances; HTTPS out${training.instanceCount > 1 ? ', all traffic between the instances of a job' : ''}`,
      allowAllOutbound: false,
    });
    this.securityGroup.addEgressRule(ec2.Peer.anyIpv4(), ec2.Port.tcp(443), 'HTTPS to S3 (gateway endpoint) and AWS service endpoints');
    // Distributed training (torchrun, NCCL) needs the instances of a job to reach each other on any port.
    if (training.instanceCount > 1) {
      this.securityGroup.connections.allowInternally(ec2.Port.allTraffic(), 'Between the instances of a distributed training job');
      const selfIngress = this.securityGroup.node.children.find((child) => child instanceof ec2.CfnSecurityGroupIngress);
      if (selfIngress) {
        acknowledgeFinding(
          selfIngress,
          Rule.ec2RestrictedCommonPortsNist,
          'Self-referencing rule: only the instances of the same training job (this security group) reach each other, on the ports torchrun and ' +
            'NCCL pick at run time; SageMaker requires all traffic within the group for distributed training. Nothing outside the group may connect.',
        );
      }
    }
    const subnetIds = props.vpc.selectSubnets(vpcSubnets).subnetIds;

    this.trainingRole = new ManagedPolicyRole(this, 'TrainingRole', {
      assumedBy: new iam.ServicePrincipal('sagemaker.amazonaws.com'),
      description: `SageMaker training jobs of ${this.model} (${props.environmentName}): reads its dataset, writes its runs and checkpoints`,
    });
    this.grantTrainingJobPermissions(lakehouse, subnetIds, training.image);

    this.steps = new PlatformFunction(this, 'Steps', {
      entry: STEPS_ENTRY,
      description: `Training pipeline of ${this.model}: validates the input, checks the evaluation gate`,
      // Lists the dataset and reads two small files out of model.tar.gz, streaming: 512 MB, 5 minutes.
      memorySize: 512,
      timeout: Duration.minutes(5),
      reservedConcurrentExecutions: 2,
      vpc: props.vpc,
      vpcSubnets,
      encryptionKey,
      removalPolicy,
      environment: {
        PIPELINE_CONFIG: JSON.stringify({
          environment: props.environmentName,
          model: this.model,
          inputBucket: lakehouse.silverBucket.bucketName,
          inputPrefix: this.inputPrefix,
          outputBucket: lakehouse.goldBucket.bucketName,
          image: training.image,
          hyperparameters: training.hyperparameters,
          evaluationGate: training.evaluationGate,
        }),
      },
    });
    this.grantStepsPermissions(lakehouse);

    this.logGroup = new logs.LogGroup(this, 'LogGroup', { encryptionKey, retention: retentionDays(logRetention), removalPolicy });
    this.stateMachineRole = new ManagedPolicyRole(this, 'StateMachineRole', {
      assumedBy: new iam.ServicePrincipal('states.amazonaws.com'),
      description: `Training state machine of ${this.model} (${props.environmentName})`,
    });
    this.definition = trainingDefinition({
      environmentName: props.environmentName,
      model: this.model,
      stepsFunctionArn: this.steps.function.functionArn,
      trainingRoleArn: this.trainingRole.roleArn,
      image: training.image,
      metricDefinitions: training.metricDefinitions,
      instanceType: training.instanceType,
      instanceCount: training.instanceCount,
      volumeSizeGb: training.volumeSizeGb,
      spot: training.spot,
      maxRuntimeSeconds: Math.round(training.maxRuntimeHours * 3600),
      maxWaitSeconds: training.maxWaitHours === undefined ? undefined : Math.round(training.maxWaitHours * 3600),
      kmsKeyArn: lakehouse.encryptionKey.keyArn,
      subnetIds,
      securityGroupIds: [this.securityGroup.securityGroupId],
      jobRetryAttempts,
      createAttempts,
      modelPackageGroupName: modelRegistry.groupName(this.model),
      servingImage: props.servingImageUri,
      approvalMode: modelRegistry.approvalMode,
    });
    this.stateMachine = new sfn.StateMachine(this, 'StateMachine', {
      stateMachineName: trainingStateMachineName(props.environmentName, this.model),
      stateMachineType: sfn.StateMachineType.STANDARD,
      definitionBody: sfn.DefinitionBody.fromString(stack.toJsonString(this.definition)),
      role: this.stateMachineRole,
      tracingEnabled: true,
      // Execution data (inputs, outputs) stays out of the logs; the execution history keeps it for the run's reviewers.
      logs: { destination: this.logGroup, level: sfn.LogLevel.ALL, includeExecutionData: false },
    });
    this.grantStateMachinePermissions(lakehouse.encryptionKey, props);
  }

  /** Silver prefix of the model's dataset: all the job may read. */
  get inputPrefix(): string {
    return partitionPath(DATASETS_PREFIX, this.training.dataset);
  }

  /**
   * What start-training needs: StartExecution and ListExecutions on the state machine, DescribeExecution on its
   * executions (to recognise a duplicate trigger).
   */
  grantStartRun(grantee: iam.IGrantable): iam.Grant {
    const describe = iam.Grant.addToPrincipal({ grantee, actions: ['states:DescribeExecution'], resourceArns: [this.executionArnPattern()] });
    return describe.combine(
      iam.Grant.addToPrincipal({ grantee, actions: ['states:StartExecution', 'states:ListExecutions'], resourceArns: [this.stateMachine.stateMachineArn] }),
    );
  }

  private executionArnPatternToken?: string;

  /** `arn:…:execution:<state machine name>:*`: every execution of this pipeline (one token, so a grant and its acknowledgment name the same string). */
  executionArnPattern(): string {
    return (this.executionArnPatternToken ??= Stack.of(this).formatArn({
      service: 'states',
      resource: 'execution',
      resourceName: `${Stack.of(this).splitArn(this.stateMachine.stateMachineArn, ArnFormat.COLON_RESOURCE_NAME).resourceName}:*`,
      arnFormat: ArnFormat.COLON_RESOURCE_NAME,
    }));
  }

  /** Runs that failed (a job failure, a missed gate, invalid input) per period. */
  metricExecutionsFailed(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.stateMachine.metricFailed(props);
  }

  /** Runs that exceeded the state machine's timeout. */
  metricExecutionsTimedOut(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.stateMachine.metricTimedOut(props);
  }

  /** How long runs take, training included (milliseconds). */
  metricExecutionTime(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.stateMachine.metricTime(props);
  }

  private grantTrainingJobPermissions(lakehouse: ILakehouse, subnetIds: readonly string[], image: string): void {
    const role = this.trainingRole;
    const stack = Stack.of(this);
    const key = lakehouse.encryptionKey;
    const input = { bucket: lakehouse.silverBucket, encryptionKey: key, keyPattern: keysUnder(this.inputPrefix) };
    grantObjectRead(role, input);
    role.addToPrincipalPolicy(listUnder(lakehouse.silverBucket.bucketArn, this.inputPrefix, 'ListOwnDataset'));
    grantObjectWrite(role, { bucket: lakehouse.goldBucket, encryptionKey: key, keyPattern: keysUnder(trainingRunsPrefix(this.model)) });
    const checkpoints = { bucket: lakehouse.goldBucket, encryptionKey: key, keyPattern: keysUnder(trainingCheckpointsPrefix(this.model)) };
    grantObjectRead(role, checkpoints);
    grantObjectWrite(role, checkpoints);
    role.addToPrincipalPolicy(listUnder(lakehouse.goldBucket.bucketArn, trainingCheckpointsPrefix(this.model), 'ListOwnCheckpoints'));
    // The volume and output keys: SageMaker creates grants on the lakehouse key for the job's volumes.
    role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        sid: 'KeyGrantsForTrainingVolumes',
        actions: ['kms:CreateGrant', 'kms:DescribeKey'],
        resources: [key.keyArn],
        conditions: { Bool: { 'kms:GrantIsForAWSResource': true } },
      }),
    );

    const repository = ecrRepositoryOf(image);
    role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        sid: 'PullTrainingImage',
        actions: ['ecr:BatchGetImage', 'ecr:GetDownloadUrlForLayer', 'ecr:BatchCheckLayerAvailability'],
        resources: [`arn:${stack.partition}:ecr:${repository.region}:${repository.account}:repository/${repository.name}`],
      }),
    );
    const jobLogs = stack.formatArn({
      service: 'logs',
      resource: 'log-group',
      resourceName: `${SAGEMAKER_LOG_GROUP}:log-stream:${this.model}-*`,
      arnFormat: ArnFormat.COLON_RESOURCE_NAME,
    });
    const logGroup = stack.formatArn({
      service: 'logs',
      resource: 'log-group',
      resourceName: `${SAGEMAKER_LOG_GROUP}:*`,
      arnFormat: ArnFormat.COLON_RESOURCE_NAME,
    });
    role.addToPrincipalPolicy(new iam.PolicyStatement({ sid: 'WriteJobLogs', actions: ['logs:CreateLogStream', 'logs:PutLogEvents'], resources: [jobLogs] }));
    role.addToPrincipalPolicy(
      new iam.PolicyStatement({ sid: 'JobLogGroup', actions: ['logs:CreateLogGroup', 'logs:DescribeLogStreams'], resources: [logGroup] }),
    );
    role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        sid: 'ActionsWithoutResourceLevelPermissions',
        actions: [
          'ecr:GetAuthorizationToken',
          'cloudwatch:PutMetricData',
          'ec2:DescribeNetworkInterfaces',
          'ec2:DescribeVpcs',
          'ec2:DescribeDhcpOptions',
          'ec2:DescribeSubnets',
          'ec2:DescribeSecurityGroups',
        ],
        resources: ['*'],
      }),
    );
    const ec2Arn = (resource: string, name: string) => stack.formatArn({ service: 'ec2', resource, resourceName: name });
    role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        sid: 'JobNetworkInterfacesInOwnSubnets',
        actions: ['ec2:CreateNetworkInterface'],
        resources: [
          ec2Arn('network-interface', '*'),
          ...subnetIds.map((id) => ec2Arn('subnet', id)),
          ec2Arn('security-group', this.securityGroup.securityGroupId),
        ],
      }),
    );
    role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        sid: 'ManageJobNetworkInterfaces',
        actions: ['ec2:CreateNetworkInterfacePermission', 'ec2:DeleteNetworkInterface', 'ec2:DeleteNetworkInterfacePermission'],
        resources: [ec2Arn('network-interface', '*')],
      }),
    );

    const objectsReason = (what: string) => `Object keys are only known at run time: ${what}. The pattern names the bucket and the narrowest prefix.`;
    acknowledgeWildcardResource(
      role,
      lakehouse.silverBucket.arnForObjects(keysUnder(this.inputPrefix)),
      objectsReason(`the job reads every Parquet file of the ${this.training.dataset} dataset`),
    );
    acknowledgeWildcardResource(
      role,
      lakehouse.goldBucket.arnForObjects(keysUnder(trainingRunsPrefix(this.model))),
      objectsReason(`SageMaker writes each run's model.tar.gz under its run id and job name`),
    );
    acknowledgeWildcardResource(
      role,
      lakehouse.goldBucket.arnForObjects(keysUnder(trainingCheckpointsPrefix(this.model))),
      objectsReason('SageMaker syncs the checkpoints of each run under its run id'),
    );
    acknowledgeWildcardResource(
      role,
      jobLogs,
      `SageMaker names a job's log streams <job name>/algo-<n>-<timestamp> at run time; the pattern is this model's jobs in the ${SAGEMAKER_LOG_GROUP} group SageMaker writes to.`,
    );
    acknowledgeWildcardResource(
      role,
      logGroup,
      `The ${SAGEMAKER_LOG_GROUP} log group (its ARN ends in :*), which SageMaker creates on first use in the account.`,
    );
    acknowledgeWildcardResource(
      role,
      ec2Arn('network-interface', '*'),
      "SageMaker creates and deletes the job's VPC network interfaces at run time under IDs unknown at deploy time; creation is limited to this pipeline's subnets and security group.",
    );
    acknowledgeWildcardResource(
      role,
      '*',
      'Resource "*" only for actions that support no resource-level permission (Service Authorization Reference): ecr:GetAuthorizationToken (image pull), ' +
        'cloudwatch:PutMetricData (training metrics) and the ec2:Describe* calls SageMaker makes to attach the job to the VPC.',
    );
  }

  private grantStepsPermissions(lakehouse: ILakehouse): void {
    const role = this.steps.role;
    role.addToPrincipalPolicy(listUnder(lakehouse.silverBucket.bucketArn, this.inputPrefix, 'ListOwnDataset'));
    const runs = { bucket: lakehouse.goldBucket, encryptionKey: lakehouse.encryptionKey, keyPattern: keysUnder(trainingRunsPrefix(this.model)) };
    grantObjectRead(role, runs);
    grantObjectWrite(role, runs);
    this.steps.acknowledgeWildcardResource(
      lakehouse.goldBucket.arnForObjects(keysUnder(trainingRunsPrefix(this.model))),
      "Object keys are only known at run time: it reads each run's model.tar.gz and writes the run's input manifest, evaluation report and drift baseline under its run id. The pattern names the bucket and the narrowest prefix.",
    );
  }

  private grantStateMachinePermissions(lakehouseKey: kms.IKey, props: GpuTrainingPipelineProps): void {
    const role = this.stateMachineRole;
    const stack = Stack.of(this);
    const jobs = stack.formatArn({ service: 'sagemaker', resource: 'training-job', resourceName: `${this.model}-*`, arnFormat: ArnFormat.SLASH_RESOURCE_NAME });
    role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        sid: 'RunTrainingJobs',
        actions: ['sagemaker:CreateTrainingJob', 'sagemaker:AddTags', 'sagemaker:DescribeTrainingJob', 'sagemaker:StopTrainingJob'],
        resources: [jobs],
      }),
    );
    role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        sid: 'PassTrainingRole',
        actions: ['iam:PassRole'],
        resources: [this.trainingRole.roleArn],
        conditions: { StringEquals: { 'iam:PassedToService': 'sagemaker.amazonaws.com' } },
      }),
    );
    role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        sid: 'SyncOnTrainingJobEvents',
        actions: ['events:PutTargets', 'events:PutRule', 'events:DescribeRule'],
        resources: [stack.formatArn({ service: 'events', resource: 'rule', resourceName: SYNC_RULE })],
      }),
    );
    role.addToPrincipalPolicy(
      new iam.PolicyStatement({ sid: 'InvokeSteps', actions: ['lambda:InvokeFunction'], resources: [this.steps.function.functionArn] }),
    );
    role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        sid: 'KeyGrantsForTrainingVolumes',
        actions: ['kms:CreateGrant', 'kms:DescribeKey'],
        resources: [lakehouseKey.keyArn],
        conditions: { Bool: { 'kms:GrantIsForAWSResource': true } },
      }),
    );
    props.modelRegistry.grantRegister(role, this.model);
    if (props.modelRegistry.approvalMode === 'auto') props.modelRegistry.grantApprove(role, this.model);

    acknowledgeWildcardResource(role, jobs, `Training job names are <model>-<run id>-<attempt>, chosen per run; the pattern is this model's jobs only.`);
    acknowledgeWildcardResource(
      role,
      stack.formatArn({
        service: 'sagemaker',
        resource: 'model-package',
        resourceName: `${props.modelRegistry.groupName(this.model).toLowerCase()}/*`,
        arnFormat: ArnFormat.SLASH_RESOURCE_NAME,
      }),
      `SageMaker numbers package versions as they are registered, so the ARN names ${props.modelRegistry.groupName(this.model)} and leaves the version open; registration is limited to PendingManualApproval.`,
    );
    acknowledgeWildcardResource(
      role,
      '*',
      'Resource "*" only for actions that support no resource-level permission: X-Ray tracing (xray:PutTraceSegments, PutTelemetryRecords, GetSamplingRules, ' +
        'GetSamplingTargets) and CloudWatch Logs log delivery for the state machine (logs:*LogDelivery*, *ResourcePolic*, DescribeLogGroups), which CDK grants.',
    );
  }
}

/** ListBucket limited to one prefix (`s3:prefix`): the job and the steps function see only their own keys. */
function listUnder(bucketArn: string, prefix: string, sid: string): iam.PolicyStatement {
  return new iam.PolicyStatement({
    sid,
    actions: ['s3:ListBucket'],
    resources: [bucketArn],
    conditions: { StringLike: { 's3:prefix': [prefix, keysUnder(prefix)] } },
  });
}

function validate(props: GpuTrainingPipelineProps, jobRetryAttempts: number, createAttempts: number): void {
  if (!Number.isInteger(jobRetryAttempts) || jobRetryAttempts < 1 || jobRetryAttempts > 30) {
    throw new InvalidPropError(NAME, 'jobRetryAttempts', jobRetryAttempts, 'an integer from 1 to 30 (SageMaker RetryStrategy.MaximumRetryAttempts)');
  }
  if (!Number.isInteger(createAttempts) || createAttempts < 1 || createAttempts > 9) {
    throw new InvalidPropError(NAME, 'createAttempts', createAttempts, 'an integer from 1 to 9 (the attempt number ends the job name, one digit)');
  }
  if (props.training.model.length > 40) {
    throw new InvalidPropError(
      NAME,
      'training.model',
      props.training.model,
      "at most 40 characters, so <model>-<run id>-<attempt> fits SageMaker's 63-character job names",
    );
  }
  if (!Token.isUnresolved(props.servingImageUri) && props.servingImageUri.trim() === '') {
    throw new InvalidPropError(NAME, 'servingImageUri', props.servingImageUri, 'the serving image URI named in the model package');
  }
}
