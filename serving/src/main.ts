import { HttpServingServer } from './adapters/http-server';
import { createServingApp } from './app';
import { SettingsError } from './errors';
import { createLogger } from './logger';
import { httpLimitsOf, loadSettings, servingHelp } from './settings';

/** HTTP entry point (ECS Fargate, EKS, SageMaker, local): `node main.js [serve] [--model-repository DIR|s3://…] [--port N] [--host H]`. */
async function main(): Promise<void> {
  if (process.argv.slice(2).includes('--help')) {
    process.stdout.write(`${servingHelp()}\n`);
    return;
  }
  const settings = loadSettings(process.env, process.argv.slice(2));
  const app = createServingApp(settings);
  const http = new HttpServingServer(app.core, httpLimitsOf(settings), app.logger, app.metrics);
  // Listen first: liveness answers while models load, readiness turns true after.
  const address = await http.listen(settings.port, settings.host);
  app.logger.info('listening', {
    host: address.address,
    port: address.port,
    modelRepository: settings.modelRepository,
    intraOpThreads: settings.intraOpThreads,
  });

  let stopping = false;
  const stop = async (signal: string): Promise<void> => {
    if (stopping) return;
    stopping = true;
    app.logger.info('draining', { signal, drainTimeoutMs: settings.drainTimeoutMs });
    setTimeout(() => process.exit(1), settings.drainTimeoutMs + 5000).unref();
    const finished = await http.drain(settings.drainTimeoutMs);
    await app.capture?.close();
    await app.repository.close();
    app.logger.info('stopped', { allInflightFinished: finished });
    process.exit(finished ? 0 : 1);
  };
  process.on('SIGTERM', () => void stop('SIGTERM'));
  process.on('SIGINT', () => void stop('SIGINT'));

  const report = await app.repository.start();
  app.logger.info('model repository scanned', { loaded: report.loaded, failed: report.failed.map((e) => e.message), ready: app.core.ready });
}

main().catch((error: unknown) => {
  const logger = createLogger();
  // A settings problem is the user's to fix: its one line says which flag or variable; no stack trace.
  if (error instanceof SettingsError) logger.error(error.message);
  else logger.error('serving failed to start', { error: error as Error });
  process.exit(2);
});
