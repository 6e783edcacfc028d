import { InvalidPropError } from '../shared/prop-validation';
import type { FargateServingProps } from './fargate-serving-props';

export function validateFargateServingProps(props: FargateServingProps, scrapeIntervalSeconds: number): void {
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
}
