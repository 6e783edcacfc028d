import type { S3Client } from '@aws-sdk/client-s3';
import { DescribeModelPackageCommand, type SageMakerClient } from '@aws-sdk/client-sagemaker';
import { FALLBACK_ARCHIVE_LIMITS, type ArchiveLimits } from '../../lib/config/promotion';
import type { Gate } from '../../lib/training';
import { headObjectOrUndefined } from '../shared/s3-objects';
import type { ApprovalEvent } from './approval-event';
import { checkModelPackage, type ArtifactFormat } from './check-package';
import { promoteOnnxObject } from './copy-onnx';
import { checkEvaluationGate } from './evaluation-check';
import { ArtifactConflictError, PackageRejectedError } from './errors';
import { METADATA_PACKAGE_ARN, METADATA_SOURCE_ETAG, MODEL_FILE, versionKey, type RepositoryLocation } from './repository';
import { promoteArchive } from './unpack-archive';
import type { ConfigSource, VersionTarget } from './version-writes';

export interface PromoteDeps {
  readonly sagemaker: SageMakerClient;
  readonly s3: S3Client;
  readonly repository: RepositoryLocation;
  /** Model package group → model name (MODEL_PACKAGE_GROUPS). */
  readonly modelPackageGroups: ReadonlyMap<string, string>;
  /** Model name → what its package may expand to (PROMOTION_ARCHIVE_LIMITS); models not listed get the default. */
  readonly archiveLimits?: ReadonlyMap<string, ArchiveLimits>;
  /** Model name → evaluation gate (EVALUATION_GATES); a model without one is not gated. */
  readonly evaluationGates?: ReadonlyMap<string, Gate>;
}

export type PromotionOutcome =
  | {
      readonly kind: 'promoted';
      readonly model: string;
      readonly version: number;
      readonly modelKey: string;
      readonly artifactFormat: ArtifactFormat;
      readonly configSource: ConfigSource;
      /** Archives only: the model's path inside the archive, and the entries that were neither it nor its config.json. */
      readonly archiveModelPath?: string;
      readonly skippedEntries?: number;
    }
  | { readonly kind: 'already-promoted'; readonly model: string; readonly version: number; readonly modelKey: string }
  | { readonly kind: 'not-approved'; readonly approvalStatus: string };

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

  const check = checkModelPackage(description, deps.modelPackageGroups);
  if (!check.ok) throw new PackageRejectedError(event.detail.ModelPackageArn, check.reasons);
  const { servable } = check;
  const gateProblems = await checkEvaluationGate(deps.s3, servable.model, servable.evaluationReportUri, deps.evaluationGates ?? new Map());
  if (gateProblems.length > 0) throw new PackageRejectedError(servable.modelPackageArn, gateProblems);

  const source = await headObjectOrUndefined(deps.s3, servable.artifact.bucket, servable.artifact.key);
  if (source?.ETag === undefined) {
    const what = servable.artifactFormat === 'onnx' ? 'ONNX artifact' : 'model archive';
    throw new PackageRejectedError(servable.modelPackageArn, [`the ${what} s3://${servable.artifact.bucket}/${servable.artifact.key} does not exist`]);
  }

  const modelKey = versionKey(deps.repository, servable.model, servable.version, MODEL_FILE);
  const existing = await headObjectOrUndefined(deps.s3, deps.repository.bucket, modelKey);
  if (existing !== undefined) {
    const existingArn = existing.Metadata?.[METADATA_PACKAGE_ARN];
    const existingEtag = existing.Metadata?.[METADATA_SOURCE_ETAG];
    if (existingArn === servable.modelPackageArn && existingEtag === source.ETag) {
      return { kind: 'already-promoted', model: servable.model, version: servable.version, modelKey };
    }
    throw new ArtifactConflictError(servable.modelPackageArn, modelKey, { modelPackageArn: existingArn, sourceEtag: existingEtag });
  }

  const limits = deps.archiveLimits?.get(servable.model) ?? FALLBACK_ARCHIVE_LIMITS;
  if (servable.artifactFormat === 'onnx' && (source.ContentLength ?? 0) > limits.maxModelBytes) {
    throw new PackageRejectedError(servable.modelPackageArn, [
      `the ONNX artifact s3://${servable.artifact.bucket}/${servable.artifact.key} is ${source.ContentLength} bytes, over ${limits.maxModelBytes} bytes (maxModelBytes)`,
    ]);
  }
  const target: VersionTarget = { s3: deps.s3, repository: deps.repository, servable, modelKey, sourceEtag: source.ETag };
  const written = servable.artifactFormat === 'onnx' ? await promoteOnnxObject(target) : await promoteArchive(target, limits);
  return { kind: 'promoted', model: servable.model, version: servable.version, modelKey, artifactFormat: servable.artifactFormat, ...written };
}
