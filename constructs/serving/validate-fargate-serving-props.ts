import type { Duration } from 'aws-cdk-lib';
import { InvalidPropError } from '../shared/prop-validation';
import { type FargateServingProps, LOAD_BALANCER_IDLE_TIMEOUT } from './fargate-serving-props';
import { validateErrorRateThresholdPercent } from './serving-alarms';

/** The props with their defaults resolved, as the constructor uses them. */
export interface ResolvedFargateServingProps {
  readonly scrapeIntervalSeconds: number;
  readonly latencyObjective: Duration;
  readonly errorRateThresholdPercent: number;
  readonly startupAllowance: Duration;
}

export function validateFargateServingProps(props: FargateServingProps, resolved: ResolvedFargateServingProps): void {
  const { scrapeIntervalSeconds, latencyObjective } = resolved;
  const { sizing } = props;
  if ((props.internetFacing ?? false) && !props.certificate) {
    throw new InvalidPropError('FargateServing', 'internetFacing', true, 'only together with certificate: an internet-facing endpoint speaks HTTPS only');
  }
  if (!(sizing.minTasks >= 1 && sizing.minTasks <= sizing.maxTasks)) {
    throw new InvalidPropError('FargateServing', 'sizing.minTasks', sizing.minTasks, `at least 1 and at most sizing.maxTasks (${sizing.maxTasks})`);
  }
  if (sizing.appCpuUnits + sizing.sidecarCpuUnits > sizing.taskCpuUnits) {
    throw new InvalidPropError(
      'FargateServing',
      'sizing.appCpuUnits',
      sizing.appCpuUnits,
      `at most sizing.taskCpuUnits - sizing.sidecarCpuUnits (${sizing.taskCpuUnits - sizing.sidecarCpuUnits})`,
    );
  }
  if (sizing.appMemoryMiB + sizing.sidecarMemoryMiB > sizing.taskMemoryMiB) {
    throw new InvalidPropError(
      'FargateServing',
      'sizing.appMemoryMiB',
      sizing.appMemoryMiB,
      `at most sizing.taskMemoryMiB - sizing.sidecarMemoryMiB (${sizing.taskMemoryMiB - sizing.sidecarMemoryMiB})`,
    );
  }
  if (!(Number.isInteger(scrapeIntervalSeconds) && scrapeIntervalSeconds >= 1)) {
    throw new InvalidPropError('FargateServing', 'scrapeIntervalSeconds', scrapeIntervalSeconds, 'a whole number of seconds, at least 1');
  }
  const objectiveMs = latencyObjective.toMilliseconds();
  const idleTimeoutMs = LOAD_BALANCER_IDLE_TIMEOUT.toMilliseconds();
  if (!(objectiveMs > 0 && objectiveMs < idleTimeoutMs)) {
    throw new InvalidPropError(
      'FargateServing',
      'latencyObjective',
      `${objectiveMs} ms`,
      `above 0 and below the load balancer idle timeout (${idleTimeoutMs} ms): slower responses end in a 504 from the load balancer`,
    );
  }
  validateErrorRateThresholdPercent('FargateServing', resolved.errorRateThresholdPercent);
  const startupSeconds = resolved.startupAllowance.toSeconds({ integral: false });
  if (!(Number.isInteger(startupSeconds) && startupSeconds >= 1 && startupSeconds <= 2_147_483_647)) {
    throw new InvalidPropError(
      'FargateServing',
      'startupAllowance',
      `${startupSeconds} s`,
      'a whole number of seconds, at least 1 (the ECS health-check grace period)',
    );
  }
}
