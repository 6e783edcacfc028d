import { ConfigError, loadEnvironment, type EnvironmentConfig } from '../../../../lib/config';
import { DEFAULT_DRIFT_THRESHOLDS } from '../../../../lib/drift';
import { cdkContext } from '../../../support/cdk-context';

const sampleEnvironments = () => structuredClone(cdkContext().environments) as Record<string, Record<string, unknown> & EnvironmentConfig>;

function messageOf(fn: () => unknown): string {
  try {
    fn();
  } catch (error) {
    if (error instanceof ConfigError) return error.message;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

describe('drift config', () => {
  test('thresholds default when only the capture fraction is given; the schedule defaults to hourly', () => {
    const envs = sampleEnvironments();
    envs.dev.models[0].drift = { captureSampleFraction: 0.5 } as never;
    delete (envs.dev as Record<string, unknown>).driftDetection;
    const env = loadEnvironment(envs, 'dev').config;
    expect(env.models[0].drift).toEqual({ captureSampleFraction: 0.5, ...DEFAULT_DRIFT_THRESHOLDS });
    expect(env.driftDetection).toEqual({ scheduleMinutes: 60 });
  });

  test('a model without a drift block has no capture and no detection', () => {
    const envs = sampleEnvironments();
    delete envs.dev.models[0].drift;
    expect(loadEnvironment(envs, 'dev').config.models[0].drift).toBeUndefined();
  });

  test.each([
    ['captureSampleFraction', 1.5, /models\[0\]\.drift\.captureSampleFraction \(model 'churn-classifier'\): got 1\.5; .*<=1/],
    ['ksStatistic', 0, /models\[0\]\.drift\.ksStatistic \(model 'churn-classifier'\): got 0; .*>0/],
    ['minSamples', 2.5, /models\[0\]\.drift\.minSamples \(model 'churn-classifier'\): got 2\.5; .*int/],
    ['psiTreshold', 0.2, /models\[0\]\.drift\.psiTreshold \(model 'churn-classifier'\): got 0\.2; unknown key/],
  ])('a bad %s names the key, the value and what is allowed', (key, value, message) => {
    const envs = sampleEnvironments();
    (envs.dev.models[0].drift as unknown as Record<string, unknown>)[key] = value;
    expect(messageOf(() => loadEnvironment(envs, 'dev'))).toMatch(message);
  });
});
