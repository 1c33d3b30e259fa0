/**
 * One BullMQ QueueEvents stream per API process, fanned out to listeners per job (the SSE streams), to
 * listeners of every job's end (metrics) and to listeners of every event with its data (the training
 * gauges of `/metrics`, which read the progress records workers publish).
 *
 * @packageDocumentation
 */
import { QueueEvents } from 'bullmq';
import type { Redis } from 'ioredis';
import type { Logger } from '../logger.js';
import { QUEUE_PREFIX } from './queue-names.js';
import { createRedisConnection, withTimeout } from './redis-connection.js';

/** Longest wait for the event stream to close. */
const CLOSE_TIMEOUT_MS = 2_000;

/** The BullMQ events a job's listeners are told about. */
export const JOB_EVENT_NAMES = [
  'active',
  'waiting',
  'delayed',
  'progress',
  'completed',
  'failed',
  'removed',
  'stalled',
] as const;

/** One of {@link JOB_EVENT_NAMES}. */
export type JobEventName = (typeof JOB_EVENT_NAMES)[number];

/** Called with the name of the event that happened to the job. */
export type JobEventListener = (event: JobEventName) => void;

/** Called with every event of every job and the event's data (the progress record for `progress`). */
export type AnyJobEventListener = (jobId: string, event: JobEventName, data: unknown) => void;

/** Called when a job completed or failed (for the last time or not). */
export type JobEndListener = (jobId: string, outcome: 'completed' | 'failed') => void;

/**
 * Listens to the queue's event stream and tells each subscriber about the events of its job. Events say
 * that something changed, not what: subscribers re-read the job, so a missed or merged event costs nothing.
 */
export class JobEventHub {
  private readonly events: QueueEvents;
  private readonly connection: Redis;
  private readonly listeners = new Map<string, Set<JobEventListener>>();
  private readonly endListeners = new Set<JobEndListener>();
  private readonly anyListeners = new Set<AnyJobEventListener>();

  /**
   * @param redisUrl - `REDIS_URL`.
   * @param queueName - `QUEUE_NAME`.
   * @param logger - For stream errors.
   */
  constructor(redisUrl: string, queueName: string, logger?: Logger) {
    this.connection = createRedisConnection(redisUrl, 'events', logger);
    this.events = new QueueEvents(queueName, { connection: this.connection, prefix: QUEUE_PREFIX });
    this.events.on('error', (err: Error) =>
      logger?.debug({ err: { message: err.message } }, 'queue events error'),
    );
    for (const name of JOB_EVENT_NAMES) {
      this.events.on(name, (args: { jobId: string; data?: unknown }) =>
        this.dispatch(args.jobId, name, args.data),
      );
    }
  }

  /**
   * Calls `listener` for every event of job `jobId` until the returned function is called.
   *
   * @returns Unsubscribes.
   */
  subscribe(jobId: string, listener: JobEventListener): () => void {
    let set = this.listeners.get(jobId);
    if (set === undefined) {
      set = new Set();
      this.listeners.set(jobId, set);
    }
    set.add(listener);
    return () => {
      set.delete(listener);
      if (set.size === 0) this.listeners.delete(jobId);
    };
  }

  /** Calls `listener` whenever any job completes or fails. */
  onJobEnd(listener: JobEndListener): void {
    this.endListeners.add(listener);
  }

  /** Calls `listener` with every event of every job and its data. */
  onAnyEvent(listener: AnyJobEventListener): void {
    this.anyListeners.add(listener);
  }

  /** Resolves once the event stream is being read. */
  async waitUntilReady(): Promise<void> {
    await this.events.waitUntilReady();
  }

  /** Stops listening and closes the connection. */
  async close(): Promise<void> {
    this.listeners.clear();
    this.endListeners.clear();
    this.anyListeners.clear();
    // Why disconnect first: the stream is read with a blocking XREAD that would hold close() for its
    // timeout, or for ever while Redis is unreachable.
    this.connection.disconnect();
    await withTimeout(this.events.close(), CLOSE_TIMEOUT_MS, 'queue events close').catch(() => undefined);
  }

  private dispatch(jobId: string, name: JobEventName, data: unknown): void {
    for (const listener of this.anyListeners) listener(jobId, name, data);
    if (name === 'completed' || name === 'failed') {
      for (const listener of this.endListeners) listener(jobId, name);
    }
    const set = this.listeners.get(jobId);
    if (set === undefined) return;
    for (const listener of [...set]) listener(name);
  }
}
