import { DRIFT_BASELINE_FILE } from '../drift/baseline';
import { trainingRunPrefix } from '../lakehouse';

/**
 * What a training run leaves in its run prefix (`trainingRunPrefix` of lib/lakehouse): SageMaker's model archive, and
 * the files the pipeline unpacks from it so they can be registered on their own.
 */

/** The model archive SageMaker uploads for a job: `OutputDataConfig.S3OutputPath` + job name + `output/model.tar.gz`. */
export function modelArchiveKey(model: string, runId: string, jobName: string): string {
  return `${trainingRunPrefix(model, runId)}${jobName}/output/model.tar.gz`;
}

/** Files the trainer writes to /opt/ml/model, i.e. inside model.tar.gz. */
export const MODEL_DIRECTORY_FILES = {
  model: 'model.onnx',
  servingConfig: 'config.json',
  evaluationReport: 'evaluation.json',
  driftBaseline: DRIFT_BASELINE_FILE,
} as const;

/** Keys of the files the pipeline unpacks from the archive (and the input manifest it writes) into the run prefix. */
export function runFileKey(model: string, runId: string, file: string): string {
  return `${trainingRunPrefix(model, runId)}${file}`;
}

/** The lineage file: every input object (key, ETag, version) a run trained on. */
export const INPUT_MANIFEST_FILE = 'input-manifest.json';
