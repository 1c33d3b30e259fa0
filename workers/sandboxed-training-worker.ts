/**
 * The BullMQ worker of the training queue: runs `training-processor` in a child process (sandboxed, one
 * job at a time) and decides what a stopped job becomes.
 *
 * @packageDocumentation
 */
import { UnrecoverableError, WaitingError, Worker, type Job, type WorkerOptions } from 'bullmq';
import type { Redis } from 'ioredis';
import { CANCEL_REASON, cancellationRequestedAt, SHUTDOWN_REASON } from '../src/queue/cancelled-jobs.js';
import type { TrainingJobData, TrainingJobResult } from '../src/queue/job-schemas.js';
import type { TrainingQueueKeys } from '../src/queue/queue-names.js';

/** Failure reason of a cancelled job (until it is archived as cancelled). */
export const CANCELLED_MESSAGE = 'Cancelled on request.';

/** Options of {@link SandboxedTrainingWorker}. */
export interface SandboxedTrainingWorkerOptions extends WorkerOptions {
  /** A client of the queue's Redis (`maxRetriesPerRequest: null`), for the cancellation requests. */
  connection: Redis;
  /** The queue's keys beside BullMQ's. */
  keys: TrainingQueueKeys;
}

/**
 * A sandboxed worker that turns an aborted job into the right state:
 * - aborted because the worker shuts down (SIGTERM/SIGINT): the job goes back to `wait` without using an
 *   attempt, and the next worker resumes it from the checkpoint written on abort;
 * - aborted because a user cancelled it: the job fails unrecoverably (then archived as `cancelled`);
 * - a job whose cancellation was requested before it started is not started at all.
 */
export class SandboxedTrainingWorker extends Worker<TrainingJobData, TrainingJobResult> {
  private readonly redis: Redis;
  private readonly queueKeys: TrainingQueueKeys;

  /**
   * @param queueName - `QUEUE_NAME`.
   * @param processorFile - Absolute path of the processor file.
   * @param options - BullMQ options plus the Redis client and keys.
   */
  constructor(queueName: string, processorFile: string, options: SandboxedTrainingWorkerOptions) {
    const { keys, ...workerOptions } = options;
    super(queueName, processorFile, workerOptions);
    this.redis = options.connection;
    this.queueKeys = keys;
  }

  /**
   * Stops taking jobs, asks the job in progress to stop after its step (it checkpoints and goes back to
   * the queue), waits for it, and closes.
   */
  async shutdown(): Promise<void> {
    const closing = this.close();
    this.cancelAllJobs(SHUTDOWN_REASON);
    await closing;
  }

  protected override async callProcessJob(
    job: Job<TrainingJobData, TrainingJobResult>,
    token: string,
    signal?: AbortSignal,
  ): Promise<TrainingJobResult> {
    if (
      job.id !== undefined &&
      (await cancellationRequestedAt(this.redis, this.queueKeys, job.id)) !== undefined
    ) {
      throw new UnrecoverableError(CANCELLED_MESSAGE);
    }
    try {
      return await super.callProcessJob(job, token, signal);
    } catch (err) {
      if (signal?.aborted && signal.reason === SHUTDOWN_REASON) {
        // Back to the queue without using an attempt; BullMQ treats WaitingError as "moved by the processor".
        await job.moveToWait(token);
        throw new WaitingError();
      }
      if (signal?.aborted && signal.reason === CANCEL_REASON) throw new UnrecoverableError(CANCELLED_MESSAGE);
      throw err;
    }
  }
}
