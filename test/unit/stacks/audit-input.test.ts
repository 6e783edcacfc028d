import { loadEnvironment } from '../../../lib/config';
import { auditedConfigOf } from '../../../stacks/audit-input';
import { cdkContext } from '../../support/cdk-context';

describe('auditedConfigOf', () => {
  test('an environment with training lists its monthly SageMaker budget as a cap from the config', () => {
    const { config } = loadEnvironment(cdkContext().environments, 'prod');
    expect(config.training).toBeDefined();
    expect(auditedConfigOf(config).budgets).toEqual([
      expect.objectContaining({ monthlyUsd: config.training!.budget.monthlyUsd, source: expect.stringContaining('training.budget.monthlyUsd') }),
    ]);
  });

  test('an environment without training lists no budget', () => {
    const { config } = loadEnvironment(cdkContext().environments, 'dev');
    expect(auditedConfigOf({ ...config, training: undefined }).budgets).toEqual([]);
  });

  test('an environment with Grafana passes the users it expects, which price the workspace', () => {
    const { config } = loadEnvironment(cdkContext().environments, 'prod');
    expect(config.monitoring.grafana).toBeDefined();
    expect(auditedConfigOf(config).grafanaUsers).toEqual(config.monitoring.grafana!.expectedUsers);
  });
});
