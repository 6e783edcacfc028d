import { PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import type { ServablePackage } from './check-package';
import { DEFAULT_CONFIG } from './package-config';
import { CONFIG_FILE, METADATA_PACKAGE_ARN, METADATA_PACKAGE_VERSION, METADATA_SOURCE_ETAG, versionKey, type RepositoryLocation } from './repository';

/** Where one promotion writes: the repository, the version's model.onnx key, and the checked source object's ETag. */
export interface VersionTarget {
  readonly s3: S3Client;
  readonly repository: RepositoryLocation;
  readonly servable: ServablePackage;
  readonly modelKey: string;
  readonly sourceEtag: string;
}

export type ConfigSource = 'package' | 'default';

/** Writes the version's config.json: always before its model.onnx, which is what makes a version visible to serving. */
export async function putVersionConfig({ s3, repository, servable }: VersionTarget, packaged: string | undefined): Promise<ConfigSource> {
  await s3.send(
    new PutObjectCommand({
      Bucket: repository.bucket,
      Key: versionKey(repository, servable.model, servable.version, CONFIG_FILE),
      Body: packaged ?? DEFAULT_CONFIG,
      ContentType: 'application/json',
    }),
  );
  return packaged === undefined ? 'default' : 'package';
}

/** Provenance on model.onnx; promote.ts compares it to decide whether a repeated event is a duplicate. */
export function modelMetadata({ servable, sourceEtag }: VersionTarget): Record<string, string> {
  return {
    [METADATA_PACKAGE_ARN]: servable.modelPackageArn,
    [METADATA_PACKAGE_VERSION]: String(servable.version),
    [METADATA_SOURCE_ETAG]: sourceEtag,
  };
}
