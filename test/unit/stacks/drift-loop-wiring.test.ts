// How the stacks close the drift loop, as the templates say it: the training stack's rule sends exactly the
// DriftDetected events of its environment's trained models to start-training (checked against the event the detector
// emits), and each drift alarm of the platform stack notifies the operations stack's alert topic.
import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { driftDetectedDetail, driftDetectedEntry } from '../../../lambdas/drift-detector/drift-event';
import { DRIFT_DETECTED_DETAIL_TYPE, PLATFORM_EVENT_SOURCE } from '../../../lib/events';
import { buildPlatform } from '../../../stacks/platform-app';
import { deliveredEvent } from '../../support/eventbridge-put-events';
import { fastCdkContext } from '../../support/cdk-context';

/** EventBridge's matching for the pattern syntax the platform uses: objects nest, arrays list the exact values allowed. */
function matches(pattern: Record<string, unknown>, event: Record<string, unknown>): boolean {
  return Object.entries(pattern).every(([key, allowed]) =>
    Array.isArray(allowed)
      ? allowed.includes(event[key])
      : typeof event[key] === 'object' && event[key] !== null && matches(allowed as Record<string, unknown>, event[key] as Record<string, unknown>),
  );
}

function emitted(environment: string, model: string) {
  const detail = driftDetectedDetail({
    environment,
    model,
    version: '3',
    window: { start: new Date('2026-11-20T10:00:00Z'), end: new Date('2026-11-20T11:00:00Z') },
    thresholds: { psiThreshold: 0.2, ksStatistic: 0.1, minSamples: 200 },
    drifted: [{ feature: 'tenure_months', psi: 0.4, ksStatistic: 0.2, samples: 500 }],
  });
  return deliveredEvent(driftDetectedEntry(detail, 'default'));
}

const platform = buildPlatform(new App({ context: { ...fastCdkContext(), env: 'dev' } }));
const training = Template.fromStack(platform.training!);
const platformTemplate = Template.fromStack(platform.platform);
const logicalId = (stack: Stack, construct: { node: { defaultChild?: unknown } }) => stack.getLogicalId(construct.node.defaultChild as never);

describe('DriftDetected → start-training (training stack)', () => {
  const rules = Object.values(training.findResources('AWS::Events::Rule', { Properties: { EventPattern: { 'detail-type': [DRIFT_DETECTED_DETAIL_TYPE] } } }));
  const startTrainingId = logicalId(platform.training!, platform.training!.startTraining!.function);

  test('one rule on the default bus, targeting the StartTraining function with retries and a bounded event age', () => {
    expect(rules).toHaveLength(1);
    const rule = rules[0];
    expect(rule.Properties.EventBusName).toBeUndefined();
    expect(rule.Properties.EventPattern).toEqual({
      source: [PLATFORM_EVENT_SOURCE],
      'detail-type': [DRIFT_DETECTED_DETAIL_TYPE],
      detail: { environment: ['dev'], model: ['churn-classifier'] },
    });
    expect(rule.Properties.Targets).toEqual([
      expect.objectContaining({ Arn: { 'Fn::GetAtt': [startTrainingId, 'Arn'] }, RetryPolicy: { MaximumRetryAttempts: 4, MaximumEventAgeInSeconds: 7200 } }),
    ]);
    training.hasResourceProperties('AWS::Lambda::Permission', {
      Action: 'lambda:InvokeFunction',
      Principal: 'events.amazonaws.com',
      FunctionName: { 'Fn::GetAtt': [startTrainingId, 'Arn'] },
      SourceArn: {
        'Fn::GetAtt': [
          Object.keys(training.findResources('AWS::Events::Rule', { Properties: { EventPattern: { 'detail-type': [DRIFT_DETECTED_DETAIL_TYPE] } } }))[0],
          'Arn',
        ],
      },
    });
  });

  test('the pattern matches the event the detector emits for a trained model of this environment, and no other', () => {
    const pattern = rules[0].Properties.EventPattern as Record<string, unknown>;
    expect(matches(pattern, emitted('dev', 'churn-classifier'))).toBe(true);
    expect(matches(pattern, emitted('prod', 'churn-classifier'))).toBe(false);
    expect(matches(pattern, emitted('dev', 'fraud-scorer'))).toBe(false);
  });
});

describe('drift alarm → alert topic (platform stack)', () => {
  test("every drift alarm notifies the operations stack's alert topic, and nothing else", () => {
    const alarms = Object.values(platformTemplate.findResources('AWS::CloudWatch::Alarm', { Properties: { MetricName: 'DriftFeaturesDrifted' } }));
    expect(alarms.map((a) => a.Properties.Dimensions)).toHaveLength(platform.environment.config.models.filter((m) => m.drift).length);
    const topicId = logicalId(platform.operations, platform.operations.alerts.topic);
    for (const alarm of alarms) {
      expect(alarm.Properties.AlarmActions).toHaveLength(1);
      expect(JSON.stringify(alarm.Properties.AlarmActions[0])).toMatch(new RegExp(`Fn::ImportValue.*mlops-dev-operations:ExportsOutputRef${topicId}`));
    }
  });
});
