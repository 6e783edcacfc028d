import aslValidator from 'asl-validator';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Match } from 'aws-cdk-lib/assertions';
import { STATE, TRAINING_ERRORS } from '../../../../constructs/training';
import { buildTrainingStack, SERVING_IMAGE, synthesizedDefinition } from './training-fixture';

const environments = {
  dev: buildTrainingStack('dev'),
  staging: buildTrainingStack('staging'),
  prod: buildTrainingStack('prod'),
};

function policyStatements(template: ReturnType<typeof buildTrainingStack>['template'], rolePathPart: string): any[] {
  const policies = template.findResources('AWS::IAM::ManagedPolicy');
  const entry = Object.entries(policies).find(([id]) => id.includes(rolePathPart));
  if (!entry) throw new Error(`no managed policy for ${rolePathPart}`);
  return entry[1].Properties.PolicyDocument.Statement;
}

describe.each(Object.entries(environments))('GpuTrainingPipeline in %s', (name, { config, template }) => {
  const training = config.training!.models[0];
  const definition = synthesizedDefinition(template);
  const train = definition.States[STATE.train];

  test('the synthesized definition is valid Amazon States Language (asl-validator)', () => {
    const validation = aslValidator(structuredClone(definition)); // the validator annotates what it is given
    expect(validation.errorsText?.('\n')).toBe('');
    expect(validation.isValid).toBe(true);
  });

  test('one Standard state machine, traced, logging every event to an encrypted log group', () => {
    template.hasResourceProperties('AWS::StepFunctions::StateMachine', {
      StateMachineType: 'STANDARD',
      StateMachineName: `mlops-${name}-training-churn-classifier`,
      TracingConfiguration: { Enabled: true },
      LoggingConfiguration: Match.objectLike({ Level: 'ALL', IncludeExecutionData: false }),
    });
    template.hasResourceProperties('AWS::Logs::LogGroup', { KmsKeyId: Match.anyValue(), RetentionInDays: 365 });
  });

  test('trains with the raw createTrainingJob.sync parameters of this environment', () => {
    expect(train.Resource).toBe('arn:aws:states:::sagemaker:createTrainingJob.sync');
    const p = train.Parameters;
    expect(p.ResourceConfig).toEqual({
      InstanceType: training.instanceType,
      InstanceCount: training.instanceCount,
      VolumeSizeInGB: 50,
      VolumeKmsKeyId: expect.stringMatching(/^(IMPORT_|REF_|GETATT_)/),
    });
    expect(p.OutputDataConfig).toEqual({ 'S3OutputPath.$': '$.outputUri', KmsKeyId: p.ResourceConfig.VolumeKmsKeyId });
    expect(p.EnableManagedSpotTraining).toBe(training.spot);
    expect(p.StoppingCondition.MaxRuntimeInSeconds).toBe(training.maxRuntimeHours * 3600);
    if (training.spot) {
      expect(p.StoppingCondition.MaxWaitTimeInSeconds).toBe(training.maxWaitHours! * 3600);
      expect(p.StoppingCondition.MaxWaitTimeInSeconds).toBeGreaterThanOrEqual(p.StoppingCondition.MaxRuntimeInSeconds);
    } else {
      expect(p.StoppingCondition).not.toHaveProperty('MaxWaitTimeInSeconds');
    }
    expect(p.CheckpointConfig).toEqual({ 'S3Uri.$': '$.checkpointUri', LocalPath: '/opt/ml/checkpoints' });
    expect(p.RetryStrategy).toEqual({ MaximumRetryAttempts: 2 });
    expect(p.EnableNetworkIsolation).toBe(true);
    expect(p.EnableInterContainerTrafficEncryption).toBe(training.instanceCount > 1);
    expect(p.VpcConfig.Subnets.length).toBeGreaterThan(0);
    expect(p.VpcConfig.SecurityGroupIds).toHaveLength(1);
    expect(p.Tags).toEqual([
      { Key: 'Environment', Value: name },
      { Key: 'Model', Value: 'churn-classifier' },
      { Key: 'Run', 'Value.$': '$.runId' },
    ]);
    expect(p.AlgorithmSpecification).toEqual({
      TrainingImage: training.image,
      TrainingInputMode: 'File',
      MetricDefinitions: training.metricDefinitions.map((d) => ({ Name: d.name, Regex: d.regex })),
      EnableSageMakerMetricsTimeSeries: true,
    });
    expect(p['TrainingJobName.$']).toBe("States.Format('{}-{}', $.jobNamePrefix, $$.State.RetryCount)");
  });

  test('retries SageMaker API refusals and transient Lambda errors with exponential backoff and jitter', () => {
    expect(train.Retry).toEqual([
      {
        ErrorEquals: ['SageMaker.AmazonSageMakerException'],
        IntervalSeconds: 60,
        MaxAttempts: 4,
        BackoffRate: 2,
        MaxDelaySeconds: 900,
        JitterStrategy: 'FULL',
      },
    ]);
    for (const state of [STATE.validate, STATE.evaluate]) {
      expect(definition.States[state].Retry[0]).toMatchObject({
        ErrorEquals: expect.arrayContaining(['Lambda.TooManyRequestsException', 'Lambda.ServiceException']),
        BackoffRate: 2,
      });
    }
    expect(definition.States[STATE.register].Retry[0].ErrorEquals).toContain('SageMaker.ThrottlingException');
  });

  test('invalid input and a missed gate end the run with the reason as the cause', () => {
    expect(definition.States[STATE.inputValid].Default).toBe(STATE.invalidInput);
    expect(definition.States[STATE.invalidInput]).toEqual({ Type: 'Fail', Error: TRAINING_ERRORS.invalidInput, CausePath: '$.problems' });
    expect(definition.States[STATE.gatePassed]).toEqual({
      Type: 'Choice',
      Choices: [{ Variable: '$.evaluation.result.passed', BooleanEquals: true, Next: STATE.register }],
      Default: STATE.gateFailed,
    });
    expect(definition.States[STATE.gateFailed]).toEqual({ Type: 'Fail', Error: TRAINING_ERRORS.gateFailed, CausePath: '$.evaluation.result.reason' });
  });

  test('registers PendingManualApproval with model data, serving image, metrics, drift baseline and lineage', () => {
    const register = definition.States[STATE.register];
    expect(register.Resource).toBe('arn:aws:states:::aws-sdk:sagemaker:createModelPackage');
    expect(register.Parameters).toMatchObject({
      ModelPackageGroupName: `${name}-churn-classifier`,
      ModelApprovalStatus: 'PendingManualApproval',
      'ClientToken.$': '$.runId',
      InferenceSpecification: { Containers: [{ Image: SERVING_IMAGE, 'ModelDataUrl.$': '$.evaluation.result.modelDataUrl' }] },
      ModelMetrics: { ModelQuality: { Statistics: { ContentType: 'application/json', 'S3Uri.$': '$.evaluation.result.evaluationReportUri' } } },
      DriftCheckBaselines: { ModelDataQuality: { Statistics: { ContentType: 'application/json', 'S3Uri.$': '$.evaluation.result.driftBaselineUri' } } },
      MetadataProperties: { 'CommitId.$': '$.commitId', 'GeneratedBy.$': '$$.Execution.Id' },
      'CustomerMetadataProperties.$': '$.evaluation.result.customerMetadata',
    });
  });

  test('approves with UpdateModelPackage only where the approval mode is auto', () => {
    const approve = definition.States[STATE.approve];
    if (config.approvalMode === 'auto') {
      expect(definition.States[STATE.register].Next).toBe(STATE.approve);
      expect(approve).toMatchObject({ Resource: 'arn:aws:states:::aws-sdk:sagemaker:updateModelPackage', Parameters: { ModelApprovalStatus: 'Approved' } });
    } else {
      expect(approve).toBeUndefined();
      expect(definition.States[STATE.register].Next).toBe(STATE.succeeded);
      expect(JSON.stringify(policyStatements(template, 'StateMachineRole'))).not.toContain('sagemaker:UpdateModelPackage');
    }
  });

  test('the training role reads only its dataset and writes only its runs and checkpoints', () => {
    const statements = policyStatements(template, 'TrainingRole');
    const text = JSON.stringify(statements);
    const objectResources = statements
      .filter((s) => [s.Action].flat().some((a: string) => a.startsWith('s3:') && a !== 's3:ListBucket'))
      .flatMap((s) => [s.Resource].flat());
    const keys = objectResources.map((resource) => JSON.stringify(resource).match(/"\/([^"]*)"\]\]\}$/)?.[1]);
    expect(new Set(keys)).toEqual(
      new Set(['datasets/dataset=customer-events/*', 'model-artifacts/churn-classifier/runs/*', 'model-artifacts/churn-classifier/checkpoints/*']),
    );
    expect(text).toContain('"s3:prefix":["datasets/dataset=customer-events/","datasets/dataset=customer-events/*"]');
    expect(text).not.toMatch(/s3:\*|s3:GetObject\*|s3:DeleteObject/);
    expect(text).toContain('repository/mlops-reference-trainer');
  });

  test("the state machine may create only this model's jobs, pass only the training role, to SageMaker only", () => {
    const statements = policyStatements(template, 'StateMachineRole');
    const run = statements.find((s) => s.Sid === 'RunTrainingJobs');
    expect(JSON.stringify(run.Resource)).toContain(':training-job/churn-classifier-*');
    const pass = statements.find((s) => s.Sid === 'PassTrainingRole');
    expect(pass.Condition).toEqual({ StringEquals: { 'iam:PassedToService': 'sagemaker.amazonaws.com' } });
    const register = statements.find((s) => [s.Action].flat().includes('sagemaker:CreateModelPackage'));
    expect(register.Condition).toEqual({ StringEquals: { 'sagemaker:ModelApprovalStatus': 'PendingManualApproval' } });
    expect(JSON.stringify(register.Resource)).toContain(`model-package/${name}-churn-classifier/*`);
  });

  test("the training instances' security group allows HTTPS out, and all traffic between instances only for distributed jobs", () => {
    const groups = Object.values(template.findResources('AWS::EC2::SecurityGroup')).filter((g) => /training instances/.test(g.Properties.GroupDescription));
    expect(groups).toHaveLength(1);
    expect(groups[0].Properties.SecurityGroupEgress).toEqual(
      expect.arrayContaining([expect.objectContaining({ CidrIp: '0.0.0.0/0', IpProtocol: 'tcp', FromPort: 443, ToPort: 443 })]),
    );
    const selfRules = template.findResources('AWS::EC2::SecurityGroupIngress');
    expect(Object.keys(selfRules).length > 0).toBe(training.instanceCount > 1);
  });

  test('a monthly SageMaker budget filtered by the Environment tag emails the configured people', () => {
    template.hasResourceProperties('AWS::Budgets::Budget', {
      Budget: {
        BudgetName: `mlops-${name}-sagemaker`,
        BudgetType: 'COST',
        TimeUnit: 'MONTHLY',
        BudgetLimit: { Amount: config.training!.budget.monthlyUsd, Unit: 'USD' },
        CostFilters: { Service: ['Amazon SageMaker'], TagKeyValue: [`user:Environment$${name}`] },
      },
      NotificationsWithSubscribers: [
        {
          Notification: { NotificationType: 'ACTUAL', ComparisonOperator: 'GREATER_THAN', Threshold: 80, ThresholdType: 'PERCENTAGE' },
          Subscribers: config.training!.budget.emails.map((a) => ({ SubscriptionType: 'EMAIL', Address: a })),
        },
        Match.objectLike({ Notification: Match.objectLike({ NotificationType: 'FORECASTED', Threshold: 100 }) }),
      ],
    });
  });
});

