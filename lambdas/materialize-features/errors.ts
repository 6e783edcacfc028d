/** The silver file lacks columns a feature group reads: a configuration mismatch, retried then dead-lettered for a person to fix. */
export class SourceSchemaMismatchError extends Error {
  constructor(
    readonly featureGroup: string,
    readonly objectKey: string,
    readonly missingColumns: readonly string[],
  ) {
    super(`s3 object ${objectKey} has no column ${missingColumns.join(', ')}, which feature group ${featureGroup} reads`);
    this.name = 'SourceSchemaMismatchError';
  }
}

/** Some records could not be written after every retry; the SQS message fails so it is redelivered, then dead-lettered. */
export class RecordsNotWrittenError extends Error {
  constructor(
    readonly featureGroup: string,
    readonly objectKey: string,
    readonly failedRecords: number,
    readonly lastError: string,
  ) {
    super(`${failedRecords} record(s) of ${objectKey} were not written to feature group ${featureGroup} after retries; last error: ${lastError}`);
    this.name = 'RecordsNotWrittenError';
  }
}
