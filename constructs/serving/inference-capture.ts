import { Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import { inferenceCapturePrefix, keysUnder } from '../../lib/lakehouse';
import { CAPTURE_ENV } from '../../serving/src/capture/capture-settings';
import { InvalidPropError } from '../shared/prop-validation';
import type { ManagedPolicyRole } from '../shared/managed-policy-role';
import { acknowledgeWildcardResource } from '../shared/wildcard-findings';

/**
 * Where and how much of a model's traffic the serving container captures (inputs and outputs, gzip JSON Lines under
 * silver `inference-capture/<model>/<version>/dt=<date>/`), for the drift detector. Every target takes it.
 */
export interface InferenceCaptureOptions {
  /** The lakehouse silver bucket (`ILakehouse.silverBucket`). */
  readonly bucket: s3.IBucket;
  /** The key the bucket encrypts new objects with (`ILakehouse.encryptionKey`); the container only needs GenerateDataKey through S3. */
  readonly encryptionKey: kms.IKey;
  /** Fraction of requests captured, 0 (off: no variables, no grant) to 1 (every request): `models[].drift.captureSampleFraction`. */
  readonly sampleFraction: number;
}

/** S3's single-part PutObject under SSE-KMS needs GenerateDataKey only (Decrypt is for multipart uploads, which capture never makes). */
const CAPTURE_OBJECT_ACTIONS = ['s3:PutObject'];
const CAPTURE_KEY_ACTIONS = ['kms:GenerateDataKey'];

/** Whether capture is on (a fraction above 0); throws naming the construct and the value when the fraction is not in [0, 1]. */
export function captureEnabled(construct: string, capture: InferenceCaptureOptions | undefined): capture is InferenceCaptureOptions {
  if (capture === undefined) return false;
  const fraction = capture.sampleFraction;
  if (!Number.isFinite(fraction) || fraction < 0 || fraction > 1) {
    throw new InvalidPropError(construct, 'capture.sampleFraction', fraction, 'a fraction from 0 (capture off) to 1 (every request)');
  }
  return fraction > 0;
}

/** The container variables that turn capture on for exactly this model (`CAPTURE_ENV` is what the container reads). */
export function captureEnvironment(modelName: string, capture: InferenceCaptureOptions): Record<string, string> {
  return {
    [CAPTURE_ENV.sampleFraction]: `${modelName}=${capture.sampleFraction}`,
    [CAPTURE_ENV.destination]: captureDestination(capture.bucket),
  };
}

/** `s3://<bucket>`: the container adds `inference-capture/<model>/…` itself. */
export function captureDestination(bucket: s3.IBucket): string {
  return `s3://${bucket.bucketName}`;
}

/**
 * Lets `role` write this model's capture and nothing else: PutObject on silver `inference-capture/<model>/*` (the
 * layout's prefix) and GenerateDataKey on the lakehouse key only when S3 asks for it on the role's behalf.
 */
export function grantCaptureWrite(role: ManagedPolicyRole, modelName: string, capture: InferenceCaptureOptions): iam.Grant {
  const objects = capture.bucket.arnForObjects(keysUnder(inferenceCapturePrefix(modelName)));
  const grant = iam.Grant.addToPrincipal({ grantee: role, actions: CAPTURE_OBJECT_ACTIONS, resourceArns: [objects] });
  // Only through S3 in this region: the role cannot use the key to encrypt anything itself.
  const viaS3 = `s3.${Stack.of(role).region}.amazonaws.com`;
  role.addToPrincipalPolicy(
    new iam.PolicyStatement({
      actions: CAPTURE_KEY_ACTIONS,
      resources: [capture.encryptionKey.keyArn],
      conditions: { StringEquals: { 'kms:ViaService': viaS3 } },
    }),
  );
  acknowledgeWildcardResource(
    role,
    objects,
    `Capture files are named by model version, date and writer at run time (inference-capture/${modelName}/<version>/dt=<date>/<file>); ` +
      "the statement allows only PutObject, under this one model's capture prefix of the silver bucket.",
  );
  return grant;
}
