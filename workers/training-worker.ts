/**
 * Entry point of a training worker process (`npm run start:worker`; `npm start` runs one beside the API).
 *
 * It takes jobs from the training queue, `WORKER_CONCURRENCY` at a time (one per core on CPU backends, one
 * per process on a GPU), and trains each in a training child process of its own (`training-job-worker`).
 * It refuses to start when Redis evicts keys. On SIGTERM or SIGINT it lets the steps in progress finish,
 * checkpoints, puts the jobs back in the queue and exits 0;
 * a later signal exits at once (the job is then recovered as stalled and resumed from its newest
 * checkpoint, as after `kill -9`), except one within `SAME_STOP_WINDOW_MS` of the first: that is the
 * terminal's Ctrl-C and `npm start` relaying it, part of the same stop. Start-up and shutdown follow
 * src/lifecycle.ts, as the service's do.
 *
 * @packageDocumentation
 */
import { availableParallelism, hostname } from 'node:os';
import { extname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Queue } from 'bullmq';
import type { Config } from '../src/config.js';
import {
  closeOnShutdownSignals,
  exitWithMessage,
  loadConfigOrExit,
  WORKER_GRACE_PERIOD_MS,
} from '../src/lifecycle.js';
import { createLogger, setLogLevel, type Logger } from '../src/logger.js';
import { removeStaleTemporaryDirs } from '../src/model/temporary-files.js';
import {
  archiveCancelledJob,
  cancellationRequestedAt,
  JobResumedError,
} from '../src/queue/cancelled-jobs.js';
import type { TrainingJobData } from '../src/queue/job-schemas.js';
import { QUEUE_PREFIX, trainingQueueKeys } from '../src/queue/queue-names.js';
import { checkRedisSettings, createRedisConnection } from '../src/queue/redis-connection.js';
import { CancelWatcher } from './cancel-watcher.js';
import { TrainingJobWorker } from './training-job-worker.js';
import { coresPerSlot, nativeBackendInstalled, resolveWorkerConcurrency } from './worker-concurrency.js';
import { isEntryPoint } from '../src/entry-point.js';

/** Prefix of the lines written to stderr. */
const STDERR_PREFIX = 'scene-mtl worker:';

/**
 * The training child's entry, beside this file with the same extension (`.ts` under tsx, `.js` once built).
 * Why a separate process: see `training-child-process.ts`.
 */
export const TRAINING_CHILD_ENTRY = fileURLToPath(
  new URL(`./training-child-main${extname(fileURLToPath(import.meta.url))}`, import.meta.url),
);

/**
 * How long a training child may take to checkpoint and stop after an abort before it is killed.
 * Why 10 s less than the worker's grace period: the worker still moves the job back to the queue and
 * closes its connections after the child has stopped, within the budget of whoever stops it.
 */
export const CHILD_ABORT_GRACE_MS = WORKER_GRACE_PERIOD_MS - 10_000;

/** A running worker. */
export interface RunningWorker {
  worker: TrainingJobWorker;
  /** Checkpoints the job in progress, puts it back in the queue and closes everything. */
  stop(): Promise<void>;
}

/**
 * Connects to Redis, checks its settings and starts the worker.
 *
 * @param config - The validated configuration (with `REDIS_URL`).
 * @throws Error listing the Redis problems when Redis is unfit for BullMQ.
 */
