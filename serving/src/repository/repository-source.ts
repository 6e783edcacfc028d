import type { RepositoryFile } from './repository-layout';

/** Where model files live: a local folder or an S3 prefix, both with the layout `{model}/{version}/model.onnx`. */
export interface RepositorySource {
  /** For logs, e.g. `s3://bucket/prefix`. */
  readonly location: string;
  listFiles(): Promise<RepositoryFile[]>;
  /** Reads a file by its path relative to the repository root. */
  readFile(path: string): Promise<Uint8Array>;
}
