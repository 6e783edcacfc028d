/** No contract is registered for the dataset a bronze object belongs to. */
export class UnknownDatasetError extends Error {
  constructor(
    readonly dataset: string,
    readonly known: readonly string[],
  ) {
    super(`No data contract for dataset "${dataset}"; known datasets: ${known.join(', ') || '(none)'}`);
    this.name = 'UnknownDatasetError';
  }
}

/** A contract declaration is itself inconsistent (caught when the registry is built). */
export class InvalidContractError extends Error {
  constructor(
    readonly dataset: string,
    readonly problem: string,
  ) {
    super(`Data contract "${dataset}" is invalid: ${problem}`);
    this.name = 'InvalidContractError';
  }
}
