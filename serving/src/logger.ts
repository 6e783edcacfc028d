import { Logger } from '@aws-lambda-powertools/logger';

/** Structured JSON logs on stdout (Powertools Logger works outside Lambda too). */
export function createLogger(level: string = process.env.LOG_LEVEL ?? 'INFO'): Logger {
  return new Logger({ serviceName: 'onnx-serving', logLevel: level.toUpperCase() as 'INFO' });
}

export type ServingLogger = Pick<Logger, 'debug' | 'info' | 'warn' | 'error'>;
