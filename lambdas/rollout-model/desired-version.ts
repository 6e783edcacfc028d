import type { S3Client } from '@aws-sdk/client-s3';
import { paginateListModelPackages, type SageMakerClient } from '@aws-sdk/client-sagemaker';
import { headObjectOrUndefined } from '../shared/s3-objects';
import { MODEL_FILE, versionKey, type RepositoryLocation } from '../promote-model/repository';
import { NotPromotedYetError } from './errors';

export interface DesiredVersionDeps {
  readonly sagemaker: SageMakerClient;
  readonly s3: S3Client;
  readonly repository: RepositoryLocation;
}

/**
 * The version a model should serve: the highest `Approved` version of its model package group that promotion has
 * written to the repository. A package set back to Rejected or PendingManualApproval drops out, so the previous
 * approved version becomes the desired one. `undefined` when no approved version is in the repository.
 * `mustInclude`: the version the triggering event approved; when it is the highest approved but not written yet,
 * NotPromotedYetError asks for a retry instead of settling on an older version. `excluded`: versions never to serve
 * again (an EKS rollout rolled them back on their error-rate or latency signals).
 */
export async function desiredVersion(
  deps: DesiredVersionDeps,
  model: string,
  group: string,
  mustInclude?: number,
  excluded: readonly number[] = [],
): Promise<number | undefined> {
  const approved: number[] = [];
  for await (const page of paginateListModelPackages(
    { client: deps.sagemaker },
    { ModelPackageGroupName: group, ModelApprovalStatus: 'Approved', SortBy: 'CreationTime', SortOrder: 'Descending' },
  )) {
    for (const summary of page.ModelPackageSummaryList ?? []) {
      if (summary.ModelPackageVersion !== undefined) approved.push(summary.ModelPackageVersion);
    }
  }
  approved.sort((a, b) => b - a);
  for (const version of approved) {
    if (excluded.includes(version)) continue;
    const present = await headObjectOrUndefined(deps.s3, deps.repository.bucket, versionKey(deps.repository, model, version, MODEL_FILE));
    if (present !== undefined) return version;
    if (version === mustInclude) throw new NotPromotedYetError(model, version);
  }
  return undefined;
}
