import type { Duration } from 'aws-cdk-lib';
import type { IFeatureStore } from '../feature-store';
import type { ILakehouse } from '../lakehouse';
import type { DataPathFunctionOptions } from './data-path-function-options';

export interface FeatureMaterializationProps extends DataPathFunctionOptions {
  /** The lakehouse whose silver `datasets/` Parquet files are materialized; failure reports go to its silver bucket. */
  readonly lakehouse: ILakehouse;

  /** The feature store: the function computes every one of its groups (`definitions`) and may PutRecord to each. */
  readonly featureStore: IFeatureStore;

  /**
   * PutRecord calls in flight per invocation (the function is network-bound).
   * @default 16
   */
  readonly putRecordConcurrency?: number;

  /**
   * Memory in MB: one Parquet row group in memory and the PutRecord calls in flight.
   * @default 1024
   */
  readonly memorySize?: number;

  /**
   * Longest run for one silver file.
   * @default Duration.minutes(15)
   */
  readonly timeout?: Duration;

  /**
   * Files processed at once (reserved concurrency, and the trigger queue's maximum concurrency).
   * @default 5
   */
  readonly reservedConcurrentExecutions?: number;

  /**
   * Age of the oldest waiting silver-file event at which `addAlarms` raises the backlog alarm.
   * @default Duration.hours(1) - four 15-minute invocations' worth of waiting: the function is not keeping up
   */
  readonly maxBacklogAge?: Duration;
}
