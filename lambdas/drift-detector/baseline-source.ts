import { GetObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { DescribeModelPackageCommand, type SageMakerClient } from '@aws-sdk/client-sagemaker';
import { DRIFT_BASELINE_FILE, parseDriftBaseline, type DriftBaseline } from '../../lib/drift';
import { modelVersionPrefix } from '../../lib/lakehouse';
import { isS3NotFound } from '../shared/s3-objects';

export interface BaselineLocation {
  readonly repositoryBucket: string;
  readonly repositoryPrefix: string;
  /** `arn:<partition>:sagemaker:<region>:<account>:model-package/<group name prefix>`: + `<model>/<version>` is a package. */
  readonly modelPackageArnPrefix: string;
}

export type BaselineLookup =
  { readonly found: true; readonly baseline: DriftBaseline; readonly uri: string } | { readonly found: false; readonly looked: readonly string[] };

/**
 * A model version's baseline: `drift-baseline.json` beside the version in the model repository, else the model
 * package's `DriftCheckBaselines.ModelDataQuality.Statistics` in the registry (where the training pipeline records it).
 * @throws InvalidBaselineError when a baseline exists but is malformed
 */
export async function findBaseline(
  deps: { s3: S3Client; sagemaker: SageMakerClient },
  location: BaselineLocation,
  model: string,
  version: string,
): Promise<BaselineLookup> {
  const repositoryKey = `${modelVersionPrefix(location.repositoryPrefix, model, version)}${DRIFT_BASELINE_FILE}`;
  const repositoryUri = `s3://${location.repositoryBucket}/${repositoryKey}`;
  const fromRepository = await readJson(deps.s3, location.repositoryBucket, repositoryKey);
  if (fromRepository !== undefined) return { found: true, baseline: parseDriftBaseline(fromRepository, repositoryUri), uri: repositoryUri };

  const packageArn = `${location.modelPackageArnPrefix}${model}/${version}`;
  const description = await deps.sagemaker.send(new DescribeModelPackageCommand({ ModelPackageName: packageArn }));
  const registryUri = description.DriftCheckBaselines?.ModelDataQuality?.Statistics?.S3Uri;
  if (registryUri === undefined) return { found: false, looked: [repositoryUri, `${packageArn} DriftCheckBaselines.ModelDataQuality.Statistics`] };
  const match = /^s3:\/\/([^/]+)\/(.+)$/.exec(registryUri);
  const fromRegistry = match === null ? undefined : await readJson(deps.s3, match[1], match[2]);
  if (fromRegistry === undefined) return { found: false, looked: [repositoryUri, registryUri] };
  return { found: true, baseline: parseDriftBaseline(fromRegistry, registryUri), uri: registryUri };
}

async function readJson(s3: S3Client, bucket: string, key: string): Promise<unknown> {
  try {
    const object = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
    return JSON.parse(await object.Body!.transformToString());
  } catch (error) {
    if (isS3NotFound(error)) return undefined;
    throw error;
  }
}
