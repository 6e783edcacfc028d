import type { Duration } from 'aws-cdk-lib';
import type { ILakehouse } from '../lakehouse';
import type { DataPathFunctionOptions } from './data-path-function-options';

export interface IngestionProps extends DataPathFunctionOptions {
  /**
   * The lakehouse: every object created in its bronze bucket is checked against its data contract; valid records go
   * to silver `datasets/` as Parquet, rejected ones to silver `quarantinePrefix` with their reasons.
   */
  readonly lakehouse: ILakehouse;

  /**
   * Longest line, or CSV record spanning lines, the function reads, in bytes (1 KiB to 64 MiB); a longer one is
   * quarantined with its first kilobyte and the reason.
   * @default 1048576 (1 MiB, `DEFAULT_INGEST_MAX_RECORD_BYTES`)
   */
  readonly maxRecordBytes?: number;

  /**
   * Memory in MB. Parsing, validation and Parquet encoding are CPU-bound and stay under 256 MB whatever the file size
   * (`npm run bench:ingest`), so memory buys CPU: 3538 MB is two full vCPUs, one for parsing and validation and one
   * for the Parquet encoder's worker thread.
   * @default 3538
   */
  readonly memorySize?: number;

  /**
   * Longest run for one object.
   * @default Duration.minutes(15)
   */
  readonly timeout?: Duration;

  /**
   * Objects processed at once (reserved concurrency, and the trigger queue's maximum concurrency).
   * @default 10
   */
  readonly reservedConcurrentExecutions?: number;

  /**
   * Age of the oldest waiting object event at which `addAlarms` raises the backlog alarm.
   * @default Duration.hours(1) - four 15-minute invocations' worth of waiting: the function is not keeping up
   */
  readonly maxBacklogAge?: Duration;
}
