import { Duration, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import type { EksCluster } from '../../../../constructs/eks';
import { OperationsAlerts } from '../../../../constructs/operations';
import { ModelServing } from '../../../../constructs/serving';
import { ModelRollout } from '../../../../constructs/serving/model-rollout';
import { pinParameterName } from '../../../../lib/rollout';
import { servingFixture, SPARSE_PROFILE, STEADY_PROFILE } from './fixtures/serving-fixture';

const PIN = (model: string) => pinParameterName('dev', model);

/** ROLLOUT_TARGETS as the function reads it, every CloudFormation token (names of created resources) rendered as TOKEN. */
function rolloutTargetsOf(rollout: ModelRollout): Record<string, { target: { signals?: unknown } }> {
  const fn = rollout.function.function.node.defaultChild as unknown as { environment: unknown };
  const value = (Stack.of(rollout).resolve(fn.environment) as { variables: Record<string, string | { 'Fn::Join': [string, unknown[]] }> }).variables
    .ROLLOUT_TARGETS;
  return JSON.parse(typeof value === 'string' ? value : value['Fn::Join'][1].map((part) => (typeof part === 'string' ? part : 'TOKEN')).join(''));
}

/** The GPU doc-embedder (served on EKS) in a fresh fixture. */
function eksModel() {
  const fixture = servingFixture();
  const gpu = new ModelServing(fixture.stack, 'Gpu', {
    modelName: 'doc-embedder',
    traffic: { ...STEADY_PROFILE, gpu: true, teamSize: 8 },
    modelRepository: fixture.modelRepository,
    prometheusWorkspace: fixture.prometheusWorkspace,
    vpc: fixture.vpc,
    image: fixture.image,
  });
  return { ...fixture, gpu, models: [{ serving: gpu, modelPackageGroupName: 'dev-doc-embedder', pinParameterName: PIN('doc-embedder') }] };
}

/** `beforeSynth` adds to the stack before its template is taken (a template freezes the construct tree). */
function governedFixture(beforeSynth?: (parts: { stack: Stack; rollout: ModelRollout }) => void) {
  const fixture = servingFixture();
  const common = { modelRepository: fixture.modelRepository, vpc: fixture.vpc, image: fixture.image, prometheusWorkspace: fixture.prometheusWorkspace };
  const churn = new ModelServing(fixture.stack, 'Churn', {
    ...common,
    modelName: 'churn-classifier',
    traffic: SPARSE_PROFILE,
    decisionContext: { highAvailability: false, architecture: 'x86_64' },
    servedVersionParameterName: PIN('churn-classifier'),
  });
  const fraud = new ModelServing(fixture.stack, 'Fraud', {
    ...common,
    modelName: 'fraud-scorer',
    traffic: STEADY_PROFILE,
    forceTarget: 'fargate',
    servedVersionParameterName: PIN('fraud-scorer'),
  });
  const rollout = new ModelRollout(fixture.stack, 'Rollout', {
    models: [
      { serving: churn, modelPackageGroupName: 'dev-churn-classifier', pinParameterName: PIN('churn-classifier') },
      { serving: fraud, modelPackageGroupName: 'dev-fraud-scorer', pinParameterName: PIN('fraud-scorer') },
    ],
    modelRepository: fixture.modelRepository,
    vpc: fixture.vpc,
  });
  beforeSynth?.({ stack: fixture.stack, rollout });
  return { ...fixture, churn, fraud, rollout, template: Template.fromStack(fixture.stack) };
}

describe('governed rollout: pinned deployments and the ModelRollout function', () => {
  const { stack, churn, fraud, rollout, template } = governedFixture();

  test('each deployment reads its pin through a CloudFormation SSM reference, resolved only when the deployment itself is created or updated', () => {
    expect(churn.target).toBe('lambda');
    expect(fraud.target).toBe('fargate');
    template.hasResourceProperties('AWS::Lambda::Function', {
      Environment: {
        Variables: Match.objectLike({
          SERVED_MODELS: 'churn-classifier',
          SERVED_MODEL_VERSION: '{{resolve:ssm:/mlops/dev/serving/churn-classifier/served-version}}',
        }),
      },
    });
    const taskDefinition = Object.values(template.findResources('AWS::ECS::TaskDefinition'))[0];
    expect(taskDefinition.Properties.ContainerDefinitions[0].Environment).toContainEqual({
      Name: 'SERVED_MODEL_VERSION',
      Value: '{{resolve:ssm:/mlops/dev/serving/fraud-scorer/served-version}}',
    });
  });

  test('the function knows every model: registry group, pin, and the target it deploys through', () => {
    const fn = Object.values(template.findResources('AWS::Lambda::Function')).find((f) => f.Properties.Environment?.Variables?.ROLLOUT_TARGETS)!;
    const targets = JSON.parse(JSON.stringify(stack.resolve(fn.Properties.Environment.Variables.ROLLOUT_TARGETS)));
    const rendered = JSON.stringify(targets);
    for (const fragment of [
      'churn-classifier',
      'dev-churn-classifier',
      '"kind\\":\\"lambda',
      'live',
      'fraud-scorer',
      '"kind\\":\\"ecs',
      'Serving',
      '/mlops/dev/serving/fraud-scorer/served-version',
    ]) {
      expect(rendered).toContain(fragment);
    }
    expect(rollout.function.reservedConcurrentExecutions).toBe(2);
  });

  test('every state change of the governed groups (approved, rejected, pending) reaches it, with retries and a dead-letter queue', () => {
    template.hasResourceProperties('AWS::Events::Rule', {
      EventPattern: {
        source: ['aws.sagemaker'],
        'detail-type': ['SageMaker Model Package State Change'],
        detail: { ModelPackageGroupName: ['dev-churn-classifier', 'dev-fraud-scorer'] },
      },
      Targets: [Match.objectLike({ DeadLetterConfig: Match.anyValue(), RetryPolicy: { MaximumRetryAttempts: 185, MaximumEventAgeInSeconds: 86400 } })],
    });
  });

  test('failed ECS deployments and failed or stopped CodeDeploy deployments reach it too', () => {
    template.hasResourceProperties('AWS::Events::Rule', {
      EventPattern: {
        source: ['aws.ecs'],
        'detail-type': ['ECS Deployment State Change'],
        resources: [{ Ref: Match.stringLikeRegexp('FraudFargateService') }],
        detail: { eventName: ['SERVICE_DEPLOYMENT_FAILED'] },
      },
    });
    template.hasResourceProperties('AWS::Events::Rule', {
      EventPattern: {
        source: ['aws.codedeploy'],
        'detail-type': ['CodeDeploy Deployment State-change Notification'],
        detail: { deploymentGroup: [{ Ref: Match.stringLikeRegexp('ChurnLambdaDeployment') }], state: ['FAILURE', 'STOP'] },
      },
    });
  });

  test('least privilege: the two pins, the one function and its versions, the deployment group, the one service, PassRole to ECS only', () => {
    const statements = Object.values(template.findResources('AWS::IAM::ManagedPolicy'))
      .flatMap((policy) => policy.Properties.PolicyDocument.Statement as Array<{ Action: string | string[]; Resource: unknown; Condition?: unknown }>)
      .map((statement) => ({ ...statement, Action: ([] as string[]).concat(statement.Action) }));
    const withAction = (action: string) => statements.filter((statement) => statement.Action.includes(action));
    expect(JSON.stringify(stack.resolve(withAction('ssm:PutParameter')[0].Resource))).toContain('parameter/mlops/dev/serving/churn-classifier/served-version');
    expect(withAction('lambda:PublishVersion')[0].Resource).toHaveLength(2);
    expect(JSON.stringify(withAction('codedeploy:CreateDeployment')[0].Resource)).toContain('deploymentgroup');
    expect(withAction('ecs:UpdateService')[0].Resource).toEqual({ Ref: expect.stringMatching(/^FraudFargateService/) });
    expect(withAction('iam:PassRole')[0].Condition).toEqual({ StringEquals: { 'iam:PassedToService': 'ecs-tasks.amazonaws.com' } });
    expect(withAction('ecs:RegisterTaskDefinition')[0].Resource).toBe('*');
    // No EKS model: nothing to judge on the workspace's signals, so no query permission and no query URL.
    expect(withAction('aps:QueryMetrics')).toEqual([]);
    const fn = Object.values(template.findResources('AWS::Lambda::Function')).find((f) => f.Properties.Environment?.Variables?.ROLLOUT_TARGETS)!;
    expect(fn.Properties.Environment.Variables.METRICS_QUERY_URL).toBeUndefined();
  });
});

describe('ModelRollout alarms', () => {
  let alarms: unknown[] = [];
  const { rollout, template } = governedFixture(({ stack, rollout }) => {
    alarms = rollout.addAlarms(new OperationsAlerts(stack, 'Alerts'));
  });
  const alarmOn = (metricName: string) =>
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: 'MlopsBlueprint',
      MetricName: metricName,
      Dimensions: [{ Name: 'service', Value: 'rollout-model' }],
      Statistic: 'Sum',
      Period: 300,
      Threshold: 1,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      TreatMissingData: 'notBreaching',
      AlarmActions: [{ Ref: Match.stringLikeRegexp('AlertsTopic') }],
    });

  test('a failed or rolled-back rollout and an unchecked one each notify the alert topic, beside the dead-letter alarms', () => {
    expect(alarms).toHaveLength(4);
    alarmOn('ModelRolloutsFailed');
    alarmOn('ModelRolloutsUnchecked');
    template.resourcePropertiesCountIs('AWS::CloudWatch::Alarm', { MetricName: 'ApproximateNumberOfMessagesVisible' }, 1);
  });

  test('its metrics are the ones the function publishes (namespace, name, service dimension)', () => {
    for (const metric of [rollout.metricRolloutsFailed(), rollout.metricRolloutsRolledBackOnSignals(), rollout.metricRolloutsUnchecked()]) {
      expect(metric.namespace).toBe('MlopsBlueprint');
      expect(metric.dimensions).toEqual({ service: 'rollout-model' });
    }
    expect(rollout.metricRolloutsRolledBackOnSignals().metricName).toBe('ModelRolloutsRolledBackOnSignals');
  });
});

