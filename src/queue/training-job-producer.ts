/**
 * The API's side of the training queue: submit (with Idempotency-Key), read, list and cancel jobs.
 *
 * @packageDocumentation
 */
import { createHash, randomUUID } from 'node:crypto';
import { stat } from 'node:fs/promises';
import { posix } from 'node:path';
import { Queue, type Job, type JobState, type JobType } from 'bullmq';
import type { Redis } from 'ioredis';
import { resolveDataPath } from '../data/data-path.js';
import { AppError, ConflictError, DatasetError, NotFoundError, ServiceUnavailableError } from '../errors.js';
import type { Logger } from '../logger.js';
import { listCheckpoints } from '../model/checkpoint.js';
import { jobCheckpointDir } from '../model/training-job.js';
import type { TrainingSpec } from '../model/training-spec.js';
import {
  archiveCancelledJob,
  cancellationRequestedAt,
  JobLockedError,
  readCancelled,
  requestCancellation,
  snapshotOf,
} from './cancelled-jobs.js';
import {
  JOB_STATUSES,
  type JobStatus,
  type TrainingJob,
  type TrainingJobData,
  type TrainingJobResult,
} from './job-schemas.js';
import { buildJobView } from './job-view.js';
import { QUEUE_PREFIX, TRAINING_JOB_NAME, trainingQueueKeys, type TrainingQueueKeys } from './queue-names.js';
import { createRedisConnection, withTimeout } from './redis-connection.js';

/** BullMQ states that count as `queued`. Why these: a retry waiting out its back-off is queued too. */
const QUEUED_TYPES: JobType[] = ['wait', 'prioritized', 'delayed', 'waiting-children'];

/** How long an Idempotency-Key is remembered. Why 24 h: what Stripe and the IETF draft use; retries happen within minutes. */
export const IDEMPOTENCY_TTL_SECONDS = 24 * 60 * 60;

/** Suggested wait when the queue is full. Why 60 s: a tiny job takes about that; a client should not hammer. */
export const QUEUE_FULL_RETRY_AFTER_SECONDS = 60;

/** Suggested wait when Redis is unreachable. Why 5 s: ioredis reconnects every few seconds. */
export const REDIS_DOWN_RETRY_AFTER_SECONDS = 5;

/** Longest wait for a concurrent submission with the same Idempotency-Key to add its job. */
const IDEMPOTENCY_RACE_WAIT_MS = 2_000;

/** Longest wait for a graceful close. Why: a close must not hang a shutdown while Redis is unreachable. */
const CLOSE_TIMEOUT_MS = 2_000;

/** First back-off of a failed attempt. Why 10 s: gives a crashed backend or a full disk a moment; doubles after. */
const RETRY_BACKOFF_MS = 10_000;

/** Options of {@link TrainingJobProducer}. */
export interface TrainingJobProducerOptions {
  /** `REDIS_URL`. */
  redisUrl: string;
  /** `QUEUE_NAME`. */
  queueName: string;
  /** `DATA_DIR` (absolute): datasets are checked at submission. */
  dataDir: string;
  /** `ARTIFACT_DIR` (absolute): checkpoints are listed from it. */
  artifactDir: string;
  /** `MAX_QUEUED_JOBS`. */
  maxQueuedJobs: number;
  /** `JOB_ATTEMPTS`. */
  jobAttempts: number;
  logger?: Logger;
}

/** Options of {@link TrainingJobProducer.submit}. */
export interface SubmitOptions {
  /** The client's `Idempotency-Key`: a resubmission with the same key and body returns the same job. */
  idempotencyKey?: string | undefined;
}

/** Answer of {@link TrainingJobProducer.submit}. */
export interface SubmitResult {
  job: TrainingJob;
  /** True when an earlier submission with the same Idempotency-Key is returned. */
  replayed: boolean;
}

/** Options of {@link TrainingJobProducer.list}. */
export interface ListOptions {
  status?: JobStatus | undefined;
  limit: number;
  offset: number;
}

/** A page of jobs. */
export interface JobPage {
  items: TrainingJob[];
  total: number;
}

/** What an Idempotency-Key record holds. */
interface IdempotencyRecord {
  jobId: string;
  bodyHash: string;
}

