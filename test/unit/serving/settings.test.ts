import { SettingsError } from '../../../serving/src/errors';
import { DEFAULT_MODEL_CONFIG, parseModelConfig } from '../../../serving/src/model-config';
import { loadSettings } from '../../../serving/src/settings';

describe('loadSettings', () => {
  const cpus = () => 3;

  it('applies the documented defaults', () => {
    expect(loadSettings({ MODEL_REPOSITORY: 'serving/models' }, [], cpus)).toEqual({
      modelRepository: 'serving/models',
      host: '127.0.0.1',
      port: 8080,
      pollIntervalMs: 30_000,
      intraOpThreads: 3,
      interOpThreads: 1,
      maxBodyBytes: 6 * 1024 * 1024,
      maxHeaderBytes: 16 * 1024,
      jsonLimits: { maxDepth: 32, maxValues: 4 * 1024 * 1024 },
      headersTimeoutMs: 10_000,
      httpRequestTimeoutMs: 60_000,
      keepAliveTimeoutMs: 65_000,
      drainTimeoutMs: 25_000,
      sagemakerModel: undefined,
      servedModels: undefined,
      versionSelection: { kind: 'latest' },
      executionProviders: ['cpu'],
      s3ForcePathStyle: false,
      logLevel: 'INFO',
    });
  });

  it('lets CLI flags override the environment, and ignores a positional "serve" (SageMaker)', () => {
    const settings = loadSettings(
      { MODEL_REPOSITORY: 'a', PORT: '9000', ORT_INTRA_OP_THREADS: '1' },
      ['serve', '--model-repository', 's3://b/p', '--port', '8081', '--host', '0.0.0.0'],
      cpus,
    );
    expect(settings).toMatchObject({ modelRepository: 's3://b/p', port: 8081, host: '0.0.0.0', intraOpThreads: 1 });
  });

  it('SERVED_MODELS limits the models to a comma-separated list of names', () => {
    expect(loadSettings({ MODEL_REPOSITORY: 'a', SERVED_MODELS: 'churn-classifier,fraud-scorer' }, [], cpus).servedModels).toEqual([
      'churn-classifier',
      'fraud-scorer',
    ]);
    expect(() => loadSettings({ MODEL_REPOSITORY: 'a', SERVED_MODELS: 'churn classifier' }, [], cpus)).toThrow(
      /SERVED_MODELS="churn classifier": a comma-separated list of model names/,
    );
  });

  it('SERVED_MODEL_VERSION pins the one served model to a version, or to none before any approval', () => {
    const pinned = (version: string) =>
      loadSettings({ MODEL_REPOSITORY: 'a', SERVED_MODELS: 'churn', SERVED_MODEL_VERSION: version }, [], cpus).versionSelection;
    expect(pinned('7')).toEqual({ kind: 'pinned', model: 'churn', version: '7' });
    expect(pinned('none')).toEqual({ kind: 'pinned', model: 'churn', version: undefined });
    expect(() => pinned('latest')).toThrow(/SERVED_MODEL_VERSION="latest": a version number, or none/);
    expect(() => loadSettings({ MODEL_REPOSITORY: 'a', SERVED_MODEL_VERSION: '7' }, [], cpus)).toThrow(
      /SERVED_MODEL_VERSION="7": .*SERVED_MODELS must name exactly one model \(got null\)/,
    );
    expect(() => loadSettings({ MODEL_REPOSITORY: 'a', SERVED_MODELS: 'a,b', SERVED_MODEL_VERSION: '7' }, [], cpus)).toThrow(/exactly one model \(got "a,b"\)/);
  });

  it('names every bad key, its value and the rule', () => {
    expect(() => loadSettings({ PORT: 'eighty' }, [], cpus)).toThrow(SettingsError);
    expect(() => loadSettings({ PORT: 'eighty' }, [], cpus)).toThrow(
      /--model-repository \/ MODEL_REPOSITORY is missing: set it to a folder or s3:\/\/bucket\/prefix; --port \/ PORT="eighty": /,
    );
    expect(() => loadSettings({ MODEL_REPOSITORY: 'a' }, ['--prot', '1'], cpus)).toThrow(/--prot.*flags: --model-repository/);
  });
});

describe('parseModelConfig', () => {
  it('uses the documented defaults for a missing or empty config.json', () => {
    const defaults = {
      maxBatchSize: 32,
      maxQueueDelayMicros: 0,
      maxQueueSize: 256,
      requestTimeoutMs: 30_000,
      instances: 1,
      executor: 'worker',
      allowNonFinite: false,
      allowSignatureChange: false,
    };
    expect(parseModelConfig(undefined)).toEqual(defaults);
    expect(parseModelConfig('{}')).toEqual(defaults);
    expect(DEFAULT_MODEL_CONFIG).toEqual(defaults);
  });

  it('rejects unknown keys, bad values and bad JSON with the key named', () => {
    expect(() => parseModelConfig('{"maxBatchSise": 8}')).toThrow(/config.json is invalid: .*maxBatchSise/);
    expect(() => parseModelConfig('{"maxBatchSize": -1}')).toThrow(/maxBatchSize: /);
    expect(() => parseModelConfig('{')).toThrow(/not valid JSON/);
    expect(() => parseModelConfig('{"executor": "gpu"}')).toThrow(/executor: /);
  });
});
