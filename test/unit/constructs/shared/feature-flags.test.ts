import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as cxapi from 'aws-cdk-lib/cx-api';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { LakehouseStorage } from '../../../../constructs/lakehouse';
import { ModelRepository } from '../../../../constructs/model-registry';
import { PlatformNetwork } from '../../../../constructs/network';
import { MissingFeatureFlagError, REQUIRED_FEATURE_FLAGS } from '../../../../constructs/shared/feature-flags';
import { cdkContext } from '../../../support/cdk-context';

/** A stack in an app whose cdk.json sets no feature flag at all (an app created before the flags existed). */
function bareStack(context: Record<string, unknown> = {}): Stack {
  return new Stack(new App({ context: { '@aws-cdk/core:validateAgainstDefaultRules': false, ...context } }), 'Bare', {
    env: { account: '111122223333', region: 'us-east-1' },
  });
}

const requiredOnly = Object.fromEntries(Object.keys(REQUIRED_FEATURE_FLAGS).map((flag) => [flag, true]));

describe('feature flags of this repository', () => {
  test('cdk.json sets every flag aws-cdk-lib recommends, so a synth prints no "feature flags are not configured" notice', () => {
    const recommended = JSON.parse(readFileSync(join(require.resolve('aws-cdk-lib/package.json'), '..', 'recommended-feature-flags.json'), 'utf8'));
    const context = cdkContext();
    expect(Object.keys(recommended).filter((flag) => !(flag in context))).toEqual([]);
  });

  test('cdk.json enables every flag the constructs require', () => {
    for (const flag of Object.keys(REQUIRED_FEATURE_FLAGS)) expect(cdkContext()[flag]).toBe(true);
  });
});

describe('constructs in an app without feature flags', () => {
  test.each([
    ['LakehouseStorage', (stack: Stack) => new LakehouseStorage(stack, 'Lakehouse')],
    ['ModelRepository', (stack: Stack) => new ModelRepository(stack, 'Models')],
  ])('%s fails with one line naming the construct, the missing flag and how to set it', (_name, create) => {
    const attempt = () => create(bareStack());
    expect(attempt).toThrow(MissingFeatureFlagError);
    expect(attempt).toThrow(
      new RegExp(
        `^Bare/\\w+: set the CDK feature flag "${cxapi.S3_SERVER_ACCESS_LOGS_USE_BUCKET_POLICY}": true in your cdk.json "context" \\(.*bucket policy\\)$`,
      ),
    );
  });

  test('LakehouseStorage synthesizes with only the required flags, delivering access logs under a bucket policy', () => {
    const stack = bareStack(requiredOnly);
    new LakehouseStorage(stack, 'Lakehouse');
    const policies = Template.fromStack(stack).findResources('AWS::S3::BucketPolicy');
    const statements = Object.values(policies).flatMap((policy) => policy.Properties.PolicyDocument.Statement);
    expect(statements.some((statement) => statement.Principal?.Service === 'logging.s3.amazonaws.com')).toBe(true);
  });

  test('PlatformNetwork closes the default security group whatever @aws-cdk/aws-ec2:restrictDefaultSecurityGroup says', () => {
    const stack = bareStack();
    new PlatformNetwork(stack, 'Network');
    Template.fromStack(stack).resourceCountIs('Custom::VpcRestrictDefaultSG', 1);
  });
});
