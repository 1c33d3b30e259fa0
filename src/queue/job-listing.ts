/**
 * Pages of training jobs, newest first: by submission time (all, queued, running, cancelling), by finishing
 * time (completed, failed) or by cancellation time (cancelled), each from the index that orders it; filtered
 * by name and labels through one index per name and per label (key:value), written at submission.
 *
 * @packageDocumentation
 */
import type { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import type { LabelFilter } from '../model/job-labels.js';
import type { TrainingSpec } from '../model/training-spec.js';
import type { JobStatus, TrainingJob, TrainingJobData } from './job-schemas.js';
import { QUEUED_JOB_TYPES } from './job-view.js';
import type { TrainingQueueKeys } from './queue-names.js';

/** Options of {@link listJobs}. */
export interface ListOptions {
  status?: JobStatus | undefined;
  limit: number;
  offset: number;
  /** Only jobs with exactly this name. */
  name?: string | undefined;
  /** Only jobs with every one of these labels. */
  labels?: readonly LabelFilter[] | undefined;
}

/** The filter index keys a job with `name` and `labels` belongs to (see {@link TrainingQueueKeys.filter}). */
export function filterKeys(
  keys: TrainingQueueKeys,
  filters: { name?: string | undefined; labels?: readonly LabelFilter[] | undefined },
): string[] {
  return [
    ...(filters.name !== undefined ? [`${keys.filter}name:${filters.name}`] : []),
    ...(filters.labels ?? []).map(({ key, value }) => `${keys.filter}label:${key}:${value}`),
  ];
}

/**
 * The filter index keys of a spec's name and labels, to add the job to at submission (and to remove it
 * from when it is deleted).
 */
export function specFilterKeys(keys: TrainingQueueKeys, spec: TrainingSpec): string[] {
  const labels = Object.entries(spec.labels ?? {}).map(([key, value]) => ({ key, value }));
  return filterKeys(keys, { name: spec.name, labels });
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
  const filters = filterKeys(keys, options);
  const { ids, total } = await (filters.length > 0
    ? filteredPageOfIds(queue, redis, keys, filters, options)
    : pageOfIds(queue, redis, keys, options));
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

/**
 * The ids of one page of the jobs in every filter index of `filters`, in the order of the status's own
 * list: the jobs in all of them (ZINTER, newest submission first), then, for a status, those of that
 * status, ordered by the time the status's list is ordered by.
 */
async function filteredPageOfIds(
  queue: Queue<TrainingJobData>,
  redis: Redis,
  keys: TrainingQueueKeys,
  filters: readonly string[],
  { status, limit, offset }: ListOptions,
): Promise<{ ids: string[]; total: number }> {
  const scored = await redis.zinter(filters.length, ...filters, 'WITHSCORES');
  let entries: { id: string; score: number }[] = [];
  for (let i = 0; i + 1 < scored.length; i += 2)
    entries.push({ id: scored[i]!, score: Number(scored[i + 1]) });
  if (status === 'queued' || status === 'running' || status === 'cancelling') {
    const inStatus = new Set(
      status === 'queued'
        ? await queue.getRanges(QUEUED_JOB_TYPES, 0, -1)
        : await activeIds(queue, redis, keys, status === 'cancelling'),
    );
    entries = entries.filter((e) => inStatus.has(e.id));
  } else if (status !== undefined && entries.length > 0) {
    // The finishing (or cancellation) time, from the sorted set that orders the status's own list.
    const ordered = status === 'cancelled' ? keys.cancelledIndex : queue.keys[status]!;
    const times = await redis.zmscore(ordered, ...entries.map((e) => e.id));
    entries = entries
      .map((e, i) => ({ id: e.id, score: times[i] === null ? NaN : Number(times[i]) }))
      .filter((e) => !Number.isNaN(e.score));
  }
  entries.sort((a, b) => b.score - a.score);
  return { ids: entries.slice(offset, offset + limit).map((e) => e.id), total: entries.length };
}
