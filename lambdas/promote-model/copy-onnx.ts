import { CopyObjectCommand, GetObjectCommand } from '@aws-sdk/client-s3';
import { isS3NotFound } from '../shared/s3-objects';
import { PackageRejectedError } from './errors';
import { configJsonProblem } from './package-config';
import { CONFIG_FILE } from './repository';
import { copySource } from './s3-uri';
import { modelMetadata, putVersionConfig, type ConfigSource, type VersionTarget } from './version-writes';

/** The config.json the training pipeline put beside the .onnx object, if any; it must be a JSON object. */
async function packagedConfig({ s3, servable }: VersionTarget): Promise<string | undefined> {
  const { bucket, key: artifactKey } = servable.artifact;
  const key = `${artifactKey.slice(0, artifactKey.lastIndexOf('/') + 1)}${CONFIG_FILE}`;
  let text: string;
  try {
    const object = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
    text = await object.Body!.transformToString();
  } catch (error) {
    if (isS3NotFound(error)) return undefined;
    throw error;
  }
  const problem = configJsonProblem(text, `s3://${bucket}/${key}`);
  if (problem) throw new PackageRejectedError(servable.modelPackageArn, [problem]);
  return text;
}

/** An `.onnx` artifact: config.json first, then a server-side copy of exactly the checked object to model.onnx. */
export async function promoteOnnxObject(target: VersionTarget): Promise<{ readonly configSource: ConfigSource }> {
  const configSource = await putVersionConfig(target, await packagedConfig(target));
  await target.s3.send(
    new CopyObjectCommand({
      Bucket: target.repository.bucket,
      Key: target.modelKey,
      CopySource: copySource(target.servable.artifact),
      // Copy exactly the object that was checked, even if the source key is overwritten meanwhile.
      CopySourceIfMatch: target.sourceEtag,
      MetadataDirective: 'REPLACE',
      // No tags on the copy: copying the training artifact's tags would need tagging permissions on both objects.
      TaggingDirective: 'REPLACE',
      ContentType: 'application/octet-stream',
      Metadata: modelMetadata(target),
    }),
  );
  return { configSource };
}
