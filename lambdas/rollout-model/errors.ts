/** An approved package whose model.onnx promotion has not written yet: thrown so Lambda retries the event later. */
export class NotPromotedYetError extends Error {
  constructor(
    readonly model: string,
    readonly version: number,
  ) {
    super(`${model} version ${version} is approved but not in the model repository yet (promotion still running, or it rejected the package)`);
    this.name = 'NotPromotedYetError';
  }
}

/** A deployment whose served version cannot be read (no pin variable on the running revision). */
export class UnknownServedVersionError extends Error {
  constructor(where: string) {
    super(`cannot tell which model version ${where} serves: its SERVED_MODEL_VERSION is not set`);
    this.name = 'UnknownServedVersionError';
  }
}
