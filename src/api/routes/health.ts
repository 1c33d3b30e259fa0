/**
 * Health endpoints for orchestrators and load balancers. They need no API key.
 *
 * @packageDocumentation
 */
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { checkRedisSettings, withTimeout } from '../../queue/redis-connection.js';
import { backendInfo } from '../../tf/index.js';
import {
  HealthLiveResponseSchema,
  HealthReadyResponseSchema,
  type HealthReadyResponse,
} from '../schemas/health.js';

/** Longest wait for Redis in a readiness probe. Why 1 s: probes time out after a few seconds; answer before. */
const READY_REDIS_TIMEOUT_MS = 1_000;

/**
 * Longest wait for the first count of the files in a readiness probe. Why 500 ms: within the probe's 1 s
 * with the Redis check; a first walk of a large DATA_DIR that takes longer goes on and the next probe
 * reports it (later walks run in the background, see DiskUsageMonitor).
 */
const READY_DISK_TIMEOUT_MS = 500;

/** Checks Redis: reachable, and with the settings BullMQ needs. */
async function checkRedis(
  app: Parameters<FastifyPluginAsyncTypebox>[0],
): Promise<HealthReadyResponse['checks']['redis']> {
  const queue = app.trainingQueue;
  if (queue === null) return { ok: false, error: 'REDIS_URL is unset' };
  const started = performance.now();
  try {
    await queue.producer.ping(READY_REDIS_TIMEOUT_MS);
    const latencyMs = Math.round((performance.now() - started) * 100) / 100;
    const report = await withTimeout(
      checkRedisSettings(queue.producer.redis),
      READY_REDIS_TIMEOUT_MS,
      'redis INFO',
    );
    const check = { latencyMs, version: report.version, maxmemoryPolicy: report.maxmemoryPolicy };
    return report.problems.length === 0
      ? { ok: true, ...check }
      : { ok: false, error: report.problems.join(' '), ...check };
  } catch (err) {
    return { ok: false, error: `Redis unreachable: ${err instanceof Error ? err.message : String(err)}` };
  }
}

/** Checks that a file can be written to and removed from `ARTIFACT_DIR`. */
async function checkArtifactStore(
  artifactDir: string,
): Promise<HealthReadyResponse['checks']['artifactStore']> {
  const probe = join(artifactDir, `.ready-probe-${process.pid}`);
  try {
    await mkdir(artifactDir, { recursive: true });
    await writeFile(probe, 'ok');
    await rm(probe, { force: true });
    return { ok: true };
  } catch (err) {
    // Why only the code: the message would show the server's path.
    return {
      ok: false,
      error: `ARTIFACT_DIR is not writable (${(err as NodeJS.ErrnoException).code ?? 'error'})`,
    };
  }
}

/**
 * Registers (mount with prefix `/health`):
 * - `GET /live`: `{ "status": "ok" }` whenever the process can serve HTTP at all. It checks no dependency on
 *   purpose, so that a Redis outage makes the service not ready rather than getting it restarted.
 * - `GET /ready`: 200 when Redis answers (with `noeviction`), a compute backend is initialised and
 *   `ARTIFACT_DIR` is writable; 503 with the failing checks otherwise. Either way it reports disk use.
 */
export const healthRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/live',
    {
      schema: {
        summary: 'Liveness probe',
        tags: ['health'],
        response: { 200: HealthLiveResponseSchema },
      },
    },
    async () => ({ status: 'ok' as const }),
  );

  app.get(
    '/ready',
    {
      schema: {
        summary: 'Readiness probe',
        description:
          'Redis reachable with noeviction, compute backend initialised, artifact store writable; `disk` reports the bytes used under ARTIFACT_DIR (datasets, cache, models, checkpoints) and DATA_DIR and the free space left (not a readiness condition).',
        tags: ['health'],
        response: {
          200: { ...HealthReadyResponseSchema, description: 'Ready.' },
          503: { ...HealthReadyResponseSchema, description: 'Not ready; the failing checks say why.' },
        },
      },
    },
    async (_request, reply) => {
      const [redis, artifactStore, disk] = await Promise.all([
        checkRedis(app),
        checkArtifactStore(app.config.ARTIFACT_DIR),
        withTimeout(app.diskUsage.current(), READY_DISK_TIMEOUT_MS, 'disk use').catch((err: unknown) => {
          app.log.warn({ err }, 'could not measure disk use for /health/ready');
          return undefined;
        }),
      ]);
      const info = backendInfo();
      const backend =
        info === undefined
          ? { ok: false, error: 'no compute backend initialised in this process' }
          : {
              ok: true,
              name: info.name,
              package: info.package,
              gpu: info.gpu,
              tfjsVersion: info.tfjsVersion,
            };
      const ready = redis.ok && backend.ok && artifactStore.ok;
      const body: HealthReadyResponse = {
        status: ready ? 'ready' : 'not_ready',
        checks: { redis, backend, artifactStore },
        ...(disk ? { disk } : {}),
      };
      return reply.code(ready ? 200 : 503).send(body);
    },
  );
};