describe('ModelRollout of an EKS model', () => {
  const fixture = eksModel();
  const { gpu } = fixture;
  const rollout = new ModelRollout(fixture.stack, 'Rollout', {
    models: fixture.models,
    modelRepository: fixture.modelRepository,
    vpc: fixture.vpc,
    metricsWorkspace: fixture.prometheusWorkspace,
  });
  const template = Template.fromStack(fixture.stack);
  const cluster = gpu.eks!.cluster as EksCluster;
  const rolloutFunction = () =>
    Object.values(template.findResources('AWS::Lambda::Function')).find((f) => f.Properties.Environment?.Variables?.ROLLOUT_TARGETS)!;

  test('defaults: the rollout is judged on the model p99 objective, a 1% error rate, 3 consecutive checks and a 5-minute bake', () => {
    expect(rolloutTargetsOf(rollout)['doc-embedder'].target.signals).toEqual({
      p99LatencyMs: STEADY_PROFILE.p99LatencyMs,
      errorRateThresholdPercent: 1,
      evaluationsToRollBack: 3,
      bakeSeconds: 300,
    });
  });

  test('the function queries the workspace: its instant-query URL in METRICS_QUERY_URL, aps:QueryMetrics on that workspace only', () => {
    expect(rolloutFunction().Properties.Environment.Variables.METRICS_QUERY_URL).toBe(
      'https://aps-workspaces.us-east-1.amazonaws.com/workspaces/ws-env/api/v1/query',
    );
    const statements = Object.values(template.findResources('AWS::IAM::ManagedPolicy')).flatMap(
      (policy) => policy.Properties.PolicyDocument.Statement as Array<{ Action: unknown; Resource: unknown }>,
    );
    const aps = statements.filter((statement) => JSON.stringify(statement.Action).includes('aps:'));
    expect(aps).toEqual([expect.objectContaining({ Action: 'aps:QueryMetrics', Resource: 'arn:aws:aps:us-east-1:111111111111:workspace/ws-env' })]);
  });

  test('the target is the model Deployment in its namespace on its cluster', () => {
    const fn = Object.values(template.findResources('AWS::Lambda::Function')).find((f) => f.Properties.Environment?.Variables?.ROLLOUT_TARGETS)!;
    const targets = JSON.parse(JSON.stringify(fixture.stack.resolve(fn.Properties.Environment.Variables.ROLLOUT_TARGETS)));
    const rendered = JSON.stringify(targets);
    for (const fragment of [
      '"kind\\":\\"kubernetes',
      '"namespace\\":\\"serving-doc-embedder',
      '"deployment\\":\\"model-server',
      '"containerName\\":\\"server',
    ]) {
      expect([fragment, rendered.includes(fragment)]).toEqual([fragment, true]);
    }
    // Watching a rolling update (10-minute progress deadline) needs the longest Lambda timeout.
    expect(fn.Properties.Timeout).toBe(900);
  });

  test('an access entry maps the function role to the rollout group only, with no access policy (the namespaced Role decides)', () => {
    template.hasResourceProperties('AWS::EKS::AccessEntry', {
      ClusterName: fixture.stack.resolve(cluster.clusterName),
      PrincipalArn: fixture.stack.resolve(rollout.function.role.roleArn),
      Type: 'STANDARD',
      KubernetesGroups: ['mlops-model-rollout'],
      AccessPolicies: Match.absent(),
    });
  });

  test('it may describe that cluster, and reach its private endpoint on 443 from its own security group', () => {
    const statements = Object.values(template.findResources('AWS::IAM::ManagedPolicy')).flatMap((policy) => policy.Properties.PolicyDocument.Statement);
    expect(statements).toContainEqual(expect.objectContaining({ Action: 'eks:DescribeCluster', Resource: fixture.stack.resolve(cluster.clusterArn) }));
    template.hasResourceProperties('AWS::EC2::SecurityGroupIngress', {
      GroupId: fixture.stack.resolve(cluster.controlPlaneSecurityGroup.securityGroupId),
      SourceSecurityGroupId: fixture.stack.resolve(rollout.function.securityGroup.securityGroupId),
      FromPort: 443,
      ToPort: 443,
      IpProtocol: 'tcp',
    });
  });
});

