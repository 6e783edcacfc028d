import { PassThrough, Readable } from 'node:stream';
import type { ArchiveLimits } from '../../lib/config/promotion';
import { GetObjectCommand } from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { PackageRejectedError } from './errors';
import { scanModelArchive } from './scan-archive';
import { modelMetadata, putVersionConfig, type ConfigSource, type VersionTarget } from './version-writes';

export interface ArchivePromotion {
  readonly configSource: ConfigSource;
  /** Path of the model inside the archive. */
  readonly archiveModelPath: string;
  /** Entries that are neither the model nor its config.json (directories, other files). */
  readonly skippedEntries: number;
}

/**
 * A gzipped tar artifact, in one streaming pass with bounded memory: GetObject (pinned to the checked ETag) → gunzip →
 * tar → the .onnx entry streams into a multipart upload of model.onnx. The upload's body is ended only after the whole
 * archive checked out (within `limits`, enforced while streaming) and config.json was written, so model.onnx — which makes the version visible — appears last,
 * complete, or not at all (a rejected or failed scan destroys the body, and the upload aborts its multipart upload).
 */
export async function promoteArchive(target: VersionTarget, limits: ArchiveLimits): Promise<ArchivePromotion> {
  const { s3, servable, repository } = target;
  const where = `s3://${servable.artifact.bucket}/${servable.artifact.key}`;
  const object = await s3.send(new GetObjectCommand({ Bucket: servable.artifact.bucket, Key: servable.artifact.key, IfMatch: target.sourceEtag }));
  if (!(object.Body instanceof Readable)) throw new Error(`GetObject ${where} returned no Node.js stream`);

  const body = new PassThrough();
  const upload = new Upload({
    client: s3,
    params: { Bucket: repository.bucket, Key: target.modelKey, Body: body, ContentType: 'application/octet-stream', Metadata: modelMetadata(target) },
  });
  const uploading = upload.done();
  // A failed upload stops reading the body: fail the scan's pending writes instead of leaving them waiting.
  uploading.catch((error: unknown) => body.destroy(error as Error));
  try {
    const scan = await scanModelArchive(object.Body, body, where, limits);
    if (!scan.ok) throw new PackageRejectedError(servable.modelPackageArn, scan.reasons);
    const configSource = await putVersionConfig(target, scan.config);
    body.end();
    await uploading;
    return { configSource, archiveModelPath: scan.modelPath, skippedEntries: scan.skippedEntries };
  } catch (error) {
    // Destroying the body makes the upload abort its multipart upload: nothing of this version's model.onnx remains.
    body.destroy(error as Error);
    await uploading.catch(() => undefined);
    throw error;
  }
}
