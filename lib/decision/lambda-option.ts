import { SERVING_IMAGE_ARCHITECTURE } from './serving-architecture';
import {
  LAMBDA_COLD_START_MS,
  LAMBDA_FULL_VCPU_MB,
  LAMBDA_MAX_DURATION_MS,
  LAMBDA_MAX_MEMORY_MB,
  LAMBDA_MAX_PAYLOAD_KB,
  LAMBDA_MAX_RESERVED_CONCURRENCY,
  LAMBDA_MIN_RESERVED_CONCURRENCY,
  RUNTIME_OVERHEAD_MB,
  SECONDS_PER_MONTH,
} from './assumptions';
import { costLine, monthlyCost } from './cost-lines';
import type { CostLine, DecisionContext, LambdaSizing, TargetEvaluation, TrafficProfile } from './types';

const PRICE_IDS = {
  arm64: { duration: 'lambdaDurationArm', provisioned: 'lambdaProvisionedArm', provisionedDuration: 'lambdaProvisionedDurationArm' },
  x86_64: { duration: 'lambdaDurationX86', provisioned: 'lambdaProvisionedX86', provisionedDuration: 'lambdaProvisionedDurationX86' },
} as const;

/** Concurrent executions at peak: the Poisson mean plus three standard deviations, so a burst rarely finds no warm environment. */
function peakConcurrency(peakRps: number, durationMs: number): number {
  const load = (peakRps * durationMs) / 1000;
  return Math.max(1, Math.ceil(load + 3 * Math.sqrt(load)));
}

export function evaluateLambda(profile: TrafficProfile, context: DecisionContext): TargetEvaluation<LambdaSizing> {
  const architecture = context.architecture ?? SERVING_IMAGE_ARCHITECTURE;
  // At least one full vCPU: below it CPU shrinks with memory, so GB-s stay the same while latency grows.
  const memoryMb = Math.max(LAMBDA_FULL_VCPU_MB, profile.memoryMb + RUNTIME_OVERHEAD_MB);
  const billedDurationMs = Math.ceil(profile.computeMsPerInference);
  const concurrency = peakConcurrency(profile.peakRps, billedDurationMs);
  const reservedConcurrency = Math.max(LAMBDA_MIN_RESERVED_CONCURRENCY, 2 * concurrency);

  const violations: string[] = [];
  if (profile.gpu) violations.push('needs a GPU; Lambda has none');
  if (profile.payloadKb > LAMBDA_MAX_PAYLOAD_KB) violations.push(`payload ${profile.payloadKb} KB exceeds the 6 MB synchronous invocation limit`);
  if (profile.computeMsPerInference > LAMBDA_MAX_DURATION_MS) violations.push(`compute ${profile.computeMsPerInference} ms exceeds the 15-minute timeout`);
  if (memoryMb > LAMBDA_MAX_MEMORY_MB)
    violations.push(`needs ${memoryMb} MB (model ${profile.memoryMb} MB + ${RUNTIME_OVERHEAD_MB} MB runtime); Lambda's maximum is ${LAMBDA_MAX_MEMORY_MB} MB`);
  if (billedDurationMs > profile.p99LatencyMs) violations.push(`one inference takes ${billedDurationMs} ms, above the p99 SLO of ${profile.p99LatencyMs} ms`);
  if (reservedConcurrency > LAMBDA_MAX_RESERVED_CONCURRENCY) {
    violations.push(`needs ${reservedConcurrency} reserved concurrent executions; the default account quota leaves ${LAMBDA_MAX_RESERVED_CONCURRENCY}`);
  }
  if (violations.length > 0) return { feasible: false, target: 'lambda', violations };

  // Lambda recycles environments and scales out on bursts, so even dense traffic meets cold starts; sparse
  // traffic meets mostly cold ones. Pricing provisioned concurrency whenever the SLO cannot absorb one keeps
  // the cost monotone in traffic and errs toward the configuration that holds the SLO.
  const coldStartBreaksSlo = profile.p99LatencyMs < LAMBDA_COLD_START_MS + billedDurationMs;
  const provisionedConcurrency = coldStartBreaksSlo ? concurrency : 0;
  const memoryGb = memoryMb / 1024;
  const gbSeconds = (profile.monthlyRequests * billedDurationMs * memoryGb) / 1000;
  const prices = PRICE_IDS[architecture];

  const lines: CostLine[] = [costLine('requests', profile.monthlyRequests / 1_000_000, 'M requests', 'lambdaRequests')];
  const notes: string[] = [];
  if (provisionedConcurrency > 0) {
    lines.push(
      costLine(
        `provisioned concurrency (${provisionedConcurrency} x ${memoryMb} MB, all month)`,
        provisionedConcurrency * memoryGb * SECONDS_PER_MONTH,
        'GB-s',
        prices.provisioned,
      ),
    );
    lines.push(costLine(`duration on provisioned concurrency (${billedDurationMs} ms x ${memoryMb} MB)`, gbSeconds, 'GB-s', prices.provisionedDuration));
    notes.push(
      `a cold start (~${LAMBDA_COLD_START_MS} ms) does not fit the p99 SLO of ${profile.p99LatencyMs} ms, so ${provisionedConcurrency} provisioned concurrent executions are priced`,
    );
  } else {
    lines.push(costLine(`duration (${billedDurationMs} ms x ${memoryMb} MB)`, gbSeconds, 'GB-s', prices.duration));
  }

  const sizing: LambdaSizing = {
    target: 'lambda',
    architecture,
    memoryMb,
    timeoutSeconds: Math.min(900, Math.max(10, Math.ceil((LAMBDA_COLD_START_MS + 3 * billedDurationMs) / 1000))),
    peakConcurrency: concurrency,
    reservedConcurrency,
    provisionedConcurrency,
    billedDurationMs,
  };
  return { feasible: true, option: { target: 'lambda', sizing, cost: monthlyCost(lines), notes } };
}
