/**
 * Entry point of a training child: the process a worker forks to train its jobs in (one job at a time),
 * so that the CPU-bound training never blocks the worker's event loop and its lock renewals, and a crash
 * or out-of-memory kill of the compute backend takes down the child only.
 *
 * It loads the training processor, says `ready`, then trains each job the worker sends (`start`) until
 * the worker disconnects. A heartbeat goes to the worker every {@link HEARTBEAT_INTERVAL_MS} from a timer:
 * a child whose event loop is stuck stops sending them, and the worker ends it.
 *
 * @packageDocumentation
 */
import { createLogger } from '../src/logger.js';
import { AppError } from '../src/errors.js';
import processTrainingJob from './training-processor.js';
import {
  isParentMessage,
  type ChildMessage,
  type SerializedError,
  type StartMessage,
  type TrainingChildJob,
} from './training-child-protocol.js';

/**
 * How often the child tells the worker it is alive. Why 1 s: a frozen child is noticed within a few
 * seconds of the worker's timeout, and one small IPC message a second costs nothing.
 */
export const HEARTBEAT_INTERVAL_MS = 1_000;

const log = createLogger('training-child');

/** Sends a message; resolves once it is handed to the channel (rejects when the worker is gone). */
function send(message: ChildMessage): Promise<void> {
  return new Promise((resolve, reject) => {
    if (process.send === undefined || !process.connected) {
      reject(new Error('the worker process is gone'));
      return;
    }
    process.send(message, undefined, {}, (err) => (err ? reject(err) : resolve()));
  });
}

/** An error as the worker needs it: message, stack, code, and whether retrying can help. */
function serializeError(err: unknown): SerializedError {
  if (!(err instanceof Error)) return { name: 'Error', message: String(err), unrecoverable: false };
  const code = (err as { code?: unknown }).code;
  return {
    name: err.name,
    message: err.message,
    stack: err.stack,
    ...(typeof code === 'string' ? { code } : err instanceof AppError ? { code: err.code } : {}),
    // Why by name: the processor marks "retrying cannot help" with BullMQ's UnrecoverableError.
    unrecoverable: err.name === 'UnrecoverableError',
  };
}

/** The job in progress: its abort controller, so an `abort` message reaches the trainer. */
let running: AbortController | undefined;

async function runJob(message: StartMessage): Promise<void> {
  const controller = new AbortController();
  running = controller;
  const job: TrainingChildJob = {
    ...message.job,
    updateProgress: (record) => send({ type: 'progress', record }),
  };
  try {
    const result = await processTrainingJob(job, controller.signal);
    await send({ type: 'completed', result });
  } catch (err) {
    await send({ type: 'failed', error: serializeError(err) });
  } finally {
    running = undefined;
  }
}

// Why: if the worker dies (kill -9), this child must not train on unsupervised; the job's lock expires
// and another worker resumes it from the newest checkpoint.
process.on('disconnect', () => {
  log.warn('worker process is gone; exiting');
  process.exit(1);
});

// Why ignore them: Ctrl-C in a terminal sends SIGINT to the whole process group, this child included, and
// orchestrators may signal every process; the child must not die mid-step, but let its worker decide: the
// worker asks it over IPC to stop after its step and checkpoint, and ends it if it does not.
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => log.info({ signal }, 'signal ignored: the worker stops this child'));
}

process.on('message', (message: unknown) => {
  if (!isParentMessage(message)) return;
  if (message.type === 'abort') {
    running?.abort(message.reason);
    return;
  }
  if (running !== undefined) {
    log.error({ jobId: message.job.id }, 'a job was sent while another one runs; refusing it');
    void send({
      type: 'failed',
      error: { name: 'Error', message: 'the training child is busy', unrecoverable: false },
    }).catch(() => undefined);
    return;
  }
  runJob(message).catch((err: unknown) => {
    // Only a failure to report reaches here: the worker is gone, and `disconnect` ends this process.
    log.error({ err, jobId: message.job.id }, 'could not report the job to the worker');
  });
});

setInterval(() => void send({ type: 'heartbeat' }).catch(() => undefined), HEARTBEAT_INTERVAL_MS).unref();
// Why exit on failure: the worker died while this child was loading; `disconnect` may have fired already.
await send({ type: 'ready' }).catch(() => process.exit(1));
