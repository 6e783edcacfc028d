import { App, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { OperationsAlerts } from '../../../../constructs/operations';
import { fastCdkContext } from '../../../support/cdk-context';

const ENV = { account: '123456789012', region: 'eu-west-1' };

describe('OperationsAlerts.watchStateMachine', () => {
  const app = new App({ context: fastCdkContext() });
  const ops = new Stack(app, 'Ops', { env: ENV });
  const alerts = new OperationsAlerts(ops, 'Alerts');
  const work = new Stack(app, 'Work', { env: ENV });
  const machine = new sfn.StateMachine(work, 'Training', { definitionBody: sfn.DefinitionBody.fromChainable(new sfn.Pass(work, 'Nothing')) });
  const alarms = alerts.watchStateMachine(machine, 'Training of churn-classifier');
  const template = Template.fromStack(work);

  test('raises an alarm on any failed and any timed-out execution, beside the state machine, notifying the topic', () => {
    expect(alarms).toHaveLength(2);
    for (const metric of ['ExecutionsFailed', 'ExecutionsTimedOut']) {
      template.hasResourceProperties('AWS::CloudWatch::Alarm', {
        Namespace: 'AWS/States',
        MetricName: metric,
        Dimensions: [{ Name: 'StateMachineArn', Value: { Ref: Match.stringLikeRegexp('^Training') } }],
        Statistic: 'Sum',
        Period: 300,
        Threshold: 1,
        ComparisonOperator: 'GreaterThanOrEqualToThreshold',
        EvaluationPeriods: 1,
        TreatMissingData: 'notBreaching',
        AlarmActions: [{ 'Fn::ImportValue': Match.stringLikeRegexp('AlertsTopic') }],
      });
    }
    expect(alerts.alarms).toEqual(alarms);
  });

  test('each state machine is watched once', () => {
    expect(() => alerts.watchStateMachine(machine, 'again')).toThrow(
      /OperationsAlerts: invalid watched = "Work\/Training"; a resource without a ExecutionsFailedAlarm yet/,
    );
  });
});
