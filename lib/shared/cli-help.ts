/** A `node:util` parseArgs option, as the CLIs declare them. */
export interface CliOption {
  readonly type: 'string' | 'boolean';
  readonly short?: string;
  readonly multiple?: boolean;
}

/**
 * What `--help` says of each flag, keyed like the CLI's parseArgs options so the compiler refuses a flag without help:
 * a description, or for a string flag `[placeholder, description]`.
 */
export type FlagHelp<O extends Record<string, CliOption>> = {
  readonly [K in keyof O]: O[K]['type'] extends 'string' ? readonly [placeholder: string, description: string] : string;
};

/** `--help` text: the usage lines, then every flag with its placeholder and description, then optional notes. */
export function renderHelp<O extends Record<string, CliOption>>(
  usage: readonly string[],
  options: O,
  help: FlagHelp<O>,
  notes: readonly string[] = [],
): string {
  const rows = Object.entries(options).map(([name, option]) => {
    const entry = help[name as keyof O];
    const [placeholder, description] = typeof entry === 'string' ? [undefined, entry] : entry;
    const flag = `${option.short ? `-${option.short}, ` : ''}--${name}${placeholder ? ` ${placeholder}` : ''}${option.multiple ? ' ...' : ''}`;
    return [flag, description] as const;
  });
  const width = Math.max(...rows.map(([flag]) => flag.length));
  return [
    'Usage:',
    ...usage.map((line) => `  ${line}`),
    '',
    'Flags:',
    ...rows.map(([flag, description]) => `  ${flag.padEnd(width)}  ${description}`),
    ...(notes.length > 0 ? ['', ...notes] : []),
  ].join('\n');
}
