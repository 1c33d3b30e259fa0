/**
 * Polls the cancellation requests of the jobs a worker runs and aborts the ones asked to stop.
 *
 * @packageDocumentation
 */
import type { Worker } from 'bullmq';
import type { Redis } from 'ioredis';
import type { Logger } from '../src/logger.js';
import { CANCEL_REASON } from '../src/queue/cancelled-jobs.js';
import type { TrainingQueueKeys } from '../src/queue/queue-names.js';
import type { TrainingJobData, TrainingJobResult } from '../src/queue/job-schemas.js';

/**
 * How often the requests are read. Why 500 ms: a cancelled job stops within a step plus this; one HMGET
 * per worker every half second costs Redis nothing. Why polling rather than pub/sub: a request made while
 * the worker was reconnecting is not lost.
 */
export const CANCEL_POLL_INTERVAL_MS = 500;

/** Watches the cancellation requests of a worker's active jobs. */
export class CancelWatcher {
  private readonly active = new Set<string>();
  private timer: NodeJS.Timeout | undefined;
  private polling = false;

  /**
   * @param worker - The worker whose jobs to watch.
   * @param redis - A client of the queue's Redis.
   * @param keys - The queue's keys.
   * @param logger - For failures to read the requests.
   */
  constructor(
    private readonly worker: Worker<TrainingJobData, TrainingJobResult>,
    private readonly redis: Redis,
    private readonly keys: TrainingQueueKeys,
    private readonly logger: Logger,
  ) {
    worker.on('active', (job) => {
      if (job.id !== undefined) this.active.add(job.id);
    });
    const forget = (job: { id?: string | undefined } | undefined): void => {
      if (job?.id !== undefined) this.active.delete(job.id);
    };
    worker.on('completed', forget);
    worker.on('failed', forget);
  }

  /** Starts polling. */
  start(intervalMs = CANCEL_POLL_INTERVAL_MS): void {
    this.timer ??= setInterval(() => void this.poll(), intervalMs);
  }

  /** Stops polling. */
  stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
  }

  private async poll(): Promise<void> {
    if (this.polling || this.active.size === 0) return;
    this.polling = true;
    try {
      const ids = [...this.active];
      const requested = await this.redis.hmget(this.keys.cancelRequests, ...ids);
      ids.forEach((id, i) => {
        if (requested[i] === null || requested[i] === undefined) return;
        if (this.worker.cancelJob(id, CANCEL_REASON)) {
          this.logger.info({ jobId: id }, 'cancellation requested: stopping after the step in progress');
          this.active.delete(id);
        }
      });
    } catch (err) {
      this.logger.warn({ err }, 'could not read cancellation requests');
    } finally {
      this.polling = false;
    }
  }
}
