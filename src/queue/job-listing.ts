/**
 * Pages of training jobs, newest first: by submission time (all, queued, running, cancelling), by finishing time
 * (completed, failed) or by cancellation time (cancelled), each from the index that orders it.
 *
 * @packageDocumentation
 */
import type { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import type { JobStatus, TrainingJob, TrainingJobData } from './job-schemas.js';
import { QUEUED_JOB_TYPES } from './job-view.js';
import type { TrainingQueueKeys } from './queue-names.js';

/** Options of {@link listJobs}. */
export interface ListOptions {
  status?: JobStatus | undefined;
  limit: number;
  offset: number;
}

/** A page of jobs. */
export interface JobPage {
  items: TrainingJob[];
  /** Jobs matching the filter, over all pages. */
  total: number;
}

/**
 * Lists one page of jobs.
 *
 * @param queue - The training queue.
 * @param redis - A client of the same Redis.
 * @param keys - The queue's keys.
 * @param options - Status filter and page.
 * @param findJob - Reads a job's view; a job that vanished meanwhile (or changed status) is left out.
 */
export async function listJobs(
  queue: Queue<TrainingJobData>,
  redis: Redis,
  keys: TrainingQueueKeys,
  options: ListOptions,
  findJob: (id: string) => Promise<TrainingJob | undefined>,
): Promise<JobPage> {
  const { status } = options;
  const { ids, total } = await pageOfIds(queue, redis, keys, options);
  const views = await Promise.all(ids.map(findJob));
  const items = views.filter(
    (v): v is TrainingJob => v !== undefined && (status === undefined || v.status === status),
  );
  return { items, total };
}

/** The ids of one page and the number of jobs matching the filter. */
async function pageOfIds(
  queue: Queue<TrainingJobData>,
  redis: Redis,
  keys: TrainingQueueKeys,
  { status, limit, offset }: ListOptions,
): Promise<{ ids: string[]; total: number }> {
  const last = offset + limit - 1;
  switch (status) {
    case undefined: {
      const [total, ids] = await Promise.all([
        redis.zcard(keys.index),
        redis.zrevrange(keys.index, offset, last),
      ]);
      return { ids, total };
    }
    case 'queued':
    case 'running':
    case 'cancelling': {
      // All small (bounded by MAX_QUEUED_JOBS and by the number of workers): sort by submission time here.
      const all =
        status === 'queued'
          ? await queue.getRanges(QUEUED_JOB_TYPES, 0, -1)
          : await activeIds(queue, redis, keys, status === 'cancelling');
      const scores = all.length === 0 ? [] : await redis.zmscore(keys.index, ...all);
      const sorted = all
        .map((id, i) => ({ id, score: Number(scores[i] ?? 0) }))
        .sort((a, b) => b.score - a.score)
        .map((entry) => entry.id);
      return { ids: sorted.slice(offset, offset + limit), total: sorted.length };
    }
    case 'completed':
    case 'failed': {
      const [total, ids] = await Promise.all([
        queue.getJobCountByTypes(status),
        queue.getRanges([status], offset, last, false),
      ]);
      return { ids, total };
    }
    case 'cancelled': {
      const [total, ids] = await Promise.all([
        redis.zcard(keys.cancelledIndex),
        redis.zrevrange(keys.cancelledIndex, offset, last),
      ]);
      return { ids, total };
    }
  }
}

/**
 * The ids of the active jobs whose cancellation was (`cancelling`) or was not (`running`) requested.
 *
 * @param cancelling - Which of the two.
 */
export async function activeIds(
  queue: Queue<TrainingJobData>,
  redis: Redis,
  keys: TrainingQueueKeys,
  cancelling: boolean,
): Promise<string[]> {
  const active = await queue.getRanges(['active'], 0, -1);
  if (active.length === 0) return [];
  const requested = await redis.hmget(keys.cancelRequests, ...active);
  return active.filter((_, i) => (requested[i] !== null && requested[i] !== undefined) === cancelling);
}
