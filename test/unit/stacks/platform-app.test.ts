import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { App, type CfnResource } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { buildPlatform } from '../../../stacks/platform-app';
import { fastCdkContext, REPO_ROOT } from '../../support/cdk-context';

function platformFor(env?: string) {
  return buildPlatform(new App({ context: { ...fastCdkContext(), ...(env ? { env } : {}) } }));
}

describe('the CDK app', () => {
  test('without -c env it builds dev, with stack names that carry the environment', () => {
    const platform = platformFor();
    expect(platform.environment.name).toBe('dev');
    expect(platform.allStacks.map((s) => s.stackName)).toEqual([
      'mlops-dev-data',
      'mlops-dev-network',
      'mlops-dev-operations',
      'mlops-dev-platform',
      'mlops-dev-serving',
      'mlops-dev-training',
    ]);
  });

  test.each([
    ['dev', 'Delete', false],
    ['staging', 'Retain', true],
    ['prod', 'Retain', true],
  ])('%s: buckets %s on deletion, termination protection %s', (env, deletionPolicy, protection) => {
    const platform = platformFor(env);
    const buckets = Template.fromStack(platform.data).findResources('AWS::S3::Bucket');
    expect(new Set(Object.values(buckets).map((b) => b.DeletionPolicy))).toEqual(new Set([deletionPolicy]));
    expect(platform.allStacks.every((s) => s.terminationProtection === protection)).toBe(true);
  });

  test('every stack carries Project, Environment, DataClassification, CostCenter and Owner tags', () => {
    const platform = platformFor('prod');
    const expected = [
      { Key: 'CostCenter', Value: 'ml-platform-prod' },
      { Key: 'DataClassification', Value: 'restricted' },
      { Key: 'Environment', Value: 'prod' },
      { Key: 'Owner', Value: 'ml-platform-team' },
      { Key: 'Project', Value: 'mlops-blueprint' },
    ];
    for (const stack of platform.allStacks) {
      const resources = Object.values<{ Properties?: { Tags?: unknown } }>(Template.fromStack(stack).toJSON().Resources ?? {});
      const tagged = resources.filter((r) => Array.isArray(r.Properties?.Tags));
      for (const resource of tagged) expect(resource.Properties?.Tags).toEqual(expect.arrayContaining(expected));
    }
    const bucket = Object.values(Template.fromStack(platform.data).findResources('AWS::S3::Bucket'))[0];
    expect(bucket.Properties.Tags).toEqual(expect.arrayContaining(expected));
  });

  test('dev: one untagged served-version pin per model holding none, in the data stack the serving stack depends on', () => {
    const platform = platformFor('dev');
    const pins = Template.fromStack(platform.data).findResources('AWS::SSM::Parameter');
    const models = platform.environment.config.models.map((m) => m.name);
    expect(Object.values(pins).map((p) => p.Properties.Name)).toEqual(models.map((m) => `/mlops/dev/serving/${m}/served-version`));
    for (const pin of Object.values(pins)) {
      expect(pin.Properties.Value).toBe('none');
      // A tag change would make CloudFormation rewrite the value: the pins are not tagged.
      expect(pin.Properties.Tags).toBeUndefined();
    }
    expect(platform.serving.dependencies).toContain(platform.data);
    expect(platform.serving.rollout).toBeDefined();
  });

  test('lifecycle days come from the environment config', () => {
    const platform = platformFor('prod');
    const buckets = Template.fromStack(platform.data).findResources('AWS::S3::Bucket');
    const rendered = JSON.stringify(buckets);
    expect(rendered).toContain('"TransitionInDays":365');
    expect(rendered).toContain('"ExpirationInDays":400');
  });

  test.each([
    ['dev', 0],
    ['prod', 2],
  ])('%s: every platform dead-letter queue and trigger backlog pages the alert topic, which emails %d people', (env, subscribers) => {
    const platform = platformFor(env);
    const deadLetterQueues = [platform.platform.ingest, platform.platform.materializeFeatures, platform.platform.promoteModel].map((fn) =>
      platform.platform.getLogicalId(fn!.deadLetterQueue.node.defaultChild as CfnResource),
    );
    const alarms = Object.values(Template.fromStack(platform.platform).findResources('AWS::CloudWatch::Alarm')) as Array<{ Properties: Record<string, any> }>;
    for (const queue of deadLetterQueues) {
      const watching = alarms.filter((alarm) => JSON.stringify(alarm.Properties.Dimensions).includes(queue));
      expect(watching.map((alarm) => alarm.Properties.MetricName).sort()).toEqual(['ApproximateAgeOfOldestMessage', 'ApproximateNumberOfMessagesVisible']);
      for (const alarm of watching) expect(JSON.stringify(alarm.Properties.AlarmActions)).toContain(`mlops-${env}-operations:ExportsOutputRefAlertsTopic`);
    }
    for (const trigger of [platform.platform.ingest.trigger, platform.platform.materializeFeatures!.trigger]) {
      const queue = platform.platform.getLogicalId(trigger.queue.node.defaultChild as CfnResource);
      const backlog = alarms.filter((alarm) => JSON.stringify(alarm.Properties.Dimensions).includes(queue));
      expect(backlog.map((alarm) => [alarm.Properties.MetricName, alarm.Properties.Threshold])).toEqual([['ApproximateAgeOfOldestMessage', 3601]]);
    }
    Template.fromStack(platform.operations).resourceCountIs('AWS::SNS::Subscription', subscribers);
  });

  test('dev: the Lambda serving rollback alarms notify the alert topic too', () => {
    const platform = platformFor('dev');
    const alarms = Object.values(Template.fromStack(platform.serving).findResources('AWS::CloudWatch::Alarm')) as Array<{ Properties: Record<string, any> }>;
    expect(alarms.length).toBeGreaterThanOrEqual(2);
    for (const alarm of alarms) expect(JSON.stringify(alarm.Properties.AlarmActions)).toContain('mlops-dev-operations:ExportsOutputRefAlertsTopic');
  });

  test('staging: the Fargate serving deployment-rollback alarms notify the alert topic too', () => {
    const platform = platformFor('staging');
    const template = Template.fromStack(platform.serving);
    const allAlarms = template.findResources('AWS::CloudWatch::Alarm') as Record<string, { Properties: Record<string, any> }>;
    // The rollout function's alarms live in the serving stack too: its dead-letter queue (AWS/SQS) and its failed and
    // unchecked rollouts (its own metrics); the others are the service's.
    const alarms = Object.fromEntries(Object.entries(allAlarms).filter(([, alarm]) => !['AWS/SQS', 'MlopsBlueprint'].includes(alarm.Properties.Namespace)));
    expect(Object.keys(allAlarms).length - Object.keys(alarms).length).toBe(4);
    const service = Object.values(template.findResources('AWS::ECS::Service'))[0];
    const { Enable, Rollback, AlarmNames } = service.Properties.DeploymentConfiguration.Alarms;
    expect({ Enable, Rollback }).toEqual({ Enable: true, Rollback: true });
    expect([...AlarmNames].sort()).toEqual(
      Object.values(alarms)
        .map((alarm) => alarm.Properties.AlarmName)
        .sort(),
    );
    expect(
      Object.values(alarms)
        .map((alarm) => alarm.Properties.Namespace ?? 'math expression')
        .sort(),
    ).toEqual(['AWS/ApplicationELB', 'math expression']);
    for (const alarm of Object.values(alarms))
      expect(JSON.stringify(alarm.Properties.AlarmActions)).toContain('mlops-staging-operations:ExportsOutputRefAlertsTopic');
  });

  test('`cdk synth -c env=nope` fails with one line naming the environment and the known ones', async () => {
    const run = promisify(execFile)('npx', ['cdk', 'synth', '-q', '-c', 'env=nope'], { cwd: REPO_ROOT, env: { ...process.env, CI: 'true' } });
    await expect(run).rejects.toMatchObject({
      stderr: expect.stringMatching(/^Unknown environment 'nope' \(-c env=nope\); known environments: dev, staging, prod$/m),
    });
  });
});
