/**
 * The lakehouse's resource pattern (docs/resource-pattern.md): a lake another team owns, imported from its buckets and
 * key, grants like a created one: every grant comes back as one successful `iam.Grant`, and the grantee's policy holds
 * the key statement too (an imported bucket does not know its key, so the lakehouse adds it; CDK's grants on an
 * imported key do not list their statement in the returned grant, so the policy is read). No synth.
 */
import { App, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { LakehouseStorage } from '../../../../constructs/lakehouse';
import { fastCdkContext } from '../../../support/cdk-context';

const KEY_ARN = 'arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab';

describe('an imported lakehouse grants with its key', () => {
  const stack = new Stack(new App({ context: fastCdkContext() }), 'Consumer');
  const lake = LakehouseStorage.fromLakehouseAttributes(stack, 'Lake', {
    bronzeBucket: s3.Bucket.fromBucketName(stack, 'Bronze', 'corp-bronze'),
    silverBucket: s3.Bucket.fromBucketName(stack, 'Silver', 'corp-silver'),
    goldBucket: s3.Bucket.fromBucketName(stack, 'Gold', 'corp-gold'),
    encryptionKey: kms.Key.fromKeyArn(stack, 'Key', KEY_ARN),
  });
  const roleFor = (id: string) => new iam.Role(stack, id, { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
  const role = roleFor('Role');
  const policyOf = (grantee: iam.Role) =>
    (
      stack.resolve((grantee.node.findChild('DefaultPolicy') as iam.Policy).document.toJSON()) as {
        Statement: Array<{ Action: string | string[]; Resource: unknown }>;
      }
    ).Statement;
  const statementsOf = (grant: iam.Grant) =>
    grant.principalStatements.map((statement) => stack.resolve(statement.toStatementJson()) as { Action: string[]; Resource: unknown });

  test.each([
    ['grantRead', (grantee: iam.Role) => lake.grantRead('silver', grantee, 'datasets/*'), ['kms:Decrypt'], 's3:GetObject*'],
    ['grantWrite', (grantee: iam.Role) => lake.grantWrite('gold', grantee), ['kms:Encrypt', 'kms:ReEncrypt*', 'kms:GenerateDataKey*'], 's3:PutObject'],
    [
      'grantReadWrite',
      (grantee: iam.Role) => lake.grantReadWrite('bronze', grantee),
      ['kms:Decrypt', 'kms:Encrypt', 'kms:ReEncrypt*', 'kms:GenerateDataKey*'],
      's3:GetObject*',
    ],
  ])('%s returns one successful iam.Grant with the bucket statement; the key statement lands beside it', (name, grantOn, keyActions, objectAction) => {
    const grantee = roleFor(`${name}Role`);
    const grant = grantOn(grantee);
    expect(grant).toBeInstanceOf(iam.Grant);
    expect(grant.success).toBe(true);
    expect(statementsOf(grant).flatMap((statement) => statement.Action)).toContain(objectAction);
    const keyStatement = policyOf(grantee).find((statement) => statement.Resource === KEY_ARN);
    expect([keyStatement?.Action].flat()).toEqual(keyActions);
  });

  test('the object pattern scopes the bucket statement', () => {
    const resources = JSON.stringify(statementsOf(lake.grantRead('silver', role, 'datasets/*')).map((statement) => statement.Resource));
    expect(resources).toContain('corp-silver/datasets/*');
  });
});
