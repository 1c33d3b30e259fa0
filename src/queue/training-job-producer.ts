/**
 * The API's side of the training queue: submit (with Idempotency-Key), read, list and cancel jobs. The
 * facade the routes use; the Idempotency-Key records, listing, counts and the dataset check live in the
 * modules it imports.
 *
 * @packageDocumentation
 */
import { randomUUID } from 'node:crypto';
import { Queue, type Job, type JobState } from 'bullmq';
import type { Redis } from 'ioredis';
import { AppError, ConflictError, NotFoundError, ServiceUnavailableError } from '../errors.js';
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
import { checkSubmittedDataset } from './dataset-check.js';
import { checkJobBudget, type JobLimits } from './job-budget.js';
import { IdempotencyKeys } from './idempotency-keys.js';
import { countJobsByStatus } from './job-counts.js';
import { listJobs, specFilterKeys, type JobPage, type ListOptions } from './job-listing.js';
import type {
  JobStatus,
  StudyRunData,
  TrainingJob,
  TrainingJobData,
  TrainingJobResult,
} from './job-schemas.js';
import { buildJobView, inSchemaOrder, QUEUED_JOB_TYPES } from './job-view.js';
import { QUEUE_PREFIX, TRAINING_JOB_NAME, trainingQueueKeys, type TrainingQueueKeys } from './queue-names.js';
import { createRedisConnection, withTimeout } from './redis-connection.js';

/** Suggested wait when the queue is full. Why 60 s: a tiny job takes about that; a client should not hammer. */
export const QUEUE_FULL_RETRY_AFTER_SECONDS = 60;

