/**
 * Names shared by the producer (API), the workers and the tests: the BullMQ key prefix, the job name and
 * the keys this service keeps beside BullMQ's own.
 *
 * @packageDocumentation
 */

/**
 * Prefix of every Redis key BullMQ and this service write (BullMQ's default is `bull`).
 * Why our own: a Redis shared with other BullMQ applications must not mix their queues with ours.
 */
export const QUEUE_PREFIX = 'scene-mtl';

/** Name of every job in the training queue. Why one name: the queue holds one kind of job. */
export const TRAINING_JOB_NAME = 'train';

/**
 * Keys this service keeps beside BullMQ's, for one queue. All live under `scene-mtl:{queue}:x:` so that
 * `KEYS scene-mtl:{queue}:*` shows everything the queue owns and nothing collides with BullMQ's names.
 */
export interface TrainingQueueKeys {
  /** Sorted set of every job ever submitted: member = job id, score = submission time (ms). */
  index: string;
  /** Hash job id -> ISO time at which cancellation was requested (queued or running). */
  cancelRequests: string;
  /** Hash job id -> JSON snapshot of a cancelled job (the BullMQ job itself is removed). */
  cancelled: string;
  /** Sorted set of cancelled jobs: member = job id, score = cancellation time (ms). */
  cancelledIndex: string;
  /** Prefix of the Idempotency-Key records: `{idempotency}{sha256(key)}` -> JSON { jobId, bodyHash }. */
  idempotency: string;
  /**
   * Prefix of the list filters' indexes: `{filter}name:{name}` and `{filter}label:{key}:{value}`, each a
   * sorted set of job ids with their submission time (ms) as the score, like `index`.
   */
  filter: string;
}

/**
 * Returns the keys of {@link TrainingQueueKeys} for `queueName`.
 *
 * @param queueName - The BullMQ queue name (`QUEUE_NAME`).
 */
export function trainingQueueKeys(queueName: string): TrainingQueueKeys {
  const base = `${QUEUE_PREFIX}:${queueName}:x:`;
  return {
    index: `${base}index`,
    cancelRequests: `${base}cancel-requests`,
    cancelled: `${base}cancelled`,
    cancelledIndex: `${base}cancelled-index`,
    idempotency: `${base}idempotency:`,
    filter: `${base}filter:`,
  };
}