/** JSON with object keys sorted, so that equal bodies hash equally whatever the key order. */
function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (typeof value === 'object' && value !== null) {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

const sha256 = (text: string): string => createHash('sha256').update(text).digest('hex');
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Submits, reads, lists and cancels training jobs. One per API process; {@link TrainingJobProducer.close}
 * releases its connection.
 */
export class TrainingJobProducer {
  /** The BullMQ queue. */
  readonly queue: Queue<TrainingJobData, TrainingJobResult>;
  /** The connection the queue and this class use. */
  readonly redis: Redis;
  /** This service's keys beside BullMQ's. */
  readonly keys: TrainingQueueKeys;
  private readonly options: TrainingJobProducerOptions;
  private readonly redactDirs: Record<string, string>;

  /** @param options - Connection, queue name, directories and limits. */
  constructor(options: TrainingJobProducerOptions) {
    this.options = options;
    this.redis = createRedisConnection(options.redisUrl, 'api', options.logger);
    this.queue = new Queue<TrainingJobData, TrainingJobResult>(options.queueName, {
      connection: this.redis,
      prefix: QUEUE_PREFIX,
    });
    // Why: BullMQ re-emits connection errors on the queue; without a listener Node would crash on them.
    this.queue.on('error', () => undefined);
    this.keys = trainingQueueKeys(options.queueName);
    this.redactDirs = { DATA_DIR: options.dataDir, ARTIFACT_DIR: options.artifactDir };
  }

  /**
   * Queues a training job.
   *
   * @param spec - A validated spec (`parseTrainingSpec`).
   * @param options - The Idempotency-Key, if any.
   * @throws {@link DatasetError} (422) when a CityScapes path is outside `DATA_DIR`, missing, or lacks the
   *   training split; {@link ConflictError} when the key was used with another body;
   *   {@link ServiceUnavailableError} (503 + Retry-After) when `MAX_QUEUED_JOBS` jobs wait already or Redis is down.
   */
  async submit(spec: TrainingSpec, options: SubmitOptions = {}): Promise<SubmitResult> {
    return this.guard(async () => {
      await this.checkDataset(spec);
      const key = options.idempotencyKey;
      if (key === undefined) return { job: await this.add(randomUUID(), spec), replayed: false };

      const recordKey = `${this.keys.idempotency}${sha256(key)}`;
      const bodyHash = sha256(canonicalJson(spec));
      const existing = await this.redis.get(recordKey);
      if (existing !== null)
        return { job: await this.replay(JSON.parse(existing), bodyHash), replayed: true };

      await this.assertRoomInQueue();
      const record: IdempotencyRecord = { jobId: randomUUID(), bodyHash };
      const reserved = await this.redis.set(
        recordKey,
        JSON.stringify(record),
        'EX',
        IDEMPOTENCY_TTL_SECONDS,
        'NX',
      );
      if (reserved === null) {
        // Another request with the same key won the race.
        const winner = await this.redis.get(recordKey);
        if (winner === null)
          throw new ConflictError('A request with this Idempotency-Key is being processed.');
        return { job: await this.replay(JSON.parse(winner), bodyHash), replayed: true };
      }
      try {
        return { job: await this.add(record.jobId, spec, false), replayed: false };
      } catch (err) {
        await this.redis.del(recordKey);
        throw err;
      }
    });
  }

  /**
   * Returns a job's view.
   *
   * @throws {@link NotFoundError} when there is no job with that id.
   */
  async get(id: string): Promise<TrainingJob> {
    const view = await this.find(id);
    if (view === undefined) throw new NotFoundError(`Training job "${id}" not found`);
    return view;
  }

  /** Returns a job's view, or undefined when there is no job with that id. */
  async find(id: string): Promise<TrainingJob | undefined> {
    return this.guard(async () => {
      // State first, then the job: BullMQ updates a job's hash and its state together, so a job read after
      // its state is at least as new. The other order could pair a "completed" state with a job hash read
      // just before completion (no return value, so no model id).
      const state = await this.queue.getJobState(id);
      const job = await this.queue.getJob(id);
      if (job === undefined) {
        const cancelled = await readCancelled(this.redis, this.keys, id);
        if (cancelled === undefined) return undefined;
        return { ...cancelled, checkpoints: await this.checkpoints(id) };
      }
      return this.viewOf(job, state === 'unknown' ? undefined : state);
    });
  }

  /**
   * Lists jobs, newest first: by submission time (all, queued, running), by finishing time (completed,
   * failed) or by cancellation time (cancelled).
   */
  async list(options: ListOptions): Promise<JobPage> {
    return this.guard(async () => {
      const { status, limit, offset } = options;
      const last = offset + limit - 1;
      let ids: string[];
      let total: number;
      switch (status) {
        case undefined:
          [total, ids] = await Promise.all([
            this.redis.zcard(this.keys.index),
            this.redis.zrevrange(this.keys.index, offset, last),
          ]);
          break;
        case 'queued':
        case 'running': {
          // Both are small (bounded by MAX_QUEUED_JOBS and by the number of workers): sort by submission time here.
          const all = await this.queue.getRanges(status === 'queued' ? QUEUED_TYPES : ['active'], 0, -1);
          const scores = all.length === 0 ? [] : await this.redis.zmscore(this.keys.index, ...all);
          const sorted = all
            .map((id, i) => ({ id, score: Number(scores[i] ?? 0) }))
            .sort((a, b) => b.score - a.score)
            .map((entry) => entry.id);
          total = sorted.length;
          ids = sorted.slice(offset, offset + limit);
          break;
        }
        case 'completed':
        case 'failed':
          [total, ids] = await Promise.all([
            this.queue.getJobCountByTypes(status),
            this.queue.getRanges([status], offset, last, false),
          ]);
          break;
        case 'cancelled':
          [total, ids] = await Promise.all([
            this.redis.zcard(this.keys.cancelledIndex),
            this.redis.zrevrange(this.keys.cancelledIndex, offset, last),
          ]);
          break;
      }
      const views = await Promise.all(ids.map((id) => this.find(id)));
      const items = views.filter(
        (v): v is TrainingJob => v !== undefined && (status === undefined || v.status === status),
      );
      return { items, total };
    });
  }

  /**
   * Cancels a job. A queued job is removed from the queue at once and archived as cancelled; a running
   * job is asked to stop: its worker stops after the step in progress, writes a checkpoint and the job
   * ends `cancelled` (the view says `running` with `cancelRequestedAt` until then).
   *
   * @returns The job's view after the request.
   * @throws {@link NotFoundError} for an unknown id; {@link ConflictError} when the job has completed or failed.
   */
  async cancel(id: string): Promise<TrainingJob> {
    return this.guard(async () => {
      const view = await this.get(id);
      if (view.status === 'cancelled') return view;
      if (view.status === 'completed' || view.status === 'failed') {
        throw new ConflictError(
          `Training job "${id}" has already ${view.status}; only queued or running jobs can be cancelled.`,
        );
      }
      await requestCancellation(this.redis, this.keys, id);
      if (view.status === 'queued') {
        const job = await this.queue.getJob(id);
        if (job !== undefined) {
          try {
            const archived = await archiveCancelledJob(this.queue, this.redis, this.keys, job);
            this.options.logger?.info({ jobId: id }, 'queued training job cancelled');
            return { ...archived, checkpoints: await this.checkpoints(id) };
          } catch (err) {
            // A worker took it between our read and the removal: it sees the request within a step.
            if (!(err instanceof JobLockedError)) throw err;
          }
        }
      }
      this.options.logger?.info({ jobId: id }, 'cancellation of running training job requested');
      return this.get(id);
    });
  }

  /** Number of jobs in each public state (for /metrics). */
  async countByStatus(): Promise<Record<JobStatus, number>> {
    return this.guard(async () => {
      const [counts, cancelled] = await Promise.all([
        this.queue.getJobCounts(
          'wait',
          'prioritized',
          'delayed',
          'waiting-children',
          'active',
          'completed',
          'failed',
        ),
        this.redis.zcard(this.keys.cancelledIndex),
      ]);
      const n = (type: string): number => counts[type] ?? 0;
      const result = Object.fromEntries(JOB_STATUSES.map((s) => [s, 0])) as Record<JobStatus, number>;
      result.queued = n('wait') + n('prioritized') + n('delayed') + n('waiting-children');
      result.running = n('active');
      result.completed = n('completed');
      result.failed = n('failed');
      result.cancelled = cancelled;
      return result;
    });
  }

  /**
   * Checks that Redis answers within `timeoutMs`.
   *
   * @throws When it does not.
   */
  async ping(timeoutMs: number): Promise<void> {
    await withTimeout(this.redis.ping(), timeoutMs, 'redis PING');
  }

  /** Closes the queue and its connection (at once when Redis is unreachable). */
  async close(): Promise<void> {
    if (this.redis.status === 'ready') {
      await withTimeout(this.queue.close(), CLOSE_TIMEOUT_MS, 'queue close').catch(() => undefined);
    }
    this.redis.disconnect();
  }

  /** Builds the view of a job BullMQ holds (archiving it first if it is a finished cancellation). */
  private async viewOf(job: Job<TrainingJobData>, knownState?: JobState): Promise<TrainingJob | undefined> {
    const id = job.id ?? '';
    const [state, cancelAt] = await Promise.all([
      knownState ?? job.getState(),
      cancellationRequestedAt(this.redis, this.keys, id),
    ]);
    const view = buildJobView(snapshotOf(job, state, cancelAt), this.redactDirs);
    if (view === undefined) return undefined;
    view.checkpoints = await this.checkpoints(id);
    return view;
  }

  /** Checkpoints of a job on disk, oldest first. */
  private async checkpoints(id: string): Promise<TrainingJob['checkpoints']> {
    const refs = await listCheckpoints(jobCheckpointDir(this.options.artifactDir, id));
    return refs.map(({ name, epoch, stepInEpoch, globalStep }) => ({ name, epoch, stepInEpoch, globalStep }));
  }

  /** Adds the job and indexes it; returns its view. */
  private async add(jobId: string, spec: TrainingSpec, checkRoom = true): Promise<TrainingJob> {
    if (checkRoom) await this.assertRoomInQueue();
    const submittedAt = Date.now();
    // Index first: a crash between the two leaves an index entry that lists skip, never an unlisted job.
    await this.redis.zadd(this.keys.index, submittedAt, jobId);
    const job = await this.queue.add(
      TRAINING_JOB_NAME,
      { spec, submittedAt: new Date(submittedAt).toISOString() },
      {
        jobId,
        attempts: this.options.jobAttempts,
        backoff: { type: 'exponential', delay: RETRY_BACKOFF_MS },
        // Why keep: the job is the record of the training run (status, history, error) that clients read.
        removeOnComplete: false,
        removeOnFail: false,
      },
    );
    this.options.logger?.info({ jobId }, 'training job queued');
    // The view as of the submission: a worker may take the job before we could read it back.
    return buildJobView(snapshotOf(job, 'waiting', undefined), this.redactDirs)!;
  }

  /** Returns the job of an earlier submission with the same Idempotency-Key. */
  private async replay(record: IdempotencyRecord, bodyHash: string): Promise<TrainingJob> {
    if (record.bodyHash !== bodyHash) {
      throw new ConflictError('This Idempotency-Key was used with a different request body.');
    }
    const deadline = Date.now() + IDEMPOTENCY_RACE_WAIT_MS;
    for (;;) {
      const view = await this.find(record.jobId);
      if (view !== undefined) return view;
      if (Date.now() > deadline)
        throw new ConflictError('A request with this Idempotency-Key is being processed.');
      await sleep(50);
    }
  }

  /** @throws {@link ServiceUnavailableError} when `MAX_QUEUED_JOBS` jobs are waiting. */
  private async assertRoomInQueue(): Promise<void> {
    const waiting = await this.queue.getJobCountByTypes(...QUEUED_TYPES);
    if (waiting >= this.options.maxQueuedJobs) {
      throw new ServiceUnavailableError(
        `The training queue is full (${waiting} jobs waiting, MAX_QUEUED_JOBS=${this.options.maxQueuedJobs}); retry later.`,
        QUEUE_FULL_RETRY_AFTER_SECONDS,
      );
    }
  }

  /**
   * Checks a CityScapes dataset at submission: inside `DATA_DIR`, present, with the training split.
   *
   * @throws {@link DatasetError} (422) naming the path relative to `DATA_DIR`.
   */
  private async checkDataset(spec: TrainingSpec): Promise<void> {
    if (spec.dataset.kind !== 'cityscapes') return;
    const root = await resolveDataPath(this.options.dataDir, spec.dataset.path);
    const split = posix.join(spec.dataset.path, 'leftImg8bit', spec.dataset.trainSplit);
    const splitPath = await resolveDataPath(this.options.dataDir, split).catch(() => undefined);
    if (splitPath === undefined || !(await stat(splitPath.absolute)).isDirectory()) {
      throw new DatasetError(
        `dataset has no training split "${spec.dataset.trainSplit}" (expected leftImg8bit/${spec.dataset.trainSplit}/{city}/*_leftImg8bit.png)`,
        root.relative,
      );
    }
  }

  /**
   * Runs `fn`, turning a failure while Redis is unreachable into a 503 with Retry-After.
   * Why the connection status and not the error text: it tells an outage from a bug whatever ioredis says.
   */
  private async guard<T>(fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (err) {
      if (err instanceof AppError || this.redis.status === 'ready') throw err;
      throw new ServiceUnavailableError(
        'The job queue (Redis) is unreachable; retry later.',
        REDIS_DOWN_RETRY_AFTER_SECONDS,
      );
    }
  }
}
