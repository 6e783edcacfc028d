/**
 * Where a training run reads and writes in the lakehouse. Input is a silver dataset as the ingest function writes it;
 * everything a run produces sits under gold `model-artifacts/<model>/`, which promotion reads.
 */
export const MODEL_ARTIFACTS_PREFIX = 'model-artifacts/';

/** Silver prefix of one dataset's Parquet files (`datasets/dataset=<name>/ingest_date=.../<id>.parquet`). */
export function datasetPrefix(dataset: string): string {
  return `datasets/dataset=${dataset}/`;
}

/** Everything of one model's training: runs and checkpoints. */
export function modelArtifactsPrefix(model: string): string {
  return `${MODEL_ARTIFACTS_PREFIX}${model}/`;
}

/** One run's outputs: SageMaker writes `<jobName>/output/model.tar.gz` under it; the pipeline adds the reports. */
export function runOutputPrefix(model: string, runId: string): string {
  return `${modelArtifactsPrefix(model)}runs/${runId}/`;
}

/** All runs of a model (the training role writes here and nowhere else in gold, besides checkpoints). */
export function runsPrefix(model: string): string {
  return `${modelArtifactsPrefix(model)}runs/`;
}

/** Where SageMaker syncs `/opt/ml/checkpoints` for one run, so a spot interruption resumes. */
export function checkpointPrefix(model: string, runId: string): string {
  return `${checkpointsPrefix(model)}${runId}/`;
}

export function checkpointsPrefix(model: string): string {
  return `${modelArtifactsPrefix(model)}checkpoints/`;
}

/** The model archive SageMaker uploads for a job (`OutputDataConfig.S3OutputPath` + job name + `output/model.tar.gz`). */
export function modelArchiveKey(model: string, runId: string, jobName: string): string {
  return `${runOutputPrefix(model, runId)}${jobName}/output/model.tar.gz`;
}

/** Files the trainer writes to /opt/ml/model, i.e. inside model.tar.gz. */
export const MODEL_DIRECTORY_FILES = {
  model: 'model.onnx',
  servingConfig: 'config.json',
  evaluationReport: 'evaluation.json',
  driftBaseline: 'drift-baseline.json',
} as const;
