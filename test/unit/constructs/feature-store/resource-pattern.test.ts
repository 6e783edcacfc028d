/**
 * The feature store's resource pattern (docs/resource-pattern.md): a group or a whole store another team owns is
 * imported by name and grants like a created one; every grant returns one `iam.Grant` that holds the online-store key
 * statement as well. No synth: grants are read from the construct tree.
 */
import { App, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import { FeatureGroup, FeatureStore } from '../../../../constructs/feature-store';
import { LakehouseStorage } from '../../../../constructs/lakehouse';
import { CHURN } from './churn-features';
import { fastCdkContext } from '../../../support/cdk-context';

const KEY_ARN = 'arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab';

function consumer() {
  const stack = new Stack(new App({ context: fastCdkContext() }), 'Consumer', { env: { account: '111122223333', region: 'us-east-1' } });
  const role = new iam.Role(stack, 'Role', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
  const statementsOf = (grant: iam.Grant) =>
    grant.principalStatements.map((statement) => stack.resolve(statement.toStatementJson()) as { Action: unknown; Resource: unknown });
  return { stack, role, statementsOf };
}

test('FeatureGroup.fromFeatureGroupAttributes: grantRead/grantWrite return one grant with the group and its online-store key', () => {
  const { stack, role, statementsOf } = consumer();
  const group = FeatureGroup.fromFeatureGroupAttributes(stack, 'Churn', {
    featureGroupName: 'prod-churn',
    onlineStoreKey: kms.Key.fromKeyArn(stack, 'Key', KEY_ARN),
  });
  const groupArn = 'arn:aws:sagemaker:us-east-1:111122223333:feature-group/prod-churn';
  expect(group.featureGroupArn).toBe(groupArn);
  const write = group.grantWrite(role);
  const read = group.grantRead(role);
  for (const grant of [write, read]) expect(grant.success).toBe(true);
  expect(statementsOf(write)).toEqual([
    { Effect: 'Allow', Action: 'sagemaker:PutRecord', Resource: groupArn },
    { Effect: 'Allow', Action: 'kms:Decrypt', Resource: KEY_ARN },
  ]);
  expect(statementsOf(read)[0]).toEqual({ Effect: 'Allow', Action: ['sagemaker:GetRecord', 'sagemaker:BatchGetRecord'], Resource: groupArn });
});

test('an imported group without a key (AWS-owned) grants the group alone', () => {
  const { stack, role, statementsOf } = consumer();
  const group = FeatureGroup.fromFeatureGroupAttributes(stack, 'Churn', { featureGroupName: 'prod-churn' });
  expect(statementsOf(group.grantWrite(role)).map((statement) => statement.Action)).toEqual(['sagemaker:PutRecord']);
});

test('FeatureStore.fromFeatureStoreAttributes: the same physical definitions and grants as the store that created the groups', () => {
  const { stack, role } = consumer();
  const lakehouse = new LakehouseStorage(stack, 'Lake');
  const created = new FeatureStore(stack, 'Created', { featureGroups: [CHURN], lakehouse, goldDatabaseName: 'gold', groupNamePrefix: 'prod-' });
  const imported = FeatureStore.fromFeatureStoreAttributes(stack, 'Imported', {
    featureGroups: [CHURN],
    lakehouse,
    groupNamePrefix: 'prod-',
    onlineStoreKey: created.onlineStoreKey,
  });
  expect(imported.physicalDefinitions()).toEqual(created.physicalDefinitions());
  expect(imported.offlineStorePrefix).toBe(created.offlineStorePrefix);
  const actions = (grant: iam.Grant) => grant.principalStatements.flatMap((statement) => statement.actions);
  expect(actions(imported.grantWriteAll(role))).toEqual(actions(created.grantWriteAll(role)));
  expect(actions(imported.grantOfflineWrite(role))).toEqual(actions(created.grantOfflineWrite(role)));
  expect(actions(created.grantOfflineWrite(role))).toEqual([
    'sagemaker:DescribeFeatureGroup',
    'kms:GenerateDataKey',
    'kms:Decrypt',
    's3:PutObject',
    's3:AbortMultipartUpload',
  ]);
});

test('FeatureStore.fromFeatureStoreAttributes refuses two definitions with one name', () => {
  const { stack } = consumer();
  const lakehouse = new LakehouseStorage(stack, 'Lake');
  expect(() => FeatureStore.fromFeatureStoreAttributes(stack, 'Twice', { featureGroups: [CHURN, CHURN], lakehouse })).toThrow(
    /FeatureStore: invalid featureGroups = "customer-churn-features"; feature group names must be unique/,
  );
});
