import type { MetricDefinition } from '../../lib/training';

/**
 * The Amazon States Language of one model's training pipeline, as a plain object (values may be CDK tokens; the
 * construct renders it with `Stack.toJsonString`). Kept free of CDK so the definition itself can be validated with
 * asl-validator and read in tests state by state.
 *
 * ValidateInput → InputValid? → Train (createTrainingJob.sync) → Evaluate → GatePassed? → Register
 * (PendingManualApproval) → [Approve, `auto` only] → Succeeded; InvalidInput and EvaluationGateFailed end the run with
 * the reason as the cause.
 */
export interface TrainingDefinitionParams {
  readonly environmentName: string;
  readonly model: string;
  readonly stepsFunctionArn: string;
  readonly trainingRoleArn: string;
  readonly image: string;
  readonly metricDefinitions: readonly MetricDefinition[];
  readonly instanceType: string;
  readonly instanceCount: number;
  readonly volumeSizeGb: number;
  readonly spot: boolean;
  readonly maxRuntimeSeconds: number;
  /** Spot only. */
  readonly maxWaitSeconds?: number;
  /** KMS key (ARN) of the training volumes and the model output: the lakehouse key. */
  readonly kmsKeyArn: string;
  readonly subnetIds: readonly string[];
  readonly securityGroupIds: readonly string[];
  /** SageMaker's own retries of a job that failed with an internal error (`RetryStrategy`). */
  readonly jobRetryAttempts: number;
  /** Step Functions' retries of a create that failed with an API error (throttling, limits), with backoff. */
  readonly createAttempts: number;
  readonly modelPackageGroupName: string;
  readonly servingImage: string;
  /** `auto` approves a package that passed the gate (UpdateModelPackage); `manual` leaves it pending. */
  readonly approvalMode: 'auto' | 'manual';
}

export const STATE = {
  validate: 'ValidateInput',
  inputValid: 'InputValid?',
  invalidInput: 'InvalidInput',
  train: 'Train',
  evaluate: 'Evaluate',
  gatePassed: 'GatePassed?',
  gateFailed: 'EvaluationGateFailed',
  register: 'Register',
  approve: 'Approve',
  succeeded: 'Succeeded',
} as const;

/** Error names the Fail states end a run with (what alarms and `DescribeExecution.error` show). */
export const TRAINING_ERRORS = { invalidInput: 'InvalidTrainingInput', gateFailed: 'EvaluationGateFailed' } as const;

/** Transient Lambda invoke errors (Step Functions' documented retry list for lambda:invoke). */
const LAMBDA_TRANSIENT = ['Lambda.ServiceException', 'Lambda.AWSLambdaException', 'Lambda.SdkClientException', 'Lambda.TooManyRequestsException'];
/**
 * SageMaker API errors: the optimized integration reports every CreateTrainingJob error as AmazonSageMakerException
 * (throttling and ResourceLimitExceeded included); the AWS SDK integration names throttling on its own.
 */
const SAGEMAKER_CREATE_ERRORS = ['SageMaker.AmazonSageMakerException'];
const SAGEMAKER_SDK_THROTTLING = ['SageMaker.ThrottlingException', 'SageMaker.SageMakerException'];

const backoff = (errors: readonly string[], intervalSeconds: number, maxAttempts: number) => ({
  ErrorEquals: errors,
  IntervalSeconds: intervalSeconds,
  MaxAttempts: maxAttempts,
  BackoffRate: 2,
  MaxDelaySeconds: 900,
  JitterStrategy: 'FULL',
});

