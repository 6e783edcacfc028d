describe('ingest handler module', () => {
  const saved = process.env.SILVER_BUCKET;
  afterEach(() => {
    if (saved === undefined) delete process.env.SILVER_BUCKET;
    else process.env.SILVER_BUCKET = saved;
  });

  it('fails at init, naming the variable, when SILVER_BUCKET is not set', () => {
    delete process.env.SILVER_BUCKET;
    jest.isolateModules(() => {
      expect(() => require('../../../../lambdas/ingest/handler')).toThrow('Environment variable SILVER_BUCKET is required but not set');
    });
  });

  it('exports an SQS handler when configured', () => {
    process.env.SILVER_BUCKET = 'silver';
    jest.isolateModules(() => {
      const { handler } = require('../../../../lambdas/ingest/handler') as { handler: unknown };
      expect(typeof handler).toBe('function');
    });
  });
});
