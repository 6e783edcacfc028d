import type { DescribeModelPackageCommandOutput, ModelPackageContainerDefinition } from '@aws-sdk/client-sagemaker';
import { parseS3Uri, type S3Location } from './s3-uri';

/** A package that passed every check and can be copied into the serving repository. */
export interface ServablePackage {
  readonly modelPackageArn: string;
  /** The model package group, which is named after the model. */
  readonly model: string;
  readonly version: number;
  readonly artifact: S3Location;
  /** S3 URIs of the evaluation reports (ModelMetrics). */
  readonly metricsUris: readonly string[];
}

export type PackageCheck = { readonly ok: true; readonly servable: ServablePackage } | { readonly ok: false; readonly reasons: readonly string[] };

/** The artifact URI a container points at: `ModelDataUrl`, or an uncompressed single-object `ModelDataSource`. */
function artifactUri(container: ModelPackageContainerDefinition): { uri?: string; problem?: string } {
  if (container.ModelDataUrl) return { uri: container.ModelDataUrl };
  const source = container.ModelDataSource?.S3DataSource;
  if (!source?.S3Uri) return {};
  if (source.S3DataType !== 'S3Object' || source.CompressionType !== 'None') {
    return { problem: `${source.S3Uri} is a ${source.S3DataType} source with ${source.CompressionType} compression; only a single uncompressed .onnx object can be served` };
  }
  return { uri: source.S3Uri };
}

/** Every `S3Uri` under ModelMetrics (ModelQuality, ModelDataQuality, Bias, Explainability and their reports). */
function metricsUris(metrics: DescribeModelPackageCommandOutput['ModelMetrics']): string[] {
  return Object.values(metrics ?? {}).flatMap((category) =>
    Object.values((category ?? {}) as Record<string, { S3Uri?: string } | undefined>).flatMap((source) => (source?.S3Uri ? [source.S3Uri] : [])),
  );
}

/**
 * Decides whether a described model package can be served: it must be a versioned package with exactly one
 * ONNX artifact (`.onnx`, not an archive — the serving container loads `model.onnx` as is) and at least one
 * evaluation report. A rejected package gets every reason.
 */
export function checkModelPackage(description: DescribeModelPackageCommandOutput): PackageCheck {
  const reasons: string[] = [];
  const arn = description.ModelPackageArn ?? 'unknown';
  if (!description.ModelPackageGroupName || description.ModelPackageVersion === undefined) {
    reasons.push('it is not a versioned model package (no ModelPackageGroupName/ModelPackageVersion)');
  }

  const containers = description.InferenceSpecification?.Containers ?? [];
  const uris = containers.map(artifactUri);
  const onnx = [...new Set(uris.flatMap(({ uri }) => (uri && /\.onnx$/i.test(uri) ? [uri] : [])))];
  reasons.push(...uris.flatMap(({ problem }) => (problem ? [problem] : [])));
  if (onnx.length === 0) {
    const found = uris.flatMap(({ uri }) => (uri ? [uri] : []));
    const archives = found.filter((uri) => /\.(tar\.gz|tgz|zip)$/i.test(uri));
    if (archives.length > 0) reasons.push(`no ONNX artifact: ${archives.join(', ')} is an archive; register the .onnx file itself as ModelDataUrl`);
    else reasons.push(`no ONNX artifact: InferenceSpecification.Containers point at ${found.length > 0 ? found.join(', ') : 'no model data'}`);
  } else if (onnx.length > 1) {
    reasons.push(`more than one ONNX artifact (${onnx.join(', ')}); the serving layout holds one model.onnx per version`);
  }
  const artifact = onnx.length === 1 ? parseS3Uri(onnx[0]!) : undefined;
  if (onnx.length === 1 && artifact === undefined) reasons.push(`${onnx[0]} is not an s3:// URI`);

  const evaluation = metricsUris(description.ModelMetrics);
  if (evaluation.length === 0) reasons.push('no evaluation metrics: ModelMetrics names no report');

  if (reasons.length > 0 || artifact === undefined) return { ok: false, reasons };
  return {
    ok: true,
    servable: {
      modelPackageArn: arn,
      model: description.ModelPackageGroupName!,
      version: description.ModelPackageVersion!,
      artifact,
      metricsUris: evaluation,
    },
  };
}
