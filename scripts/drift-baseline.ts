/**
 * Drift baseline CLI: `npm run drift:baseline -- --input <file.parquet|file.csv> --out <drift-baseline.json>`
 *   [--features a,b,c] [--exclude label] [--input-tensor input] [--bins 10] [--sample-size 10000] [--model m --model-version v]
 * Bad flags or input: one line on stderr naming the flag, the value and what is allowed; exit code 2.
 */
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { buildDriftBaseline, DEFAULT_BIN_COUNT, DEFAULT_SAMPLE_SIZE, InvalidBaselineError } from '../lib/drift';
import { renderHelp, type FlagHelp } from '../lib/shared/cli-help';
import { readReferenceColumns, ReferenceInputError } from './drift/read-reference-columns';

const OPTIONS = {
  input: { type: 'string' },
  out: { type: 'string' },
  features: { type: 'string' },
  exclude: { type: 'string' },
  'input-tensor': { type: 'string' },
  bins: { type: 'string' },
  'sample-size': { type: 'string' },
  model: { type: 'string' },
  'model-version': { type: 'string' },
  help: { type: 'boolean' },
} as const;

const HELP: FlagHelp<typeof OPTIONS> = {
  input: ['FILE', 'the reference data: a Parquet or CSV file (required)'],
  out: ['FILE', 'where the baseline JSON goes (required)'],
  features: ['a,b,c', 'the columns to profile, in input order (default every numeric column not excluded)'],
  exclude: ['a,b', 'columns to leave out, e.g. the label'],
  'input-tensor': ['NAME', 'the model input the features feed, as the serving capture names it (default input)'],
  bins: ['N', `histogram bins per feature (default ${DEFAULT_BIN_COUNT})`],
  'sample-size': ['N', `rows kept per feature for the KS test (default ${DEFAULT_SAMPLE_SIZE})`],
  model: ['NAME', 'the model the baseline belongs to (with --model-version)'],
  'model-version': ['V', 'the model version the baseline belongs to'],
  help: 'print this help and exit',
};

class UsageError extends Error {}

function wholeNumber(flag: string, value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  if (!/^\d+$/.test(value)) throw new UsageError(`--${flag} ${value}: a whole number`);
  return Number(value);
}

async function main(argv: string[]): Promise<void> {
  let values;
  try {
    values = parseArgs({ args: argv, options: OPTIONS, strict: true, allowPositionals: false }).values;
  } catch (error) {
    throw new UsageError(
      `${(error as Error).message.split('\n')[0]}; allowed flags: ${Object.keys(OPTIONS)
        .map((f) => `--${f}`)
        .join(', ')}`,
    );
  }
  if (values.help) {
    console.log(renderHelp(['npm run drift:baseline -- --input FILE --out FILE [flags]'], OPTIONS, HELP));
    return;
  }
  if (values.input === undefined || values.out === undefined) throw new UsageError('--input <file.parquet|file.csv> and --out <file> are required');
  const list = (text: string | undefined) =>
    text
      ?.split(',')
      .map((s) => s.trim())
      .filter((s) => s !== '');
  const { columns } = await readReferenceColumns(values.input, { features: list(values.features), exclude: list(values.exclude) });
  const baseline = buildDriftBaseline({
    source: values.input,
    columns,
    inputTensor: values['input-tensor'] ?? 'input',
    inputColumns: columns.length,
    bins: wholeNumber('bins', values.bins, DEFAULT_BIN_COUNT),
    sampleSize: wholeNumber('sample-size', values['sample-size'], DEFAULT_SAMPLE_SIZE),
    model: values.model,
    modelVersion: values['model-version'],
  });
  writeFileSync(values.out, `${JSON.stringify(baseline)}\n`);
  console.log(
    `wrote ${values.out}: ${baseline.features.length} features from ${baseline.dataset.rows} rows (${baseline.features.map((f) => `${f.column}:${f.name}`).join(', ')})`,
  );
}

main(process.argv.slice(2)).catch((error: unknown) => {
  if (error instanceof UsageError || error instanceof ReferenceInputError || error instanceof InvalidBaselineError || error instanceof RangeError) {
    console.error(error.message);
    process.exit(2);
  }
  console.error(error);
  process.exit(1);
});
