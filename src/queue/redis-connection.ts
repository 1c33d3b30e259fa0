/**
 * Redis connections for the queue, and the check of the Redis settings BullMQ depends on.
 *
 * @packageDocumentation
 */
import { Redis } from 'ioredis';
import type { Logger } from '../logger.js';

/**
 * Who uses a connection. Why it matters: BullMQ workers and event listeners block on Redis and must wait
 * for it to come back (`maxRetriesPerRequest: null`), while the API must fail fast and answer 503.
 */
export type RedisRole = 'api' | 'worker' | 'events';

/**
 * Retries of one command while Redis is unreachable, for the API. Why 1: a request should get its 503
 * within a fraction of a second rather than hang while ioredis reconnects.
 */
const API_MAX_RETRIES_PER_REQUEST = 1;

/** Least time between two logged connection errors of one connection. Why: ioredis retries every ~2 s forever. */
const ERROR_LOG_INTERVAL_MS = 30_000;

/**
 * Opens a Redis connection for `role`: workers and event listeners get `maxRetriesPerRequest: null`
 * (BullMQ requires it for blocking commands), the API a connection that fails a command fast. Connection
 * errors are logged at most every 30 s instead of crashing the process.
 *
 * @param url - `REDIS_URL`.
 * @param role - Who uses it.
 * @param logger - Where to report connection errors.
 */
export function createRedisConnection(url: string, role: RedisRole, logger?: Logger): Redis {
  const redis = new Redis(url, {
    maxRetriesPerRequest: role === 'api' ? API_MAX_RETRIES_PER_REQUEST : null,
    connectionName: `scene-mtl-${role}`,
  });
  let lastLogged = 0;
  redis.on('error', (err: Error) => {
    const now = Date.now();
    if (now - lastLogged < ERROR_LOG_INTERVAL_MS) return;
    lastLogged = now;
    logger?.warn({ err: { message: err.message }, role }, 'redis connection error (retrying)');
  });
  return redis;
}

/** What {@link checkRedisSettings} found. */
export interface RedisSettingsReport {
  version: string;
  maxmemoryPolicy: string;
  /** Problems that make BullMQ unsafe; a worker refuses to start on any of them. */
  problems: string[];
}

/** Oldest Redis BullMQ 6 supports. Why: its Lua scripts use commands from 6.2 (and BullMQ refuses older). */
const MIN_REDIS_VERSION = [6, 2, 0] as const;

/** Reads `field:value` lines of an INFO answer. */
function infoField(info: string, field: string): string | undefined {
  const match = new RegExp(`^${field}:(.*)$`, 'm').exec(info);
  return match?.[1]?.trim();
}

/** Whether dotted version `a` is older than `min`. */
function olderThan(a: string, min: readonly number[]): boolean {
  const parts = a.split('.').map((p) => Number.parseInt(p, 10) || 0);
  for (let i = 0; i < min.length; i++) {
    const x = parts[i] ?? 0;
    const y = min[i] ?? 0;
    if (x !== y) return x < y;
  }
  return false;
}

/**
 * Checks the Redis settings BullMQ depends on: `maxmemory-policy noeviction` (any other policy may evict
 * job keys under memory pressure and silently lose jobs) and a version of at least 6.2. Uses INFO, which
 * managed Redis services allow even where CONFIG is disabled.
 *
 * @param redis - A connected (or connecting) client.
 * @returns The version, the policy and every problem found, each a sentence saying how to fix it.
 */
export async function checkRedisSettings(redis: Redis): Promise<RedisSettingsReport> {
  const info = await redis.info();
  const version = infoField(info, 'redis_version') ?? '0.0.0';
  const maxmemoryPolicy = infoField(info, 'maxmemory_policy') ?? 'unknown';
  const problems: string[] = [];
  if (maxmemoryPolicy !== 'noeviction') {
    problems.push(
      `Redis maxmemory-policy is "${maxmemoryPolicy}" but BullMQ needs "noeviction" (any eviction can silently drop jobs); ` +
        'set it with `redis-cli CONFIG SET maxmemory-policy noeviction` and `maxmemory-policy noeviction` in redis.conf.',
    );
  }
  if (olderThan(version, MIN_REDIS_VERSION)) {
    problems.push(
      `Redis ${version} is too old: the queue needs Redis ${MIN_REDIS_VERSION.join('.')} or newer.`,
    );
  }
  return { version, maxmemoryPolicy, problems };
}

/**
 * Resolves with `promise`, or rejects after `ms`. Why: a health probe must answer even when Redis hangs.
 *
 * @param promise - What to wait for.
 * @param ms - Longest wait.
 * @param what - Named in the timeout error.
 */
export async function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      promise,
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`${what} timed out after ${ms} ms`)), ms);
      }),
    ]);
  } finally {
    clearTimeout(timer);
  }
}