/** Suggested wait when Redis is unreachable. Why 5 s: ioredis reconnects every few seconds. */
export const REDIS_DOWN_RETRY_AFTER_SECONDS = 5;

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
  /** The cost limits checked at submission (default: none). */
  limits?: JobLimits | undefined;
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
  private readonly idempotency: IdempotencyKeys;

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
    this.idempotency = new IdempotencyKeys(this.redis, this.keys.idempotency, (id) => this.find(id));
  }

  /**
   * Queues a training job.
   *
   * @param spec - A validated spec (`parseTrainingSpec`).
   * @param options - The Idempotency-Key, if any.
   * @throws {@link DatasetError} (422) when a CityScapes path is outside `DATA_DIR`, missing, or lacks the
   *   training split; {@link JobTooLargeError} / {@link InsufficientDiskError} (422) when it is over a cost
   *   limit or the disk; {@link ConflictError} when the key was used with another body;
   *   {@link ServiceUnavailableError} (503 + Retry-After) when `MAX_QUEUED_JOBS` jobs wait already or Redis is down.
   */
  async submit(spec: TrainingSpec, options: SubmitOptions = {}): Promise<SubmitResult> {
    return this.guard(async () => {
      const samples = await checkSubmittedDataset(this.options.dataDir, spec);
      const { limits } = this.options;
      if (limits !== undefined) await checkJobBudget(spec, samples, limits, this.options.artifactDir);
      const key = options.idempotencyKey;
      if (key === undefined) return { job: await this.add(randomUUID(), spec), replayed: false };

      const earlier = await this.idempotency.earlierJob(key, spec);
      if (earlier !== undefined) return { job: earlier, replayed: true };
      await this.assertRoomInQueue();
      const reservation = await this.idempotency.reserve(key, spec);
      if ('earlierJob' in reservation) return { job: reservation.earlierJob, replayed: true };
      try {
        return { job: await this.add(reservation.jobId, spec, false), replayed: false };
      } catch (err) {
        await this.idempotency.release(key);
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
        // In schema order: a job archived by an earlier version kept its fields in another order.
        return inSchemaOrder({ ...cancelled, checkpoints: await this.checkpoints(id) });
      }
      return this.viewOf(job, state === 'unknown' ? undefined : state);
    });
  }

  /**
   * Lists jobs, newest first: by submission time (all, queued, running, cancelling), by finishing time
   * (completed, failed) or by cancellation time (cancelled); only those with the name and all the labels
   * asked for.
   */
  async list(options: ListOptions): Promise<JobPage> {
    return this.guard(() => listJobs(this.queue, this.redis, this.keys, options, (id) => this.find(id)));
  }

  /**
   * Cancels a job. A queued job is removed from the queue at once and archived as cancelled; a running
   * job is asked to stop: its worker stops in whatever phase it is in (writing a checkpoint when it was
   * training) and the job ends `cancelled` (the view says `cancelling` with `cancelRequestedAt` until then).
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
    return this.guard(() => countJobsByStatus(this.queue, this.redis, this.keys));
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
    if (view.status === 'failed') {
      // A cancelled job archived while we read it: we read its BullMQ job (failed) before the archive
      // removed it, and its cancel request after the archive cleared it. The archive has its view; without
      // this it would read as failed.
      // Only an archive of this failure (written after it): one an earlier cancel left behind, before a
      // resume that then failed, is not this job's end.
      const archived = await readCancelled(this.redis, this.keys, id);
      const archivedAt = Date.parse(archived?.finishedAt ?? '');
      if (archived !== undefined && archivedAt >= (job.finishedOn ?? Infinity))
        return inSchemaOrder({ ...archived, checkpoints: await this.checkpoints(id) });
    }
    view.checkpoints = await this.checkpoints(id);
    return view;
  }

  /** Checkpoints of a job on disk, oldest first. */
  private async checkpoints(id: string): Promise<TrainingJob['checkpoints']> {
    const refs = await listCheckpoints(jobCheckpointDir(this.options.artifactDir, id));
    return refs.map(({ name, epoch, stepInEpoch, globalStep }) => ({ name, epoch, stepInEpoch, globalStep }));
  }

  /**
   * Queues a job again under its own id, keeping its submission time (a resumed job, see `job-lifecycle.ts`):
   * the id must be free in BullMQ (the cancelled job was archived and removed). A study's run keeps its
   * study link (`study`), so it is scored into its study when it finishes.
   *
   * @throws {@link ServiceUnavailableError} when `MAX_QUEUED_JOBS` jobs are waiting.
   */
  async requeue(
    jobId: string,
    spec: TrainingSpec,
    submittedAt: number,
    study?: StudyRunData,
  ): Promise<TrainingJob> {
    return this.add(jobId, spec, true, submittedAt, study);
  }

  /**
   * Queues one run of a study (`study-producer.ts`) under its deterministic id: adding an id that BullMQ
   * holds already is a no-op, which is what lets a study add its missing runs again after a crash without
   * ever running one twice. The queue's room is the study's to check, for all its runs at once.
   */
  async addStudyRun(
    jobId: string,
    spec: TrainingSpec,
    study: StudyRunData,
    submittedAt: number,
  ): Promise<TrainingJob> {
    return this.add(jobId, spec, false, submittedAt, study);
  }

  /** Adds the job and indexes it; returns its view. */
  private async add(
    jobId: string,
    spec: TrainingSpec,
    checkRoom = true,
    submittedAt = Date.now(),
    study?: StudyRunData,
  ): Promise<TrainingJob> {
    if (checkRoom) await this.assertRoomInQueue();
    // Index first: a crash between the two leaves an index entry that lists skip, never an unlisted job.
    // The name and label indexes of the list filters go with it.
    const indexes = [this.keys.index, ...specFilterKeys(this.keys, spec)];
    const multi = this.redis.multi();
    for (const index of indexes) multi.zadd(index, submittedAt, jobId);
    for (const [err] of (await multi.exec()) ?? []) if (err) throw err;
    const job = await this.queue.add(
      TRAINING_JOB_NAME,
      { spec, submittedAt: new Date(submittedAt).toISOString(), ...(study ? { study } : {}) },
      {
        jobId,
        timestamp: submittedAt,
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

  /**
   * @param count - Jobs about to be added (a study adds all its runs at once).
   * @throws {@link ServiceUnavailableError} when the queue has no room for `count` more jobs (`MAX_QUEUED_JOBS`).
   */
  async assertRoomInQueue(count = 1): Promise<void> {
    const waiting = await this.queue.getJobCountByTypes(...QUEUED_JOB_TYPES);
    if (waiting + count > this.options.maxQueuedJobs) {
      const what = count === 1 ? '' : ` for ${count} more jobs`;
      throw new ServiceUnavailableError(
        `The training queue is full${what} (${waiting} jobs waiting, MAX_QUEUED_JOBS=${this.options.maxQueuedJobs}); retry later.`,
        QUEUE_FULL_RETRY_AFTER_SECONDS,
      );
    }
  }

  /**
   * Runs `fn`, turning a failure while Redis is unreachable into a 503 with Retry-After.
   * Why the connection status and not the error text: it tells an outage from a bug whatever ioredis says.
   */
  async guard<T>(fn: () => Promise<T>): Promise<T> {
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
