/**
 * The object itself cannot be ingested (not the format its key claims, header does not match the contract, no
 * contract for its dataset): retrying cannot help, so the message goes to the DLQ with this reason and nothing is written.
 */
export class PoisonObjectError extends Error {
  constructor(readonly reason: string) {
    super(reason);
    this.name = 'PoisonObjectError';
  }
}
