describe('ingest handler module', () => {
  const saved = { SILVER_BUCKET: process.env.SILVER_BUCKET, QUARANTINE_PREFIX: process.env.QUARANTINE_PREFIX };
  afterEach(() => {
    for (const [name, value] of Object.entries(saved)) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  });

  it('fails at init, naming the variable, when SILVER_BUCKET is not set', () => {
    delete process.env.SILVER_BUCKET;
    jest.isolateModules(() => {
      expect(() => require('../../../../lambdas/ingest/handler')).toThrow('Environment variable SILVER_BUCKET is required but not set');
    });
  });

  it('fails at init when QUARANTINE_PREFIX (the lakehouse layout the role is granted on) is not set', () => {
    process.env.SILVER_BUCKET = 'silver';
    delete process.env.QUARANTINE_PREFIX;
    jest.isolateModules(() => {
      expect(() => require('../../../../lambdas/ingest/handler')).toThrow('Environment variable QUARANTINE_PREFIX is required but not set');
    });
  });

  it('exports an SQS handler when configured', () => {
    process.env.SILVER_BUCKET = 'silver';
    process.env.QUARANTINE_PREFIX = 'quarantine/';
    jest.isolateModules(() => {
      const { handler } = require('../../../../lambdas/ingest/handler') as { handler: unknown };
      expect(typeof handler).toBe('function');
    });
  });
});
