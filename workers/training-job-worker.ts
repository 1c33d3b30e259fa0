/**
 * The BullMQ worker of the training queue: each job's attempt runs in a training child process
 * ({@link TrainingChildPool}), and the worker decides what a stopped job becomes.
 *
 * @packageDocumentation
 */
import { hostname } from 'node:os';
import { UnrecoverableError, WaitingError, Worker, type Job, type WorkerOptions } from 'bullmq';
import type { Redis } from 'ioredis';
import { TrainingChildError } from '../src/errors.js';
import type { Logger } from '../src/logger.js';
import { removeTemporaryDirs } from '../src/model/temporary-files.js';
import { CANCEL_REASON, cancellationRequestedAt, SHUTDOWN_REASON } from '../src/queue/cancelled-jobs.js';
import type { TrainingJobData, TrainingJobResult } from '../src/queue/job-schemas.js';
import { isProgressRecord } from '../src/queue/job-view.js';
import type { TrainingQueueKeys } from '../src/queue/queue-names.js';
import { failedBeforeStartRecord, takenRecord } from './progress-reporter.js';
import { TrainingChildPool } from './training-child-pool.js';
import type { TrainingChildOptions, TrainingChildProcess } from './training-child-process.js';

/** BullMQ's default lock duration, used when the options do not set one. */
const DEFAULT_LOCK_DURATION_MS = 30_000;

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
  /** CPU cores of each slot (`concurrency` slots): a job's `training.replicas: auto` uses that many. */
  coresPerSlot: number;
  /** `ARTIFACT_DIR`: the temporary directories a killed child leaves there are removed. */
  artifactDir: string;
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
  private readonly lockDurationMs: number;
  private readonly logger: Logger;
  /** The child training each active job, so a job whose lock is lost can be stopped at once. */
  private readonly childOfJob = new Map<string, TrainingChildProcess>();
  /** Which slots run a job now (index = slot). */
  private readonly busySlots: boolean[] = [];
  private readonly coresPerSlot: number;
  private readonly artifactDir: string;
  /** The worker's name in job views (BullMQ's `name` option; host:pid by default). */
  private readonly workerName: string;

  /**
   * @param queueName - `QUEUE_NAME`.
   * @param options - BullMQ options plus the Redis client, keys and child settings.
   */
  constructor(queueName: string, options: TrainingJobWorkerOptions) {
    const { keys, child, abortGraceMs, coresPerSlot, artifactDir, logger, ...workerOptions } = options;
    this.redis = options.connection;
    this.artifactDir = artifactDir;
    this.coresPerSlot = coresPerSlot;
    this.workerName = workerOptions.name ?? `${hostname()}:${process.pid}`;
    this.keys = keys;
    this.abortGraceMs = abortGraceMs;
    this.lockDurationMs = options.lockDuration ?? DEFAULT_LOCK_DURATION_MS;
    this.logger = logger;
    this.pool = new TrainingChildPool({ ...child, logger });
    // Why three declared parameters: BullMQ passes the AbortSignal only to a processor that takes it.
    this.worker = new Worker<TrainingJobData, TrainingJobResult>(
      queueName,
      (job, token, signal) => this.processAttempt(job, token, signal),
      workerOptions,
    );
    this.worker.on('lockRenewalFailed', (jobIds) => this.stopJobsWithoutLock(jobIds));
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
    let child: TrainingChildProcess | undefined;
    const slot = this.takeSlot();
    const worker = { name: this.workerName, slot };
    try {
      this.logger.info({ jobId, slot }, 'training job taken');
      await job.updateProgress(takenRecord(job.progress, worker));
      child = await this.pool.retain(signal);
      this.childOfJob.set(jobId, child);
      const result = await child.run(
        {
          id: jobId,
          data: job.data,
          progress: job.progress,
          attemptsMade: job.attemptsMade,
          slot: { ...worker, cores: this.coresPerSlot },
        },
        {
          signal,
          onProgress: (record) => job.updateProgress(record),
          abortGraceMs: this.abortGraceMs,
        },
      );
      reusable = true;
      if (token !== undefined) {
        // Why: the result is written after this returns; a fresh lock gives that write a whole lock
        // duration, so a short Redis outage just before it cannot make the lock expire under it.
        await job.extendLock(token, this.lockDurationMs);
      }
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
      this.busySlots[slot] = false;
      this.childOfJob.delete(jobId);
      if (child !== undefined) {
        this.pool.release(child, reusable);
        if (!reusable) await this.removeLeftovers(jobId, child);
      }
    }
  }

  /**
   * Waits for a child that was killed (after a failure, an abort or a grace period it overran) and removes
   * the temporary directories it left (a dataset half generated, a cache half built), so a cancelled or
   * failed job leaves nothing behind. A child that stopped cleanly has removed its own already.
   */
  private async removeLeftovers(jobId: string, child: TrainingChildProcess): Promise<void> {
    const pid = child.pid;
    if (pid === undefined) return;
    try {
      await child.exited;
      const removed = await removeTemporaryDirs(this.artifactDir, (dir) => dir.pid === pid);
      if (removed.length > 0) this.logger.info({ jobId, removed }, 'removed temporary files of the job');
    } catch (err) {
      this.logger.warn({ err, jobId }, 'could not remove the temporary files of the job');
    }
  }

  /** The lowest free slot (BullMQ runs at most `concurrency` processors at once, so there is one). */
  private takeSlot(): number {
    let slot = this.busySlots.indexOf(false);
    if (slot < 0) slot = this.busySlots.length;
    this.busySlots[slot] = true;
    return slot;
  }

  /**
   * The lock of these jobs could not be renewed (it expired during a Redis outage longer than the lock):
   * another worker may already have resumed them from their checkpoint, so their children are killed at
   * once, without a checkpoint that could collide with the new owner's.
   */
  private stopJobsWithoutLock(jobIds: string[]): void {
    for (const jobId of jobIds) {
      const child = this.childOfJob.get(jobId);
      if (child === undefined) continue;
      this.logger.warn({ jobId }, 'lost the lock of the job; stopping its training child');
      child.kill();
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