describe('GpuTrainingPipeline validation', () => {
  test('a model name too long for SageMaker job names is refused naming the prop', () => {
    expect(() =>
      buildTrainingStack('dev', (config) => {
        const long = 'a-model-name-that-is-far-longer-than-forty-chars';
        config.models[0] = { ...config.models[0], name: long };
        config.training!.models[0] = { ...config.training!.models[0], model: long };
      }),
    ).toThrow(/GpuTrainingPipeline: invalid training\.model = "a-model-name-that-is-far-longer-than-forty-chars"; at most 40 characters/);
  });
});

describe('GpuTrainingPipeline resource pattern (docs/resource-pattern.md)', () => {
  const { training } = environments.dev;
  const pipeline = training.pipelines[0];

  test('grantStartRun returns one successful iam.Grant: StartExecution/ListExecutions on the machine, DescribeExecution on its runs', () => {
    const starter = new iam.Role(training, 'Starter', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
    const grant = pipeline.grantStartRun(starter);
    expect(grant).toBeInstanceOf(iam.Grant);
    expect(grant.success).toBe(true);
    const statements = grant.principalStatements.map((statement) => training.resolve(statement.toStatementJson()) as { Action: unknown; Resource: unknown });
    expect(statements).toEqual([
      { Effect: 'Allow', Action: 'states:DescribeExecution', Resource: training.resolve(pipeline.executionArnPattern()) },
      { Effect: 'Allow', Action: ['states:StartExecution', 'states:ListExecutions'], Resource: training.resolve(pipeline.stateMachine.stateMachineArn) },
    ]);
  });

  test('metricExecutionsFailed / TimedOut / Time are the state machine in AWS/States', () => {
    for (const [metric, name] of [
      [pipeline.metricExecutionsFailed(), 'ExecutionsFailed'],
      [pipeline.metricExecutionsTimedOut(), 'ExecutionsTimedOut'],
      [pipeline.metricExecutionTime(), 'ExecutionTime'],
    ] as const) {
      expect(metric.namespace).toBe('AWS/States');
      expect(metric.metricName).toBe(name);
      expect(training.resolve(metric.dimensions)).toEqual({ StateMachineArn: training.resolve(pipeline.stateMachine.stateMachineArn) });
    }
  });
});
