import type { InferenceCapture } from './inference-capture';

/**
 * Lambda freezes the environment once the handler returns, so a background flush would stall: the handler itself
 * writes the capture buffers before returning, but only when they are due (flush interval up or a buffer full) —
 * every other invocation pays one clock read. Capture never fails the invocation: flush never rejects.
 */
export function flushAfterEachInvocation<E, C, R>(handler: (event: E, context?: C) => Promise<R>, capture: InferenceCapture | undefined) {
  if (capture === undefined) return handler;
  return async (event: E, context?: C): Promise<R> => {
    const response = await handler(event, context);
    await capture.flushIfDue();
    return response;
  };
}
