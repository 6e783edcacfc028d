import { ConfigError, datasetThresholds, loadEnvironment, monitoringConfigSchema } from '../../../../lib/config';
import { cdkContext } from '../../../support/cdk-context';

const withMonitoring = (monitoring: unknown) => {
  const envs = structuredClone(cdkContext().environments) as Record<string, Record<string, unknown>>;
  envs.dev.monitoring = monitoring;
  return envs;
};

function messageOf(monitoring: unknown): string {
  try {
    loadEnvironment(withMonitoring(monitoring), 'dev');
  } catch (error) {
    if (error instanceof ConfigError) return error.message;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

describe('monitoring config', () => {
  test('defaults: 5% quarantine ratio, 24 h freshness, no Grafana', () => {
    expect(monitoringConfigSchema.parse({})).toEqual({ quarantineRatioThreshold: 0.05, silverFreshnessHours: 24, datasets: {} });
  });

  test('a dataset override wins over the environment threshold, the rest falls back', () => {
    const config = monitoringConfigSchema.parse({ quarantineRatioThreshold: 0.1, datasets: { 'customer-events': { silverFreshnessHours: 2 } } });
    expect(datasetThresholds(config, 'customer-events')).toEqual({ quarantineRatioThreshold: 0.1, silverFreshnessHours: 2 });
    expect(datasetThresholds(config, 'other')).toEqual({ quarantineRatioThreshold: 0.1, silverFreshnessHours: 24 });
  });

  test.each([
    [{ quarantineRatioThreshold: 1.5 }, /monitoring\.quarantineRatioThreshold/],
    [{ silverFreshnessHours: 200 }, /monitoring\.silverFreshnessHours/],
    [{ datasets: { 'Bad Name': {} } }, /monitoring\.datasets/],
    [{ grafana: { authentication: 'LDAP' } }, /monitoring\.grafana\.authentication/],
    [
      { grafana: { authentication: 'SAML', samlMetadataUrl: 'http://idp.example.com/metadata', adminGroups: ['admins'] } },
      /monitoring\.grafana\.samlMetadataUrl/,
    ],
    [{ typo: 1 }, /monitoring/],
  ])('%j fails with one line naming the key', (monitoring, key) => {
    const message = messageOf(monitoring);
    expect(message).toMatch(key);
    expect(message.split('\n').filter((line) => line.includes('monitoring'))).toHaveLength(1);
  });
});
