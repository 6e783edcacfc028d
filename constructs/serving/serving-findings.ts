import type { CfnResource } from 'aws-cdk-lib';
import type * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import type { IModelRepository } from '../model-registry';
import { acknowledgeFinding, Rule } from '../shared/acknowledge';
import { acknowledgeWildcardAction, acknowledgeWildcardResource } from './wildcard-findings';

/** The wildcards `ModelRepository.grantRead` needs: every object under the repository prefix, read-only actions. */
export function acknowledgeModelRepositoryRead(policy: CfnResource, modelRepository: IModelRepository): void {
  const reason =
    'Serving reads every version of the models under the repository prefix, whose keys ({model}/{version}/model.onnx) are ' +
    'created by promotion after deployment; access is read-only and limited to that prefix of one bucket.';
  acknowledgeWildcardResource(policy, modelRepository.bucket.arnForObjects(`${modelRepository.prefix}*`), reason);
  for (const action of ['s3:GetObject*', 's3:GetBucket*', 's3:List*']) {
    acknowledgeWildcardAction(
      policy,
      action,
      `${action} is the read-only action group of ModelRepository.grantRead (CDK's bucket read grant: object reads with their versions ` +
        'and tags, bucket location and listing); it applies only to the model repository bucket and prefix.',
    );
  }
}

/** Rollback alarms without notification: CodeDeploy or the operator reads their state. */
export function acknowledgeAlarmWithoutAction(alarm: cloudwatch.Alarm, consumer: string): void {
  const reason =
    `This alarm exists for ${consumer}, which polls its state; notifications are routed by the monitoring layer, ` +
    'which passes an alarmAction to the serving construct.';
  const cfnAlarm = alarm.node.defaultChild as CfnResource;
  acknowledgeFinding(cfnAlarm, Rule.alarmActionNist, reason);
  acknowledgeFinding(cfnAlarm, Rule.alarmActionGuard, reason);
}
