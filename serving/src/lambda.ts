import { createLambdaHandler } from './adapters/lambda-adapter';
import { InvocationFigures } from './adapters/lambda-figures';
import { createServingApp } from './app';
import { flushAfterEachInvocation } from './capture/lambda-flush';
import { loadSettings } from './settings';

/**
 * Lambda entry point (container image CMD `lambda.handler`): settings from the
 * environment, the first repository scan starts at init and the first invocation awaits it.
 */
const settings = loadSettings(process.env);
/** Exported so tests can close its sessions; Lambda itself only calls `handler`. */
export const servingApp = createServingApp(settings, undefined, { captureMode: 'on-demand' });

export const handler = flushAfterEachInvocation(
  createLambdaHandler({
    core: servingApp.core,
    logger: servingApp.logger,
    maxBodyBytes: settings.maxBodyBytes,
    started: servingApp.repository.start(),
    figures: new InvocationFigures(servingApp.metrics),
  }),
  servingApp.capture,
);
