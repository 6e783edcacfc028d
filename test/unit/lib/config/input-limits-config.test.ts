import { ConfigError, loadEnvironment, type EnvironmentConfig } from '../../../../lib/config';
import { DEFAULT_INGEST_MAX_RECORD_BYTES } from '../../../../lib/config/ingest';
import { archiveLimitsOf, DEFAULT_PROMOTION_CONFIG } from '../../../../lib/config/promotion';
import { ingestLimitsFromEnv } from '../../../../lambdas/ingest/ingest-limits';
import { cdkContext } from '../../../support/cdk-context';

const dev = () => structuredClone((cdkContext().environments as Record<string, unknown>).dev) as Record<string, unknown>;

describe('ingest config', () => {
  test('defaults to 1 MiB per record when the block is absent', () => {
    const env = dev();
    delete env.ingest;
    expect(loadEnvironment({ dev: env as unknown as EnvironmentConfig }, 'dev').config.ingest).toEqual({ maxRecordBytes: DEFAULT_INGEST_MAX_RECORD_BYTES });
  });

  test('a limit below 1 KiB fails with one line naming the key, the value and the bound', () => {
    const env = { ...dev(), ingest: { maxRecordBytes: 10 } };
    expect(() => loadEnvironment({ dev: env as unknown as EnvironmentConfig }, 'dev')).toThrow(ConfigError);
    expect(() => loadEnvironment({ dev: env as unknown as EnvironmentConfig }, 'dev')).toThrow(
      'environments.dev.ingest.maxRecordBytes: got 10; Too small: expected number to be >=1024',
    );
  });

  test('the function reads the limit from its environment, and refuses a bad one by name', () => {
    expect(ingestLimitsFromEnv({})).toEqual({ maxRecordBytes: DEFAULT_INGEST_MAX_RECORD_BYTES });
    expect(ingestLimitsFromEnv({ INGEST_MAX_RECORD_BYTES: '4096' })).toEqual({ maxRecordBytes: 4096 });
    expect(() => ingestLimitsFromEnv({ INGEST_MAX_RECORD_BYTES: 'lots' })).toThrow(/^INGEST_MAX_RECORD_BYTES="lots": /);
  });
});

describe('promotion config', () => {
  const MIB = 1024 * 1024;
  test("sizes each model's limits from its serving memory unless maxModelMb is set", () => {
    expect(archiveLimitsOf(DEFAULT_PROMOTION_CONFIG, 4096)).toEqual({
      maxModelBytes: 2048 * MIB,
      maxExpandedBytes: 4160 * MIB,
      maxEntries: 1000,
      maxHeaderBytes: 16384,
    });
    expect(archiveLimitsOf({ ...DEFAULT_PROMOTION_CONFIG, maxModelMb: 100, maxExpandedMb: 150 }, 4096)).toMatchObject({
      maxModelBytes: 100 * MIB,
      maxExpandedBytes: 150 * MIB,
    });
  });

  test('a header limit below one tar block fails with one line naming the key, the value and the bound', () => {
    const env = { ...dev(), promotion: { maxArchiveHeaderBytes: 100 } };
    expect(() => loadEnvironment({ dev: env as unknown as EnvironmentConfig }, 'dev')).toThrow(
      'environments.dev.promotion.maxArchiveHeaderBytes: got 100; Too small: expected number to be >=512',
    );
  });
});