export function trainingDefinition(p: TrainingDefinitionParams): Record<string, unknown> {
  const distributed = p.instanceCount > 1;
  const approve = p.approvalMode === 'auto';
  return {
    Comment: `GPU training of ${p.model} (${p.environmentName}): validate, train on SageMaker, evaluation gate, register${approve ? ', approve' : ''}`,
    StartAt: STATE.validate,
    // The longest a run can take: the job's own limit (spot wait included) plus an hour for the other states.
    TimeoutSeconds: (p.maxWaitSeconds ?? p.maxRuntimeSeconds) * (p.jobRetryAttempts + 1) + 3600,
    States: {
      [STATE.validate]: {
        Type: 'Task',
        Resource: 'arn:aws:states:::lambda:invoke',
        Parameters: { FunctionName: p.stepsFunctionArn, Payload: { step: 'validate', 'input.$': '$$.Execution.Input' } },
        ResultSelector: { 'result.$': '$.Payload' },
        OutputPath: '$.result',
        ResultPath: '$',
        Retry: [backoff(LAMBDA_TRANSIENT, 2, 6)],
        Next: STATE.inputValid,
      },
      [STATE.inputValid]: {
        Type: 'Choice',
        Choices: [{ Variable: '$.valid', BooleanEquals: true, Next: STATE.train }],
        Default: STATE.invalidInput,
      },
      [STATE.invalidInput]: { Type: 'Fail', Error: TRAINING_ERRORS.invalidInput, CausePath: '$.problems' },
      [STATE.train]: {
        Type: 'Task',
        Resource: 'arn:aws:states:::sagemaker:createTrainingJob.sync',
        Parameters: {
          // Job names are never reused: each retried create is a new job, the attempt number last.
          'TrainingJobName.$': "States.Format('{}-{}', $.jobNamePrefix, $$.State.RetryCount)",
          RoleArn: p.trainingRoleArn,
          AlgorithmSpecification: {
            TrainingImage: p.image,
            TrainingInputMode: 'File',
            MetricDefinitions: p.metricDefinitions.map((definition) => ({ Name: definition.name, Regex: definition.regex })),
            EnableSageMakerMetricsTimeSeries: true,
          },
          'HyperParameters.$': '$.hyperparameters',
          InputDataConfig: [
            {
              ChannelName: 'train',
              ContentType: 'application/x-parquet',
              InputMode: 'File',
              DataSource: { S3DataSource: { S3DataType: 'S3Prefix', 'S3Uri.$': '$.trainingDataUri', S3DataDistributionType: 'FullyReplicated' } },
            },
          ],
          OutputDataConfig: { 'S3OutputPath.$': '$.outputUri', KmsKeyId: p.kmsKeyArn },
          ResourceConfig: { InstanceType: p.instanceType, InstanceCount: p.instanceCount, VolumeSizeInGB: p.volumeSizeGb, VolumeKmsKeyId: p.kmsKeyArn },
          StoppingCondition: { MaxRuntimeInSeconds: p.maxRuntimeSeconds, ...(p.spot ? { MaxWaitTimeInSeconds: p.maxWaitSeconds } : {}) },
          EnableManagedSpotTraining: p.spot,
          CheckpointConfig: { 'S3Uri.$': '$.checkpointUri', LocalPath: '/opt/ml/checkpoints' },
          RetryStrategy: { MaximumRetryAttempts: p.jobRetryAttempts },
          VpcConfig: { Subnets: p.subnetIds, SecurityGroupIds: p.securityGroupIds },
          EnableNetworkIsolation: true,
          EnableInterContainerTrafficEncryption: distributed,
          Tags: [
            { Key: 'Environment', Value: p.environmentName },
            { Key: 'Model', Value: p.model },
            { Key: 'Run', 'Value.$': '$.runId' },
          ],
        },
        ResultSelector: { 'modelArtifactUri.$': '$.ModelArtifacts.S3ModelArtifacts', 'trainingJobName.$': '$.TrainingJobName' },
        ResultPath: '$.training',
        Retry: [backoff(SAGEMAKER_CREATE_ERRORS, 60, p.createAttempts)],
        Next: STATE.evaluate,
      },
      [STATE.evaluate]: {
        Type: 'Task',
        Resource: 'arn:aws:states:::lambda:invoke',
        Parameters: { FunctionName: p.stepsFunctionArn, Payload: { step: 'evaluate', 'validation.$': '$', 'training.$': '$.training' } },
        ResultSelector: { 'result.$': '$.Payload' },
        ResultPath: '$.evaluation',
        Retry: [backoff(LAMBDA_TRANSIENT, 2, 6)],
        Next: STATE.gatePassed,
      },
      [STATE.gatePassed]: {
        Type: 'Choice',
        Choices: [{ Variable: '$.evaluation.result.passed', BooleanEquals: true, Next: STATE.register }],
        Default: STATE.gateFailed,
      },
      [STATE.gateFailed]: { Type: 'Fail', Error: TRAINING_ERRORS.gateFailed, CausePath: '$.evaluation.result.reason' },
      [STATE.register]: {
        Type: 'Task',
        Resource: 'arn:aws:states:::aws-sdk:sagemaker:createModelPackage',
        Parameters: {
          ModelPackageGroupName: p.modelPackageGroupName,
          'ModelPackageDescription.$': "States.Format('{} run {} ({}): {}', $.training.trainingJobName, $.runId, $.reason, $.evaluation.result.reason)",
          ModelApprovalStatus: 'PendingManualApproval',
          // Idempotent: a retried create returns the package of the first one.
          'ClientToken.$': '$.runId',
          InferenceSpecification: {
            Containers: [{ Image: p.servingImage, 'ModelDataUrl.$': '$.evaluation.result.modelDataUrl' }],
            SupportedContentTypes: ['application/json'],
            SupportedResponseMIMETypes: ['application/json'],
          },
          ModelMetrics: { ModelQuality: { Statistics: { ContentType: 'application/json', 'S3Uri.$': '$.evaluation.result.evaluationReportUri' } } },
          DriftCheckBaselines: { ModelDataQuality: { Statistics: { ContentType: 'application/json', 'S3Uri.$': '$.evaluation.result.driftBaselineUri' } } },
          MetadataProperties: { 'CommitId.$': '$.commitId', 'GeneratedBy.$': '$$.Execution.Id' },
          'CustomerMetadataProperties.$': '$.evaluation.result.customerMetadata',
        },
        ResultSelector: { 'modelPackageArn.$': '$.ModelPackageArn' },
        ResultPath: '$.registration',
        Retry: [backoff(SAGEMAKER_SDK_THROTTLING, 5, 6)],
        Next: approve ? STATE.approve : STATE.succeeded,
      },
      ...(approve
        ? {
            [STATE.approve]: {
              Type: 'Task',
              Resource: 'arn:aws:states:::aws-sdk:sagemaker:updateModelPackage',
              Parameters: {
                'ModelPackageArn.$': '$.registration.modelPackageArn',
                ModelApprovalStatus: 'Approved',
                'ApprovalDescription.$': "States.Format('Approved by the training pipeline (approval mode auto): {}', $.evaluation.result.reason)",
              },
              ResultPath: null,
              Retry: [backoff(SAGEMAKER_SDK_THROTTLING, 5, 6)],
              Next: STATE.succeeded,
            },
          }
        : {}),
      [STATE.succeeded]: { Type: 'Succeed' },
    },
  };
}
