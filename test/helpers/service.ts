/**
 * The training service for a test file, as separate real parts: a private redis-server, the API listening
 * on a loopback port, and worker processes spawned on demand, all sharing one pair of temporary
 * directories. Each test takes its own queue (`environment()`), so tests never see each other's jobs.
 * Call {@link ServiceHarness.close} in `after`.
 */
import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { buildApp, type App } from '../../src/api/app.js';
import { loadConfig } from '../../src/config.js';
import type { TrainingJob } from '../../src/queue/job-schemas.js';
import { childPids, signalProcess } from './processes.js';
import { startRedis, type RedisOptions, type RedisServer } from './redis.js';
import { spawnWorker, tempDir, uniqueQueueName, waitFor, type SpawnedWorker } from './training.js';

/** The statuses a job does not leave. */
export const FINAL_STATUSES = ['completed', 'failed', 'cancelled'] as const;

/** A started API: its base URL and the app. */
export interface StartedApi {
  base: string;
  app: App;
}

/** Redis, directories, APIs and workers of one test file. */
export class ServiceHarness {
  private readonly workers: SpawnedWorker[] = [];
  private readonly apps: App[] = [];

  private constructor(
    /** The private redis-server. */
    readonly redis: RedisServer,
    private readonly dirs: { path: string; remove: () => Promise<void> },
  ) {}

  /**
   * Starts a private Redis and makes the temporary directories.
   *
   * @param label - Part of the directory and queue names.
   * @param redisOptions - E.g. `appendOnly` for a Redis that can be restarted without losing data.
   */
  static async start(label: string, redisOptions: RedisOptions = {}): Promise<ServiceHarness> {
    const redis = await startRedis(redisOptions);
    try {
      return new ServiceHarness(redis, await tempDir(label));
    } catch (err) {
      await redis.stop();
      throw err;
    }
  }

  /** Environment of one test's API and workers: its own queue, the shared Redis and directories. */
  environment(extra: Record<string, string> = {}): Record<string, string> {
    return {
      REDIS_URL: this.redis.url,
      QUEUE_NAME: uniqueQueueName('svc'),
      DATA_DIR: join(this.dirs.path, 'data'),
      ARTIFACT_DIR: this.artifactDir,
      PROGRESS_INTERVAL_MS: '0',
      SSE_HEARTBEAT_MS: '250',
      TF_BACKEND: process.env.TF_BACKEND ?? 'auto',
      ...extra,
    };
  }

  /** Starts the API on a free loopback port. */
  async startApi(env: Record<string, string>): Promise<StartedApi> {
    const app = await buildApp({ config: loadConfig(env), logger: false });
    this.apps.push(app);
    await app.listen({ host: '127.0.0.1', port: 0 });
    return { base: `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`, app };
  }

  /** Directory of the artifacts (ARTIFACT_DIR of every {@link environment}). */
  get artifactDir(): string {
    return join(this.dirs.path, 'artifacts');
  }

  /** Spawns a worker process and waits until it is ready. */
  async startWorker(env: Record<string, string>): Promise<SpawnedWorker> {
    const worker = spawnWorker(env);
    this.workers.push(worker);
    await worker.ready;
    return worker;
  }

  /** Kills every worker (their training children first: a frozen child would not see its worker die), closes the APIs, stops Redis and removes the directories. */
  async close(): Promise<void> {
    for (const w of this.workers) {
      if (w.child.pid !== undefined)
        for (const pid of await childPids(w.child.pid)) signalProcess(pid, 'SIGKILL');
    }
    for (const w of this.workers) w.kill();
    for (const app of this.apps) await app.close();
    await this.redis.stop();
    await this.dirs.remove();
  }
}

/** Submits a training job; asserts 202. */
export async function submitJob(base: string, body: unknown): Promise<TrainingJob> {
  const res = await fetch(`${base}/v1/training-jobs`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  assert.equal(res.status, 202, await res.clone().text());
  return (await res.json()) as TrainingJob;
}

/** Reads a training job; asserts 200. */
export async function getJob(base: string, id: string): Promise<TrainingJob> {
  const res = await fetch(`${base}/v1/training-jobs/${id}`);
  assert.equal(res.status, 200);
  return (await res.json()) as TrainingJob;
}

/** Polls a job until its status is one of `statuses`. */
export function untilStatus(
  base: string,
  id: string,
  statuses: readonly string[],
  timeoutMs = 60_000,
): Promise<TrainingJob> {
  return waitFor(
    `job ${id} to be ${statuses.join('|')}`,
    async () => {
      const job = await getJob(base, id);
      return statuses.includes(job.status) ? job : undefined;
    },
    timeoutMs,
    100,
  );
}
