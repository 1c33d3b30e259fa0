/**
 * Cancellation records shared by the producer (API) and the workers.
 *
 * A cancellation is first a request (a field of the `cancel-requests` hash, which workers poll for the job
 * they run). Once the job has stopped, it is archived: its view is kept in the `cancelled` hash and its
 * BullMQ job removed, so that BullMQ's `failed` set holds genuine failures only and both lists paginate
 * exactly. Checkpoints on disk are kept.
 *
 * @packageDocumentation
 */
import type { Job, Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import type { StudyRunData, TrainingJob, TrainingJobData } from './job-schemas.js';
import { buildJobView, cancelledView, type JobSnapshot } from './job-view.js';
import type { TrainingQueueKeys } from './queue-names.js';

/** Reason a worker passes to the processor's AbortSignal for a user's cancellation. */
export const CANCEL_REASON = 'cancelled';

/** Reason a worker passes to the processor's AbortSignal when it is shutting down (SIGTERM/SIGINT). */
export const SHUTDOWN_REASON = 'shutdown';

/** Thrown by {@link archiveCancelledJob} when a worker holds the job's lock, so it cannot be removed yet. */
export class JobLockedError extends Error {
  /** @param jobId - The job a worker holds. */
  constructor(jobId: string) {
    super(`job ${jobId} is held by a worker`);
    this.name = 'JobLockedError';
  }
}

/**
 * Thrown by {@link archiveCancelledJob} when the job's cancel request is gone by the time it would remove
 * the job: it was resumed meanwhile (the resume clears the request, then queues the job again under its
 * id), so the job now in the queue is the resumed one and is left alone; nothing is archived.
 */
export class JobResumedError extends Error {
  /** @param jobId - The job that was resumed. */
  constructor(jobId: string) {
    super(`job ${jobId} was resumed before its archive`);
    this.name = 'JobResumedError';
  }
}

/** The fields of a BullMQ job that a {@link JobSnapshot} needs. */
export function snapshotOf(
  job: Job<TrainingJobData>,
  state: JobSnapshot['state'],
  cancelRequestedAt: string | undefined,
): JobSnapshot {
  return {
    id: job.id ?? '',
    state,
    data: job.data,
    progress: job.progress,
    returnvalue: job.returnvalue,
    failedReason: job.failedReason,
    attemptsMade: job.attemptsMade,
    maxAttempts: job.opts.attempts ?? 1,
    timestamp: job.timestamp,
    finishedOn: job.finishedOn,
    cancelRequestedAt,
  };
}

/**
 * Records a cancellation request for `jobId` (keeping the first one's time).
 *
 * @returns The time of the request (ISO), the earlier one if it was already requested.
 */
export async function requestCancellation(
  redis: Redis,
  keys: TrainingQueueKeys,
  jobId: string,
): Promise<string> {
  const now = new Date().toISOString();
  await redis.hsetnx(keys.cancelRequests, jobId, now);
  return (await redis.hget(keys.cancelRequests, jobId)) ?? now;
}

/** When cancellation of `jobId` was requested, or undefined. */
export async function cancellationRequestedAt(
  redis: Redis,
  keys: TrainingQueueKeys,
  jobId: string,
): Promise<string | undefined> {
  return (await redis.hget(keys.cancelRequests, jobId)) ?? undefined;
}

/**
 * What the archive keeps of a cancelled job: its view and, for a study's run, the study link of its data
 * (not a view field: `inSchemaOrder` leaves it out of every answer), so that a resume queues it as the
 * same study run.
 */
export type ArchivedJob = TrainingJob & { study?: StudyRunData };

/** The archived record of a cancelled job, or undefined when `jobId` was not cancelled. */
export async function readCancelled(
  redis: Redis,
  keys: TrainingQueueKeys,
  jobId: string,
): Promise<ArchivedJob | undefined> {
  const raw = await redis.hget(keys.cancelled, jobId);
  return raw === null ? undefined : (JSON.parse(raw) as ArchivedJob);
}

/**
 * Archives a stopped job as cancelled: stores its view, indexes it by cancellation time, removes the BullMQ
 * job and the request. Idempotent; safe to call from the API and a worker for the same job.
 *
 * @param queue - The training queue.
 * @param redis - A client of the same Redis.
 * @param keys - The queue's keys.
 * @param job - The job, not locked by a worker (queued, or failed after its processor stopped).
 * @returns The archived view.
 * @throws {@link JobLockedError} when a worker took the job meanwhile; {@link JobResumedError} when it was
 *   resumed meanwhile (its cancel request cleared). Nothing is archived then.
 */
export async function archiveCancelledJob(
  queue: Queue<TrainingJobData>,
  redis: Redis,
  keys: TrainingQueueKeys,
  job: Job<TrainingJobData>,
): Promise<TrainingJob> {
  const jobId = job.id ?? '';
  const requestedAt = (await cancellationRequestedAt(redis, keys, jobId)) ?? new Date().toISOString();
  const state = await job.getState();
  const view = buildJobView(snapshotOf(job, state, requestedAt));
  const cancelledAt = new Date();
  const stored = cancelledView(
    view ?? {
      id: jobId,
      status: 'cancelled',
      createdAt: new Date(job.timestamp).toISOString(),
      spec: job.data.spec,
      attempts: { made: job.attemptsMade, max: job.opts.attempts ?? 1 },
      history: [],
      checkpoints: [],
    },
    cancelledAt.toISOString(),
  );
  stored.cancelRequestedAt = requestedAt;
  const archived: ArchivedJob = job.data.study ? { ...stored, study: job.data.study } : stored;
  // Archive first, then remove: a reader never finds the job in neither place. If a worker took the job
  // meanwhile, BullMQ refuses the removal, the archive is rolled back and the job is left to that worker,
  // which sees the request and stops within a step.
  await redis
    .multi()
    .hset(keys.cancelled, jobId, JSON.stringify(archived))
    .zadd(keys.cancelledIndex, cancelledAt.getTime(), jobId)
    .exec();
  const rollBack = () => redis.multi().hdel(keys.cancelled, jobId).zrem(keys.cancelledIndex, jobId).exec();
  // Another archiver of the same job (the API and the worker, or two cancels) may finish first: BullMQ no
  // longer holds the job then, and the archive (ours overwrote theirs with the same record) stays.
  const archivedByAnother = async () => (await queue.getJob(jobId)) === undefined;
  // Why check the request again: a resume may have queued the job again since our reads (it clears the
  // request first), and BullMQ would let us remove that waiting job.
  if (!(await redis.hexists(keys.cancelRequests, jobId))) {
    if (await archivedByAnother()) return stored;
    await rollBack();
    throw new JobResumedError(jobId);
  }
  const removed = await queue.remove(jobId);
  if (removed !== 1) {
    if (await archivedByAnother()) return stored;
    await rollBack();
    throw new JobLockedError(jobId);
  }
  await redis.hdel(keys.cancelRequests, jobId);
  return stored;
}