export async function startTrainingWorker(config: Config & { REDIS_URL: string }): Promise<RunningWorker> {
  const log = createLogger('worker');
  const redis = createRedisConnection(config.REDIS_URL, 'worker', log);
  const report = await checkRedisSettings(redis);
  if (report.problems.length > 0) {
    redis.disconnect();
    throw new Error(report.problems.join('\n'));
  }
  const keys = trainingQueueKeys(config.QUEUE_NAME);
  const queue = new Queue<TrainingJobData>(config.QUEUE_NAME, { connection: redis, prefix: QUEUE_PREFIX });
  queue.on('error', () => undefined);
  const cores = availableParallelism();
  const concurrency = resolveWorkerConcurrency(config.WORKER_CONCURRENCY, config.TF_BACKEND, {
    cores,
    nativeBackend: nativeBackendInstalled(),
  });
  const trainingWorker = new TrainingJobWorker(config.QUEUE_NAME, {
    connection: redis,
    keys,
    prefix: QUEUE_PREFIX,
    name: `${hostname()}:${process.pid}`,
    // Each job in a slot of its own, with a training child of its own.
    concurrency,
    coresPerSlot: coresPerSlot(cores, concurrency),
    lockDuration: config.WORKER_LOCK_DURATION_MS,
    stalledInterval: config.WORKER_STALLED_INTERVAL_MS,
    maxStalledCount: config.WORKER_MAX_STALLED_COUNT,
    // Child processes, not threads: a crash or OOM of the backend takes down the child only.
    child: {
      entry: TRAINING_CHILD_ENTRY,
      startupTimeoutMs: config.WORKER_CHILD_STARTUP_TIMEOUT_MS,
      heartbeatTimeoutMs: config.WORKER_CHILD_HEARTBEAT_TIMEOUT_MS,
    },
    abortGraceMs: CHILD_ABORT_GRACE_MS,
    artifactDir: config.ARTIFACT_DIR,
    logger: log,
  });
  await removeLeftovers(queue, config.ARTIFACT_DIR, log);
  const { worker } = trainingWorker;
  const watcher = new CancelWatcher(worker, redis, keys, log);
  worker.on('active', (job) =>
    log.info({ jobId: job.id, attempt: job.attemptsMade + 1 }, 'training job started'),
  );
  worker.on('completed', (job) => log.info({ jobId: job.id }, 'training job completed'));
  worker.on('failed', (job, err) => {
    if (job === undefined) return;
    void (async () => {
      const cancelled =
        job.id !== undefined && (await cancellationRequestedAt(redis, keys, job.id)) !== undefined;
      if (cancelled) {
        await archiveCancelledJob(queue, redis, keys, job);
        log.info({ jobId: job.id }, 'training job cancelled');
      } else {
        log.warn(
          { jobId: job.id, err: { message: err.message, stack: err.stack } },
          'training job attempt failed',
        );
      }
    })().catch((archiveError: unknown) => {
      if (archiveError instanceof JobResumedError) {
        log.info({ jobId: job.id }, 'cancelled training job was resumed before its archive: left queued');
      } else {
        log.error({ err: archiveError, jobId: job.id }, 'could not archive a cancelled job');
      }
    });
  });
  worker.on('error', (err) => log.error({ err }, 'worker error'));
  watcher.start();
  await trainingWorker.waitUntilReady();
  log.info(
    {
      queue: config.QUEUE_NAME,
      redis: { version: report.version },
      lockDurationMs: config.WORKER_LOCK_DURATION_MS,
      concurrency,
      coresPerSlot: coresPerSlot(cores, concurrency),
    },
    'training worker ready',
  );

  let stopping: Promise<void> | undefined;
  const stop = (): Promise<void> => {
    stopping ??= (async () => {
      watcher.stop();
      await trainingWorker.shutdown();
      await queue.close();
      redis.disconnect();
    })();
    return stopping;
  };
  return { worker: trainingWorker, stop };
}

/**
 * Removes the temporary directories (`.tmp-*`) under `ARTIFACT_DIR` older than every job running now: what
 * a killed process (a worker, its training child) left half written. Failures are logged, not fatal.
 */
async function removeLeftovers(
  queue: Queue<TrainingJobData>,
  artifactDir: string,
  log: Logger,
): Promise<void> {
  try {
    const now = Date.now();
    const running = await queue.getActive();
    const cutoff = Math.min(now, ...running.map((job) => job.processedOn ?? now));
    const removed = await removeStaleTemporaryDirs(artifactDir, cutoff);
    if (removed.length > 0) log.info({ removed }, 'removed temporary files left by stopped processes');
  } catch (err) {
    log.warn({ err }, 'could not remove old temporary files');
  }
}

/**
 * Runs a worker from the environment until SIGTERM/SIGINT. When the configuration is invalid or start-up
 * fails, it says why on stderr and exits the process with status 1.
 *
 * @returns The running worker.
 */
export async function main(env: NodeJS.ProcessEnv = process.env): Promise<RunningWorker> {
  const config = loadConfigOrExit(env, STDERR_PREFIX);
  setLogLevel(config.LOG_LEVEL);
  const log = createLogger('worker');
  if (config.REDIS_URL === undefined) {
    exitWithMessage(
      STDERR_PREFIX,
      'REDIS_URL is not set. A worker takes its jobs from a shared Redis, e.g. REDIS_URL=redis://localhost:6379; ' +
        '`npm start` runs a worker with a local Redis instead.',
    );
  }
  let running: RunningWorker;
  try {
    running = await startTrainingWorker({ ...config, REDIS_URL: config.REDIS_URL });
  } catch (err) {
    log.fatal({ err }, 'worker start-up failed');
    return exitWithMessage(
      STDERR_PREFIX,
      `refusing to start: ${err instanceof Error ? err.message : String(err)}`,
    );
  }
  closeOnShutdownSignals({
    log,
    close: running.stop,
    // No timeoutMs: whoever stops the worker holds its budget, WORKER_GRACE_PERIOD_MS (main.ts's SIGKILL,
    // docker-compose.yml's stop_grace_period).
    exitWhenClosed: true,
    stoppingMessage:
      'stopping: the job in progress finishes its step, checkpoints and goes back to the queue',
    forcedExitMessage:
      'second signal: exiting now; the job resumes from its newest checkpoint once its lock expires',
    stoppedMessage: 'worker stopped',
  });
  return running;
}

if (isEntryPoint(import.meta.url)) await main();
