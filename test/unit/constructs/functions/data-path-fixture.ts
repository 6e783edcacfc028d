import { App, Stack } from 'aws-cdk-lib';
import type { Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { LakehouseStorage } from '../../../../constructs/lakehouse';
import { OperationsAlerts } from '../../../../constructs/operations';
import { fastCdkContext } from '../../../support/cdk-context';

/**
 * A stack (bundling skipped) with a VPC, an imported lakehouse (buckets that know their key) and the environment's
 * alert topic: what a data-path construct needs around it.
 */
export function dataPathFixture() {
  const stack = new Stack(new App({ context: { ...fastCdkContext(), 'aws:cdk:bundling-stacks': [] } }), 'TestStack', {
    env: { account: '123456789012', region: 'us-east-1' },
  });
  const vpc = new ec2.Vpc(stack, 'Vpc', { maxAzs: 2, natGateways: 1 });
  const encryptionKey = new kms.Key(stack, 'LakeKey', { enableKeyRotation: true });
  const bucket = (id: string) => new s3.Bucket(stack, id, { encryption: s3.BucketEncryption.KMS, encryptionKey, enforceSSL: true });
  const lakehouse = LakehouseStorage.fromLakehouseAttributes(stack, 'Lake', {
    bronzeBucket: bucket('Bronze'),
    silverBucket: bucket('Silver'),
    goldBucket: bucket('Gold'),
    encryptionKey,
  });
  const alerts = new OperationsAlerts(stack, 'Alerts');
  return { stack, vpc, lakehouse, alerts };
}

/** The one Lambda function of a template that is not a CDK helper, by its description. */
export function functionByDescription(template: Template, description: RegExp): { id: string; props: Record<string, any> } {
  const functions = template.findResources('AWS::Lambda::Function');
  const match = Object.entries(functions).find(([, f]) => description.test(f.Properties.Description ?? ''));
  if (!match) throw new Error(`no function ${description}`);
  return { id: match[0], props: match[1].Properties };
}

/** The permissions policy of a `PlatformFunction`'s role, as JSON text. */
export function permissionsOf(template: Template, logicalIdPrefix: string): string {
  const entry = Object.entries(template.findResources('AWS::IAM::ManagedPolicy')).find(([id]) => id.startsWith(logicalIdPrefix));
  if (!entry) throw new Error(`no policy ${logicalIdPrefix}`);
  return JSON.stringify(entry[1].Properties.PolicyDocument);
}
