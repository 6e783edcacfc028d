import { Duration, type CfnResource } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import type * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as cloudwatchActions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as sns from 'aws-cdk-lib/aws-sns';
import { isPlatformAcknowledgment, Rule } from '../../../../constructs/shared/acknowledge';
import { buildFargateServing, servingFixture } from './fixtures/serving-fixture';

const build = buildFargateServing;

const targetGroupDimension = { Name: 'TargetGroup', Value: { 'Fn::GetAtt': [Match.stringLikeRegexp('ServingGroup'), 'TargetGroupFullName'] } };
const loadBalancerDimension = { Name: 'LoadBalancer', Value: Match.objectLike({ 'Fn::Join': Match.anyValue() }) };

/** One summed per-minute ALB metric of the target group, as a math expression input. */
function albSumInput(id: string, metricName: string) {
  return Match.objectLike({
    Id: id,
    MetricStat: {
      Metric: { MetricName: metricName, Namespace: 'AWS/ApplicationELB', Dimensions: [loadBalancerDimension, targetGroupDimension] },
      Period: 60,
      Stat: 'Sum',
    },
    ReturnData: false,
  });
}

function alarmActionsOf(template: Template, alarm: cloudwatch.Alarm): unknown {
  const logicalId = alarm.stack.getLogicalId(alarm.node.defaultChild as CfnResource);
  return template.toJSON().Resources[logicalId].Properties.AlarmActions;
}

describe('FargateServing rollback alarms, defaults', () => {
  const { stack, serving } = build();
  // Template.fromStack also fails on a dependency cycle, which alarms on the service's own metrics would create.
  const template = Template.fromStack(stack);
  const logicalIdOf = (alarm: cloudwatch.Alarm) => stack.getLogicalId(alarm.node.defaultChild as CfnResource);
  const alarmNameOf = (alarm: cloudwatch.Alarm) => {
    const name = template.toJSON().Resources[logicalIdOf(alarm)].Properties.AlarmName;
    expect(name).toMatch(/^TestStack-Serving-[0-9A-F]{8}-(error-rate|p99-latency)$/);
    return name;
  };

  test('error rate: 5XX answers of the tasks over all requests of the target group, above 1% for two one-minute periods', () => {
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Metrics: [
        Match.objectLike({ Expression: '100 * errors / MAX([requests, 1])', ReturnData: true }),
        albSumInput('errors', 'HTTPCode_Target_5XX_Count'),
        albSumInput('requests', 'RequestCount'),
      ],
      Threshold: 1,
      ComparisonOperator: 'GreaterThanThreshold',
      EvaluationPeriods: 2,
      TreatMissingData: 'notBreaching',
    });
    // The load balancer dimension is the full name (app/<name>/<id>) cut from the listener's ARN.
    expect(JSON.stringify(template.toJSON().Resources[logicalIdOf(serving.errorRateAlarm)].Properties.Metrics[1])).toContain('LoadBalancerHttp');
  });

  test('latency: p99 TargetResponseTime above the 1 s default, in seconds (the unit of the metric)', () => {
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: 'AWS/ApplicationELB',
      MetricName: 'TargetResponseTime',
      Dimensions: [loadBalancerDimension, targetGroupDimension],
      ExtendedStatistic: 'p99',
      Period: 60,
      Threshold: 1,
      ComparisonOperator: 'GreaterThanThreshold',
      EvaluationPeriods: 2,
      TreatMissingData: 'notBreaching',
    });
    template.resourceCountIs('AWS::CloudWatch::Alarm', 2);
  });

  test('both alarms roll back an ECS deployment, beside the circuit breaker, under the default (ECS) deployment controller', () => {
    template.hasResourceProperties('AWS::ECS::Service', {
      DeploymentConfiguration: Match.objectLike({
        // Physical names, not Refs: the service can name its alarms without depending on them.
        Alarms: { Enable: true, Rollback: true, AlarmNames: [alarmNameOf(serving.errorRateAlarm), alarmNameOf(serving.latencyAlarm)] },
        DeploymentCircuitBreaker: { Enable: true, Rollback: true },
      }),
    });
    // Deployment alarms only work with the ECS (rolling update) controller: no other controller is set.
    const service = Object.values(template.findResources('AWS::ECS::Service'))[0];
    expect(service.Properties.DeploymentController ?? { Type: 'ECS' }).toEqual({ Type: 'ECS' });
  });

  test('the load balancer idle timeout the latency objective must stay below is set explicitly', () => {
    const lb = Object.values(template.findResources('AWS::ElasticLoadBalancingV2::LoadBalancer'))[0];
    expect(lb.Properties.LoadBalancerAttributes).toEqual(expect.arrayContaining([{ Key: 'idle_timeout.timeout_seconds', Value: '60' }]));
  });

  test('without an alarm action: no actions, and each alarm acknowledges the two alarm-action findings', () => {
    for (const alarm of [serving.errorRateAlarm, serving.latencyAlarm]) {
      expect(alarmActionsOf(template, alarm)).toBeUndefined();
      const cfnAlarm = alarm.node.defaultChild as CfnResource;
      expect(isPlatformAcknowledgment(cfnAlarm, Rule.alarmActionNist)).toBe(true);
      expect(isPlatformAcknowledgment(cfnAlarm, Rule.alarmActionGuard)).toBe(true);
    }
  });
});

describe('FargateServing rollback alarms, custom props', () => {
  test('latency objective in seconds, error-rate threshold, and an alarm action on both alarms instead of acknowledgments', () => {
    const fixture = servingFixture();
    const topic = new sns.Topic(fixture.stack, 'Alerts');
    const { serving } = build(
      { latencyObjective: Duration.millis(250), errorRateThresholdPercent: 5, alarmAction: new cloudwatchActions.SnsAction(topic) },
      fixture,
    );
    const template = Template.fromStack(fixture.stack);
    template.hasResourceProperties('AWS::CloudWatch::Alarm', { MetricName: 'TargetResponseTime', Threshold: 0.25 });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', { Metrics: Match.anyValue(), Threshold: 5 });
    const topicRef = { Ref: fixture.stack.getLogicalId(topic.node.defaultChild as CfnResource) };
    for (const alarm of [serving.errorRateAlarm, serving.latencyAlarm]) {
      expect(alarmActionsOf(template, alarm)).toEqual([topicRef]);
      expect(isPlatformAcknowledgment(alarm.node.defaultChild as CfnResource, Rule.alarmActionNist)).toBe(false);
      expect(isPlatformAcknowledgment(alarm.node.defaultChild as CfnResource, Rule.alarmActionGuard)).toBe(false);
    }
  });
});

describe('FargateServing rollback alarm validation', () => {
  test('a latency objective of zero, or not below the load balancer idle timeout', () => {
    expect(() => build({ latencyObjective: Duration.millis(0) })).toThrow(
      /FargateServing: invalid latencyObjective = "0 ms"; above 0 and below the load balancer idle timeout \(60000 ms\)/,
    );
    expect(() => build({ latencyObjective: Duration.seconds(60) })).toThrow(/invalid latencyObjective = "60000 ms"/);
    expect(() => build({ latencyObjective: Duration.millis(59_999) })).not.toThrow();
  });

  test('an error-rate threshold that is not a percentage above 0', () => {
    for (const value of [0, -1, 100.5, Number.NaN]) {
      expect(() => build({ errorRateThresholdPercent: value })).toThrow(
        new RegExp(`FargateServing: invalid errorRateThresholdPercent = ${JSON.stringify(value)}; a percentage above 0 and at most 100`),
      );
    }
    expect(() => build({ errorRateThresholdPercent: 100 })).not.toThrow();
  });
});
