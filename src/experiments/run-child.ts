/**
 * Entry of a training process of the experiment runner: takes one {@link RunRequest} over IPC, runs it
 * and exits. SIGTERM or SIGINT stops it after the step in progress with a mid-epoch checkpoint, so the
 * run continues from there next time.
 *
 * Messages to the parent: `{ type: 'point', step, totalSteps }` per curve point, then
 * `{ type: 'done', file }` or `{ type: 'failed', message, code? }`.
 *
 * @packageDocumentation
 */
import { setLogLevel } from '../logger.js';
import { selectBackend, type BackendChoice } from '../tf/index.js';
import { executeRun, type RunRequest } from './execute-run.js';
import { resultPath } from './results-store.js';

/** A message from the runner to its training process. */
export interface RunChildRequest {
  type: 'run';
  request: RunRequest;
}

/** A message from a training process to the runner. */
export type RunChildMessage =
  | { type: 'point'; step: number; totalSteps: number }
  | { type: 'done'; file: string }
  | { type: 'failed'; message: string; code?: string };

const controller = new AbortController();
for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  process.on(signal, () => controller.abort(signal));
}

function send(message: RunChildMessage): Promise<void> {
  return new Promise((resolve) => {
    if (!process.send) return resolve();
    process.send(message, undefined, {}, () => resolve());
  });
}

process.once('message', (message: RunChildRequest) => {
  void (async () => {
    try {
      setLogLevel((process.env['LOG_LEVEL'] as 'warn' | undefined) ?? 'warn');
      await selectBackend((process.env['TF_BACKEND'] as BackendChoice | undefined) ?? 'auto');
      await executeRun(message.request, {
        signal: controller.signal,
        onCurvePoint: (point, totalSteps) => void send({ type: 'point', step: point.step, totalSteps }),
      });
      await send({ type: 'done', file: resultPath(message.request.resultsDir, message.request.run.id) });
      process.exitCode = 0;
    } catch (error) {
      const code = (error as { code?: unknown }).code;
      await send({
        type: 'failed',
        message: error instanceof Error ? error.message : String(error),
        ...(typeof code === 'string' ? { code } : {}),
      });
      process.exitCode = 1;
    } finally {
      // Why the check: a Ctrl-C reaches the runner and this process at once, and the runner's side of the
      // channel may be gone already.
      if (process.connected) process.disconnect();
    }
  })();
});
