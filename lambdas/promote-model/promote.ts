import { CopyObjectCommand, GetObjectCommand, HeadObjectCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { DescribeModelPackageCommand, type SageMakerClient } from '@aws-sdk/client-sagemaker';
import type { ApprovalEvent } from './approval-event';
import { checkModelPackage, type ServablePackage } from './check-package';
import { ArtifactConflictError, PackageRejectedError } from './errors';
import {
  CONFIG_FILE,
  METADATA_PACKAGE_ARN,
  METADATA_PACKAGE_VERSION,
  METADATA_SOURCE_ETAG,
  MODEL_FILE,
  versionKey,
  type RepositoryLocation,
} from './repository';
import { copySource, type S3Location } from './s3-uri';

export interface PromoteDeps {
  readonly sagemaker: SageMakerClient;
  readonly s3: S3Client;
  readonly repository: RepositoryLocation;
}

export type PromotionOutcome =
  | { readonly kind: 'promoted'; readonly model: string; readonly version: number; readonly modelKey: string; readonly configSource: 'package' | 'default' }
  | { readonly kind: 'already-promoted'; readonly model: string; readonly version: number; readonly modelKey: string }
  | { readonly kind: 'not-approved'; readonly approvalStatus: string };

function isNotFound(error: unknown): boolean {
  const { name, $metadata } = error as { name?: string; $metadata?: { httpStatusCode?: number } };
  return name === 'NotFound' || name === 'NoSuchKey' || $metadata?.httpStatusCode === 404;
}

async function headOrUndefined(s3: S3Client, { bucket, key }: S3Location) {
  try {
    return await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: key }));
  } catch (error) {
    if (isNotFound(error)) return undefined;
    throw error;
  }
}

/** The config.json the training pipeline put beside the artifact, if any; it must be a JSON object. */
async function packagedConfig(deps: PromoteDeps, servable: ServablePackage): Promise<string | undefined> {
  const key = servable.artifact.key.includes('/') ? `${servable.artifact.key.slice(0, servable.artifact.key.lastIndexOf('/') + 1)}${CONFIG_FILE}` : CONFIG_FILE;
  let text: string;
  try {
    const object = await deps.s3.send(new GetObjectCommand({ Bucket: servable.artifact.bucket, Key: key }));
    text = await object.Body!.transformToString();
  } catch (error) {
    if (isNotFound(error)) return undefined;
    throw error;
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new PackageRejectedError(servable.modelPackageArn, [`s3://${servable.artifact.bucket}/${key} is not valid JSON: ${(error as Error).message}`]);
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new PackageRejectedError(servable.modelPackageArn, [`s3://${servable.artifact.bucket}/${key} must hold a JSON object`]);
  }
  return text;
}

/**
 * Promotes an approved model package into the serving repository:
 * re-reads the package (the event may be stale), checks it, then writes `config.json` and, last, `model.onnx`
 * — the serving poller picks a version up when its model.onnx appears, so it never sees a model without its config.
 * Idempotent: model.onnx carries the package ARN and source ETag as metadata; a second event for the same
 * package and artifact changes nothing, and a different artifact for an existing version is refused.
 */
export async function promoteModelPackage(deps: PromoteDeps, event: ApprovalEvent): Promise<PromotionOutcome> {
  const description = await deps.sagemaker.send(new DescribeModelPackageCommand({ ModelPackageName: event.detail.ModelPackageArn }));
  if (description.ModelApprovalStatus !== 'Approved') return { kind: 'not-approved', approvalStatus: description.ModelApprovalStatus ?? 'unknown' };

  const check = checkModelPackage(description);
  if (!check.ok) throw new PackageRejectedError(event.detail.ModelPackageArn, check.reasons);
  const { servable } = check;

  const source = await headOrUndefined(deps.s3, servable.artifact);
  if (source?.ETag === undefined) {
    throw new PackageRejectedError(servable.modelPackageArn, [`the ONNX artifact s3://${servable.artifact.bucket}/${servable.artifact.key} does not exist`]);
  }

  const modelKey = versionKey(deps.repository, servable.model, servable.version, MODEL_FILE);
  const existing = await headOrUndefined(deps.s3, { bucket: deps.repository.bucket, key: modelKey });
  if (existing !== undefined) {
    const existingArn = existing.Metadata?.[METADATA_PACKAGE_ARN];
    const existingEtag = existing.Metadata?.[METADATA_SOURCE_ETAG];
    if (existingArn === servable.modelPackageArn && existingEtag === source.ETag) {
      return { kind: 'already-promoted', model: servable.model, version: servable.version, modelKey };
    }
    throw new ArtifactConflictError(servable.modelPackageArn, modelKey, { modelPackageArn: existingArn, sourceEtag: existingEtag });
  }

  const config = await packagedConfig(deps, servable);
  await deps.s3.send(
    new PutObjectCommand({
      Bucket: deps.repository.bucket,
      Key: versionKey(deps.repository, servable.model, servable.version, CONFIG_FILE),
      // Without a packaged config the serving defaults apply: its config.json schema makes every key optional.
      Body: config ?? '{}\n',
      ContentType: 'application/json',
    }),
  );
  await deps.s3.send(
    new CopyObjectCommand({
      Bucket: deps.repository.bucket,
      Key: modelKey,
      CopySource: copySource(servable.artifact),
      // Copy exactly the object that was checked, even if the source key is overwritten meanwhile.
      CopySourceIfMatch: source.ETag,
      MetadataDirective: 'REPLACE',
      ContentType: 'application/octet-stream',
      Metadata: {
        [METADATA_PACKAGE_ARN]: servable.modelPackageArn,
        [METADATA_PACKAGE_VERSION]: String(servable.version),
        [METADATA_SOURCE_ETAG]: source.ETag,
      },
    }),
  );
  return { kind: 'promoted', model: servable.model, version: servable.version, modelKey, configSource: config === undefined ? 'default' : 'package' };
}
