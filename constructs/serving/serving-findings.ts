import type { CfnResource } from 'aws-cdk-lib';
import type * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import type { IModelRepository } from '../model-registry';
import { acknowledgeFinding, Rule } from '../shared/acknowledge';
import type { ManagedPolicyRole } from '../shared/managed-policy-role';
import { acknowledgeWildcardResource } from '../shared/wildcard-findings';

/** The one wildcard `ModelRepository.grantRead` needs: every object under the repository prefix (GetObject only). */
export function acknowledgeModelRepositoryRead(role: ManagedPolicyRole, modelRepository: IModelRepository): void {
  acknowledgeWildcardResource(
    role,
    modelRepository.bucket.arnForObjects(`${modelRepository.prefix}*`),
    'Serving reads every version of the models under the repository prefix, whose keys ({model}/{version}/model.onnx) are ' +
      'created by promotion after deployment; the statement allows only object reads, on that prefix of one bucket.',
  );
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
