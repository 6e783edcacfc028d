/** Serving decision CLI (`npm run decide -- --help`). */
import { readFileSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { ConfigError, loadEnvironment, servingTargetSchema, trafficProfileSchema, type TrafficProfile } from '../lib/config';
import { decideEnvironment, decideServing, DecisionError, type Architecture, type DecisionContext, SERVING_IMAGE_ARCHITECTURE } from '../lib/decision';
import { decisionJson, describeProfile, renderDecisionText, renderWorkedExamplesMarkdown } from '../lib/decision/render';
import { WORKED_EXAMPLES } from '../lib/decision/worked-examples';
import { renderHelp, type FlagHelp } from '../lib/shared/cli-help';

class UsageError extends Error {}

const PROFILE_FLAGS = {
  'monthly-requests': 'monthlyRequests',
  'peak-rps': 'peakRps',
  'p99-latency-ms': 'p99LatencyMs',
  'payload-kb': 'payloadKb',
  'compute-ms': 'computeMsPerInference',
  'memory-mb': 'memoryMb',
  'team-size': 'teamSize',
} as const satisfies Record<string, keyof TrafficProfile>;

const OPTIONS = {
  ...(Object.fromEntries(Object.keys(PROFILE_FLAGS).map((flag) => [flag, { type: 'string' }])) as { [F in keyof typeof PROFILE_FLAGS]: { type: 'string' } }),
  gpu: { type: 'boolean' },
  ha: { type: 'boolean' },
  'shared-eks-cluster': { type: 'string' },
  'eks-cluster-in-environment': { type: 'boolean' },
  'force-target': { type: 'string' },
  architecture: { type: 'string' },
  env: { type: 'string' },
  'cdk-json': { type: 'string' },
  json: { type: 'boolean' },
  examples: { type: 'boolean' },
  markdown: { type: 'boolean' },
  'update-docs': { type: 'string' },
  help: { type: 'boolean' },
} as const;

const HELP: FlagHelp<typeof OPTIONS> = {
  'monthly-requests': ['N', 'inference requests per month'],
  'peak-rps': ['R', 'highest sustained requests per second (at least the monthly average rate)'],
  'p99-latency-ms': ['L', 'p99 latency objective, end to end, in ms (at least --compute-ms)'],
  'payload-kb': ['K', 'request payload size in KB'],
  'compute-ms': ['C', 'compute time of one inference on one vCPU (one GPU with --gpu), in ms'],
  'memory-mb': ['M', 'memory one serving instance needs for the model, in MB'],
  'team-size': ['T', 'people in the team that operates the model'],
  gpu: 'the model needs a GPU (only EKS has GPU nodes)',
  ha: 'at least two instances across availability zones (default off for a single profile)',
  'shared-eks-cluster': ['NAME', 'an existing EKS cluster another team runs: no control-plane charge, no team-size bar'],
  'eks-cluster-in-environment': 'the environment already pays for an EKS cluster: price EKS at its marginal cost',
  'force-target': ['lambda|fargate|eks', 'serve on this target even if it is not the cheapest (hard limits still apply)'],
  architecture: ['x86_64|arm64', 'CPU architecture to price (default x86_64, what the stacks deploy)'],
  env: ['NAME', 'decide every model of this environment of cdk.json, as the serving stack deploys it'],
  'cdk-json': ['PATH', 'the cdk.json --env reads (default cdk.json)'],
  json: 'print JSON instead of a table',
  examples: 'the worked examples of docs/decision-matrix.md',
  markdown: 'with --examples: print the Markdown tables',
  'update-docs': ['PATH', 'with --examples: rewrite the generated section of PATH (npm run docs:decision)'],
  help: 'print this help and exit',
};

const USAGE = renderHelp(
  [
    'npm run decide -- --monthly-requests N --peak-rps R --p99-latency-ms L --payload-kb K --compute-ms C --memory-mb M --team-size T [flags]',
    'npm run decide -- --env NAME [--json] [--cdk-json PATH]',
    'npm run decide -- --examples [--markdown] [--update-docs PATH]',
  ],
  OPTIONS,
  HELP,
  ['A bad flag prints one line naming the flag, the value and what is allowed (exit code 2); a profile no target can serve exits 1.'],
);

const GENERATED_BEGIN = '<!-- BEGIN GENERATED: npm run decide -- --examples --markdown -->';
const GENERATED_END = '<!-- END GENERATED -->';

function parse(argv: string[]) {
  try {
    return parseArgs({ args: argv, options: OPTIONS, strict: true, allowPositionals: false }).values;
  } catch (error) {
    const message = (error as Error).message.split('\n')[0];
    throw new UsageError(
      `${message}; allowed flags: ${Object.keys(OPTIONS)
        .map((f) => `--${f}`)
        .join(', ')}`,
    );
  }
}

type Values = ReturnType<typeof parse>;

function profileFromFlags(values: Values): TrafficProfile {
  const raw: Record<string, unknown> = { gpu: values.gpu ?? false };
  for (const [flag, key] of Object.entries(PROFILE_FLAGS)) {
    const text = values[flag as keyof Values];
    if (typeof text !== 'string') throw new UsageError(`--${flag}: missing; it is required unless --env or --examples is given`);
    if (!/^\d+(\.\d+)?$/.test(text.trim())) throw new UsageError(`--${flag}: got '${text}'; expected a non-negative number`);
    raw[key] = Number(text);
  }
  const parsed = trafficProfileSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const flag = Object.entries(PROFILE_FLAGS).find(([, key]) => key === issue.path[0])?.[0] ?? String(issue.path[0]);
    throw new UsageError(`--${flag}: got '${values[flag as keyof Values]}'; ${issue.message}`);
  }
  return parsed.data;
}

