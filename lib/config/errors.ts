/** A configuration problem that must stop synthesis before any construct is created. */
export class ConfigError extends Error {
  constructor(
    message: string,
    /** Every individual problem, each naming the key path, the value and what is allowed. */
    readonly problems: readonly string[] = [message],
  ) {
    super(message);
    this.name = 'ConfigError';
  }
}
