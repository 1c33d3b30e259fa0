/**
 * The number of training jobs in each public status, for `/metrics`.
 *
 * @packageDocumentation
 */
import type { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import { JOB_STATUSES, type JobStatus, type TrainingJobData } from './job-schemas.js';
import { activeIds } from './job-listing.js';
import { QUEUED_JOB_TYPES } from './job-view.js';
import type { TrainingQueueKeys } from './queue-names.js';

/**
 * Counts jobs by status: BullMQ's counts of its states, mapped as the job view maps them, and the
 * archive of cancelled jobs (BullMQ no longer holds those).
 *
 * @param queue - The training queue.
 * @param redis - A client of the same Redis.
 * @param keys - The queue's keys.
 */
export async function countJobsByStatus(
  queue: Queue<TrainingJobData>,
  redis: Redis,
  keys: TrainingQueueKeys,
): Promise<Record<JobStatus, number>> {
  const [counts, cancelled, cancelling] = await Promise.all([
    queue.getJobCounts(...QUEUED_JOB_TYPES, 'active', 'completed', 'failed'),
    redis.zcard(keys.cancelledIndex),
    activeIds(queue, redis, keys, true),
  ]);
  const n = (type: string): number => counts[type] ?? 0;
  const result = Object.fromEntries(JOB_STATUSES.map((s) => [s, 0])) as Record<JobStatus, number>;
  result.queued = QUEUED_JOB_TYPES.reduce((sum, type) => sum + n(type), 0);
  result.cancelling = cancelling.length;
  result.running = Math.max(0, n('active') - cancelling.length);
  result.completed = n('completed');
  result.failed = n('failed');
  result.cancelled = cancelled;
  return result;
}
