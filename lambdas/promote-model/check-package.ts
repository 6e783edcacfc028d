import type { DescribeModelPackageCommandOutput, ModelPackageContainerDefinition } from '@aws-sdk/client-sagemaker';
import { evaluationReportUri } from './evaluation-check';
import { parseS3Uri, type S3Location } from './s3-uri';

/** `onnx`: the object is the model, copied server-side. `gzip-tar`: SageMaker's model.tar.gz holding one .onnx. */
export type ArtifactFormat = 'onnx' | 'gzip-tar';

/** A package that passed every check and can be copied into the serving repository. */
export interface ServablePackage {
  readonly modelPackageArn: string;
  /** The model name its group maps to (MODEL_PACKAGE_GROUPS): the folder of the serving layout. */
  readonly model: string;
  readonly version: number;
  readonly artifact: S3Location;
  readonly artifactFormat: ArtifactFormat;
  /** S3 URIs of the evaluation reports (ModelMetrics). */
  readonly metricsUris: readonly string[];
  /** The report the evaluation gate reads (ModelMetrics.ModelQuality.Statistics), when registered. */
  readonly evaluationReportUri?: string;
}

export type PackageCheck = { readonly ok: true; readonly servable: ServablePackage } | { readonly ok: false; readonly reasons: readonly string[] };

interface ContainerArtifact {
  readonly uri?: string;
  readonly format?: ArtifactFormat;
  readonly problem?: string;
}

function formatOfKey(uri: string): ArtifactFormat | undefined {
  if (/\.onnx$/i.test(uri)) return 'onnx';
  if (/\.(tar\.gz|tgz)$/i.test(uri)) return 'gzip-tar';
  return undefined;
}

/**
 * The artifact a container points at: `ModelDataUrl` (format from its suffix), or a single-object `ModelDataSource`
 * — `CompressionType: Gzip` is by SageMaker's definition a gzip-compressed tar, `None` must be the .onnx itself.
 */
function containerArtifact(container: ModelPackageContainerDefinition): ContainerArtifact {
  if (container.ModelDataUrl) return { uri: container.ModelDataUrl, format: formatOfKey(container.ModelDataUrl) };
  const source = container.ModelDataSource?.S3DataSource;
  if (!source?.S3Uri) return {};
  if (source.S3DataType === 'S3Object' && source.CompressionType === 'Gzip') return { uri: source.S3Uri, format: 'gzip-tar' };
  if (source.S3DataType === 'S3Object' && source.CompressionType === 'None')
    return { uri: source.S3Uri, format: formatOfKey(source.S3Uri) === 'onnx' ? 'onnx' : undefined };
  return {
    problem:
      `${source.S3Uri} is a ${source.S3DataType} source with ${source.CompressionType} compression; only a single S3Object can be served: ` +
      'an .onnx file (CompressionType None) or a gzipped tar holding one (CompressionType Gzip)',
  };
}

/** Every `S3Uri` under ModelMetrics (ModelQuality, ModelDataQuality, Bias, Explainability and their reports). */
function metricsUris(metrics: DescribeModelPackageCommandOutput['ModelMetrics']): string[] {
  return Object.values(metrics ?? {}).flatMap((category) =>
    Object.values((category ?? {}) as Record<string, { S3Uri?: string } | undefined>).flatMap((source) => (source?.S3Uri ? [source.S3Uri] : [])),
  );
}

function groupProblem(group: string | undefined, groups: ReadonlyMap<string, string>): string | undefined {
  if (group === undefined || groups.has(group)) return undefined;
  return `model package group ${group} is not one this function promotes (${[...groups.keys()].join(', ')}); MODEL_PACKAGE_GROUPS maps each group to its model`;
}

/**
 * Decides whether a described model package can be served: a versioned package of a known group (`groups`: model
 * package group → model name) with exactly one model artifact — an `.onnx` object, or a gzipped tar that must hold
 * one (checked while unpacking) — and at least one evaluation report. A rejected package gets every reason.
 */
export function checkModelPackage(description: DescribeModelPackageCommandOutput, groups: ReadonlyMap<string, string>): PackageCheck {
  const reasons: string[] = [];
  const arn = description.ModelPackageArn ?? 'unknown';
  const group = description.ModelPackageGroupName;
  if (!group || description.ModelPackageVersion === undefined) {
    reasons.push('it is not a versioned model package (no ModelPackageGroupName/ModelPackageVersion)');
  }
  const unknownGroup = groupProblem(group, groups);
  if (unknownGroup) reasons.push(unknownGroup);

  const found = (description.InferenceSpecification?.Containers ?? []).map(containerArtifact);
  reasons.push(...found.flatMap(({ problem }) => (problem ? [problem] : [])));
  const byUri = new Map(found.flatMap(({ uri, format }) => (uri && format ? [[uri, format] as const] : [])));
  const candidates = [...byUri];
  if (candidates.length === 0) {
    const uris = found.flatMap(({ uri }) => (uri ? [uri] : []));
    reasons.push(
      `no model artifact: InferenceSpecification.Containers point at ${uris.length > 0 ? uris.join(', ') : 'no model data'}; ` +
        'register an .onnx object or a gzipped tar (.tar.gz, .tgz or CompressionType Gzip) holding one',
    );
  } else if (candidates.length > 1) {
    reasons.push(`more than one model artifact (${candidates.map(([uri]) => uri).join(', ')}); the serving layout holds one model.onnx per version`);
  }
  const [uri, artifactFormat] = candidates.length === 1 ? candidates[0] : [undefined, undefined];
  const artifact = uri === undefined ? undefined : parseS3Uri(uri);
  if (uri !== undefined && artifact === undefined) reasons.push(`${uri} is not an s3:// URI`);

  const evaluation = metricsUris(description.ModelMetrics);
  if (evaluation.length === 0) reasons.push('no evaluation metrics: ModelMetrics names no report');

  if (reasons.length > 0 || artifact === undefined || artifactFormat === undefined) return { ok: false, reasons };
  return {
    ok: true,
    servable: {
      modelPackageArn: arn,
      model: groups.get(group!)!,
      version: description.ModelPackageVersion!,
      artifact,
      artifactFormat,
      metricsUris: evaluation,
      evaluationReportUri: evaluationReportUri(description),
    },
  };
}
