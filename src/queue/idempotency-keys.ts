/**
 * Idempotency-Key records of the training queue: a resubmission with the same key and body within
 * {@link IDEMPOTENCY_TTL_SECONDS} gets the job of the first submission, another body gets a 409, and
 * concurrent submissions with one key race for it in Redis (`SET NX`) so that exactly one job is added.
 *
 * @packageDocumentation
 */
import { createHash, randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import { ConflictError } from '../errors.js';
import type { TrainingSpec } from '../model/training-spec.js';
import type { TrainingJob } from './job-schemas.js';

/** How long an Idempotency-Key is remembered. Why 24 h: what Stripe and the IETF draft use; retries happen within minutes. */
export const IDEMPOTENCY_TTL_SECONDS = 24 * 60 * 60;

/** Longest wait for a concurrent submission with the same Idempotency-Key to add its job. */
const IDEMPOTENCY_RACE_WAIT_MS = 2_000;

/** Pause between reads while waiting for that job. Why 50 ms: adding a job takes a few Redis round trips. */
const IDEMPOTENCY_POLL_MS = 50;

/** What an Idempotency-Key record holds. */
interface IdempotencyRecord {
  jobId: string;
  bodyHash: string;
}

/**
 * Answer of {@link IdempotencyKeys.reserve}: the id for the new job (or study), or the one that took the
 * key first.
 */
export type IdempotencyReservation<T = TrainingJob> = { jobId: string } | { earlierJob: T };

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
 * The Idempotency-Key records of one queue (`{prefix}{sha256(key)}` -> `{ jobId, bodyHash }`), keyed by a
 * digest so that a client's key never appears in Redis. `T` is what a key stands for: a training job, or a
 * study (whose records live under a prefix of their own; `jobId` then holds the study's id).
 */
export class IdempotencyKeys<T = TrainingJob> {
  private readonly redis: Redis;
  private readonly prefix: string;
  private readonly findJob: (id: string) => Promise<T | undefined>;

  /**
   * @param redis - The producer's connection.
   * @param prefix - The queue's record prefix (`TrainingQueueKeys.idempotency`).
   * @param findJob - Reads a job's view (undefined while it is not added yet).
   */
  constructor(redis: Redis, prefix: string, findJob: (id: string) => Promise<T | undefined>) {
    this.redis = redis;
    this.prefix = prefix;
    this.findJob = findJob;
  }

  /**
   * The job of an earlier submission with this key, or undefined when the key is new.
   *
   * @throws {@link ConflictError} when that submission had another body, or its job did not appear in time.
   */
  async earlierJob(key: string, spec: TrainingSpec | object): Promise<T | undefined> {
    const existing = await this.redis.get(this.recordKey(key));
    return existing === null ? undefined : this.jobOf(JSON.parse(existing), bodyHash(spec));
  }

  /**
   * Takes the key for a new job, unless a concurrent submission took it first.
   *
   * @returns The id to add the job with, or the other submission's job.
   * @throws {@link ConflictError} as {@link IdempotencyKeys.earlierJob} does.
   */
  async reserve(key: string, spec: TrainingSpec | object): Promise<IdempotencyReservation<T>> {
    const recordKey = this.recordKey(key);
    const record: IdempotencyRecord = { jobId: randomUUID(), bodyHash: bodyHash(spec) };
    const reserved = await this.redis.set(
      recordKey,
      JSON.stringify(record),
      'EX',
      IDEMPOTENCY_TTL_SECONDS,
      'NX',
    );
    if (reserved !== null) return { jobId: record.jobId };
    // Another request with the same key won the race.
    const winner = await this.redis.get(recordKey);
    if (winner === null) throw new ConflictError('A request with this Idempotency-Key is being processed.');
    return { earlierJob: await this.jobOf(JSON.parse(winner), record.bodyHash) };
  }

  /** Forgets a reservation whose job could not be added, so that a retry with the key can add it. */
  async release(key: string): Promise<void> {
    await this.redis.del(this.recordKey(key));
  }

  private recordKey(key: string): string {
    return `${this.prefix}${sha256(key)}`;
  }

  /** The job a record names, waiting a moment for a concurrent submission to add it. */
  private async jobOf(record: IdempotencyRecord, hash: string): Promise<T> {
    if (record.bodyHash !== hash) {
      throw new ConflictError('This Idempotency-Key was used with a different request body.');
    }
    const deadline = Date.now() + IDEMPOTENCY_RACE_WAIT_MS;
    for (;;) {
      const view = await this.findJob(record.jobId);
      if (view !== undefined) return view;
      if (Date.now() > deadline)
        throw new ConflictError('A request with this Idempotency-Key is being processed.');
      await sleep(IDEMPOTENCY_POLL_MS);
    }
  }
}

/** Digest of a spec's (or a study request's) canonical JSON: what "the same body" means. */
function bodyHash(spec: TrainingSpec | object): string {
  return sha256(canonicalJson(spec));
}