function oneOf<T extends string>(flag: string, value: string | undefined, allowed: readonly T[]): T | undefined {
  if (value === undefined) return undefined;
  if (!(allowed as readonly string[]).includes(value)) throw new UsageError(`--${flag}: got '${value}'; allowed: ${allowed.join(', ')}`);
  return value as T;
}

function updateDocs(path: string, generated: string): void {
  const text = readFileSync(path, 'utf8');
  const start = text.indexOf(GENERATED_BEGIN);
  const end = text.indexOf(GENERATED_END);
  if (start < 0 || end < start) throw new UsageError(`--update-docs: '${path}' has no '${GENERATED_BEGIN}' ... '${GENERATED_END}' markers`);
  writeFileSync(path, `${text.slice(0, start + GENERATED_BEGIN.length)}\n${generated}\n${text.slice(end)}`);
}

function run(argv: string[]): string {
  const values = parse(argv);
  if (values.help) return USAGE;
  const architecture = oneOf<Architecture>('architecture', values.architecture, ['arm64', 'x86_64']);

  if (values.examples) {
    const markdown = renderWorkedExamplesMarkdown(WORKED_EXAMPLES);
    if (values['update-docs']) {
      updateDocs(values['update-docs'], markdown);
      return `updated the generated section of ${values['update-docs']}`;
    }
    if (values.markdown) return markdown;
    return WORKED_EXAMPLES.map((e) => renderDecisionText(`${e.name} (${describeProfile(e.profile)})`, decideServing(e.profile, e.context))).join('\n\n');
  }

  if (values.env !== undefined) {
    const cdkJsonPath = values['cdk-json'] ?? 'cdk.json';
    const environments = (JSON.parse(readFileSync(cdkJsonPath, 'utf8')) as { context?: { environments?: unknown } }).context?.environments;
    const { config } = loadEnvironment(environments, values.env);
    // As deployed: the serving stack prices every model on the architecture its one image is built for.
    const result = decideEnvironment(config, { architecture: values.architecture === undefined ? SERVING_IMAGE_ARCHITECTURE : architecture });
    if (values.json)
      return JSON.stringify(
        result.models.map((m) => ({ model: m.modelName, ...decisionJson(m.decision) })),
        null,
        2,
      );
    return result.models.map((m) => renderDecisionText(`${values.env}/${m.modelName}`, m.decision)).join('\n\n');
  }

  const profile = profileFromFlags(values);
  const forceTarget = oneOf('force-target', values['force-target'], servingTargetSchema.options);
  const context: DecisionContext = {
    highAvailability: values.ha ?? false,
    sharedEksClusterName: values['shared-eks-cluster'],
    eksClusterInEnvironment: values['eks-cluster-in-environment'] ?? false,
    forceTarget,
    architecture,
  };
  const decision = decideServing(profile, context);
  return values.json ? JSON.stringify(decisionJson(decision), null, 2) : renderDecisionText(describeProfile(profile), decision);
}

try {
  process.stdout.write(`${run(process.argv.slice(2))}\n`);
} catch (error) {
  if (error instanceof UsageError || error instanceof ConfigError) {
    process.stderr.write(`decide: ${error.message}\n`);
    process.exitCode = 2;
  } else if (error instanceof DecisionError) {
    process.stderr.write(`decide: ${error.message}\n`);
    process.exitCode = 1;
  } else throw error;
}
