/**
 * The BullMQ worker of the training queue: each job's attempt runs in a training child process
 * ({@link TrainingChildPool}), and the worker decides what a stopped job becomes.
 *
 * @packageDocumentation
 */
import { UnrecoverableError, WaitingError, Worker, type Job, type WorkerOptions } from 'bullmq';
import type { Redis } from 'ioredis';
import { TrainingChildError } from '../src/errors.js';
import type { Logger } from '../src/logger.js';
import { CANCEL_REASON, cancellationRequestedAt, SHUTDOWN_REASON } from '../src/queue/cancelled-jobs.js';
import type { TrainingJobData, TrainingJobResult } from '../src/queue/job-schemas.js';
import { isProgressRecord } from '../src/queue/job-view.js';
import type { TrainingQueueKeys } from '../src/queue/queue-names.js';
import { failedBeforeStartRecord } from './progress-reporter.js';
import { TrainingChildPool } from './training-child-pool.js';
import type { TrainingChildOptions } from './training-child-process.js';

/** Failure reason of a cancelled job (until it is archived as cancelled). */
export const CANCELLED_MESSAGE = 'Cancelled on request.';

/** Options of {@link TrainingJobWorker}. */
export interface TrainingJobWorkerOptions extends Omit<
  WorkerOptions,
  'connection' | 'useWorkerThreads' | 'autorun'
> {
  /** A client of the queue's Redis (`maxRetriesPerRequest: null`), for BullMQ and the cancellation requests. */
  connection: Redis;
  /** The queue's keys beside BullMQ's. */
  keys: TrainingQueueKeys;
  /** How training children are started and watched. */
  child: Omit<TrainingChildOptions, 'logger'>;
  /** After an abort, how long a child may take to checkpoint and stop before it is killed. */
  abortGraceMs: number;
  logger: Logger;
}

/**
 * Takes training jobs from the queue and trains each in a child process. A stopped attempt becomes:
 * - worker shutdown (SIGTERM/SIGINT): the job goes back to `wait` without using an attempt, and the next
 *   worker resumes it from the checkpoint the child wrote on abort;
 * - a user's cancellation: the job fails unrecoverably (then archived as `cancelled`);
 * - a child that exits or stops answering (crash, OOM kill, `kill -9`, at start-up or while training): the
 *   attempt fails and BullMQ retries it (`JOB_ATTEMPTS`), resuming from the newest checkpoint.
 * A job whose cancellation was requested before it started is not started at all.
 */
export class TrainingJobWorker {
  /** The BullMQ worker (events: `active`, `completed`, `failed`, `error`; `cancelJob`). */
  readonly worker: Worker<TrainingJobData, TrainingJobResult>;
  private readonly pool: TrainingChildPool;
  private readonly redis: Redis;
  private readonly keys: TrainingQueueKeys;
  private readonly abortGraceMs: number;
  private readonly logger: Logger;

  /**
   * @param queueName - `QUEUE_NAME`.
   * @param options - BullMQ options plus the Redis client, keys and child settings.
   */
  constructor(queueName: string, options: TrainingJobWorkerOptions) {
    const { keys, child, abortGraceMs, logger, ...workerOptions } = options;
    this.redis = options.connection;
    this.keys = keys;
    this.abortGraceMs = abortGraceMs;
    this.logger = logger;
    this.pool = new TrainingChildPool({ ...child, logger });
    // Why three declared parameters: BullMQ passes the AbortSignal only to a processor that takes it.
    this.worker = new Worker<TrainingJobData, TrainingJobResult>(
      queueName,
      (job, token, signal) => this.processAttempt(job, token, signal),
      workerOptions,
    );
  }

  /** Resolves once the worker is connected and taking jobs. */
  waitUntilReady(): Promise<unknown> {
    return this.worker.waitUntilReady();
  }

  /**
   * Stops taking jobs, asks the jobs in progress to stop after their step (they checkpoint and go back to
   * the queue), waits for them, and ends the children.
   */
  async shutdown(): Promise<void> {
    const closing = this.worker.close();
    this.worker.cancelAllJobs(SHUTDOWN_REASON);
    await closing;
    await this.pool.close();
  }

  private async processAttempt(
    job: Job<TrainingJobData, TrainingJobResult>,
    token: string | undefined,
    signal: AbortSignal | undefined,
  ): Promise<TrainingJobResult> {
    const jobId = job.id;
    if (jobId === undefined) throw new UnrecoverableError('a training job without an id');
    if ((await cancellationRequestedAt(this.redis, this.keys, jobId)) !== undefined) {
      throw new UnrecoverableError(CANCELLED_MESSAGE);
    }
    let reusable = false;
    let child: Awaited<ReturnType<TrainingChildPool['retain']>> | undefined;
    try {
      child = await this.pool.retain(signal);
      const result = await child.run(
        { id: jobId, data: job.data, progress: job.progress, attemptsMade: job.attemptsMade },
        {
          signal,
          onProgress: (record) => job.updateProgress(record),
          abortGraceMs: this.abortGraceMs,
        },
      );
      reusable = true;
      return result;
    } catch (err) {
      if (signal?.aborted && signal.reason === SHUTDOWN_REASON && token !== undefined) {
        // Back to the queue without using an attempt; BullMQ treats WaitingError as "moved by the processor".
        await job.moveToWait(token);
        throw new WaitingError();
      }
      if (signal?.aborted && signal.reason === CANCEL_REASON) throw new UnrecoverableError(CANCELLED_MESSAGE);
      if (err instanceof TrainingChildError) await this.recordFailure(job, err);
      throw err;
    } finally {
      if (child !== undefined) this.pool.release(child, reusable);
    }
  }

  /** Keeps the code of a failure the child could not report itself (it is gone) in the job's progress. */
  private async recordFailure(
    job: Job<TrainingJobData, TrainingJobResult>,
    err: TrainingChildError,
  ): Promise<void> {
    const error = { code: err.code, message: err.message };
    const record = isProgressRecord(job.progress)
      ? { ...job.progress, error, etaSeconds: null }
      : failedBeforeStartRecord(error);
    await job
      .updateProgress(record)
      .catch((updateError: unknown) =>
        this.logger.warn({ err: updateError, jobId: job.id }, 'could not record the failure'),
      );
  }
}