describe('ModelRollout of an EKS model, custom signal options', () => {
  test('bake, checks and error-rate threshold reach the target', () => {
    const { stack, models, modelRepository, vpc, prometheusWorkspace } = eksModel();
    const rollout = new ModelRollout(stack, 'Rollout', {
      models,
      modelRepository,
      vpc,
      metricsWorkspace: prometheusWorkspace,
      eksSignals: { bake: Duration.minutes(2), evaluationsToRollBack: 6, errorRateThresholdPercent: 0.5 },
    });
    expect(rolloutTargetsOf(rollout)['doc-embedder'].target.signals).toEqual({
      p99LatencyMs: STEADY_PROFILE.p99LatencyMs,
      errorRateThresholdPercent: 0.5,
      evaluationsToRollBack: 6,
      bakeSeconds: 120,
    });
  });
});

describe('ModelRollout validation', () => {
  test('no models', () => {
    const fixture = servingFixture();
    expect(() => new ModelRollout(fixture.stack, 'R', { models: [], modelRepository: fixture.modelRepository, vpc: fixture.vpc })).toThrow(
      /ModelRollout: invalid models = \[\]; at least one Lambda, Fargate or EKS model/,
    );
  });

  describe('of an EKS model', () => {
    const build = (props: Partial<ConstructorParameters<typeof ModelRollout>[2]>) => {
      const { stack, models, modelRepository, vpc, prometheusWorkspace } = eksModel();
      return () => new ModelRollout(stack, 'R', { models, modelRepository, vpc, metricsWorkspace: prometheusWorkspace, ...props });
    };
    test('no metrics workspace to judge it on', () => {
      expect(build({ metricsWorkspace: undefined })).toThrow(
        /ModelRollout: invalid metricsWorkspace = undefined; the workspace the EKS models' metrics reach \(doc-embedder\)/,
      );
    });
    test('a bake longer than the function can watch', () => {
      expect(build({ eksSignals: { bake: Duration.minutes(15) } })).toThrow(/ModelRollout: invalid eksSignals.bake = "15 minutes"; at most 14 minutes/);
    });
    test('evaluationsToRollBack not a whole number of at least 1', () => {
      for (const value of [0, 1.5])
        expect(build({ eksSignals: { evaluationsToRollBack: value } })).toThrow(
          new RegExp(`ModelRollout: invalid eksSignals.evaluationsToRollBack = ${value}; a whole number of checks, at least 1`),
        );
    });
    test('an error-rate threshold outside (0, 100]', () => {
      expect(build({ eksSignals: { errorRateThresholdPercent: 0 } })).toThrow(
        /ModelRollout: invalid errorRateThresholdPercent = 0; a percentage above 0 and at most 100/,
      );
    });
  });
});
