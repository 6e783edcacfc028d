import { ListObjectsV2Command, type S3Client } from '@aws-sdk/client-s3';
import { inferenceCapturePrefix, modelVersionPrefix } from '../../lib/lakehouse';
import type { CaptureWindow } from './capture-window';

const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * The versions of a model in the model repository (`<prefix><model>/<version>/`): the versions that can have been
 * served, hence captured. (Listing `inference-capture/<model>/` by delimiter would do on S3, but the repository's
 * layout keeps each version's files one level down, which every S3-compatible server lists correctly.)
 */
export async function listModelVersions(s3: S3Client, bucket: string, repositoryPrefix: string, model: string): Promise<string[]> {
  const prefix = modelVersionPrefix(repositoryPrefix, model, '').slice(0, -1);
  const versions: string[] = [];
  let token: string | undefined;
  do {
    const page = await s3.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, Delimiter: '/', ContinuationToken: token }));
    for (const common of page.CommonPrefixes ?? []) versions.push(common.Prefix!.slice(prefix.length, -1));
    token = page.IsTruncated ? page.NextContinuationToken : undefined;
  } while (token !== undefined);
  return versions;
}

/**
 * Capture files of one model version written in the window (LastModified in [start, end)), oldest first.
 * A file's `dt=` partition is the day its buffer opened, at most one flush interval before it was written, so the
 * day before the window's start is listed too.
 */
export async function listWindowFiles(s3: S3Client, bucket: string, model: string, version: string, window: CaptureWindow): Promise<string[]> {
  const files: { key: string; at: number }[] = [];
  for (let day = Date.parse(window.start.toISOString().slice(0, 10)) - DAY_MS; day < window.end.getTime(); day += DAY_MS) {
    const prefix = inferenceCapturePrefix(model, version, new Date(day).toISOString().slice(0, 10));
    let token: string | undefined;
    do {
      const page = await s3.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, ContinuationToken: token }));
      for (const object of page.Contents ?? []) {
        const at = object.LastModified?.getTime();
        if (object.Key !== undefined && at !== undefined && at >= window.start.getTime() && at < window.end.getTime()) files.push({ key: object.Key, at });
      }
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token !== undefined);
  }
  return files.sort((a, b) => a.at - b.at || a.key.localeCompare(b.key)).map((file) => file.key);
}
