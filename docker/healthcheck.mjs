// Container health checks for the images in docker/ (plain Node, no tsx: it runs every few seconds).
//
//   node docker/healthcheck.mjs api      GET http://127.0.0.1:$PORT/health/live answers 2xx
//   node docker/healthcheck.mjs worker   this container's training worker is connected to $REDIS_URL
//
// Exit 0 = healthy, 1 = unhealthy (what Docker's HEALTHCHECK expects); the reason goes to stdout, which
// `docker inspect` shows under State.Health.
//
// Why the worker check reads CLIENT LIST: a worker has no HTTP port, and "the process is alive" says
// nothing that Docker does not already know. BullMQ names a worker's Redis connection
// `scene-mtl:<base64(queue)>:w:<worker name>`, and workers/training-worker.ts names the worker
// `<hostname>:<pid>`; the container's hostname is its id, so a matching client means this container's
// worker is up and holds its connection to the queue. It uses only `CLIENT LIST`, which compose's Redis
// allows (some managed Redis services do not: run those workers without this check).
/* global process, console, fetch, AbortSignal */
import { hostname } from 'node:os';
import { Redis } from 'ioredis';

/** Why 3 s: Docker's HEALTHCHECK --timeout in the images is 5 s; answer before Docker gives up. */
const TIMEOUT_MS = 3_000;

/** BullMQ key prefix of this service (src/queue/queue-names.ts QUEUE_PREFIX). */
const QUEUE_PREFIX = 'scene-mtl';

async function checkApi() {
  const port = process.env.PORT ?? '3000';
  const url = `http://127.0.0.1:${port}/health/live`;
  const res = await fetch(url, { signal: AbortSignal.timeout(TIMEOUT_MS) }).catch((err) => {
    throw new Error(`${url}: ${err?.cause?.code ?? err?.name ?? 'request failed'}`);
  });
  if (!res.ok) throw new Error(`${url} answered ${res.status}`);
  return `${url} answered ${res.status}`;
}

async function checkWorker() {
  const url = process.env.REDIS_URL;
  if (!url) throw new Error('REDIS_URL is not set');
  const redis = new Redis(url, {
    lazyConnect: true,
    connectTimeout: TIMEOUT_MS,
    commandTimeout: TIMEOUT_MS,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
  });
  let lastError = 'connection closed';
  redis.on('error', (err) => (lastError = err.code ?? err.message));
  try {
    await redis.connect().catch(() => {
      throw new Error(`cannot reach Redis (${lastError})`);
    });
    const list = /** @type {string} */ (await redis.call('CLIENT', 'LIST'));
    const marker = `:w:${hostname()}:`;
    const found = list
      .split('\n')
      .map((line) => /(?:^| )name=(\S*)/.exec(line)?.[1] ?? '')
      .find((name) => name.startsWith(`${QUEUE_PREFIX}:`) && name.includes(marker));
    if (found === undefined) throw new Error(`no worker connection named *${marker}* in Redis`);
    return `worker connection ${found}`;
  } finally {
    redis.disconnect();
  }
}

const checks = { api: checkApi, worker: checkWorker };
const mode = process.argv[2] ?? '';
const check = Object.hasOwn(checks, mode) ? checks[/** @type {'api' | 'worker'} */ (mode)] : undefined;
if (check === undefined) {
  console.log(`usage: node docker/healthcheck.mjs api|worker (got "${mode}")`);
  process.exit(1);
}
try {
  console.log(`healthy: ${await check()}`);
  process.exit(0);
} catch (err) {
  console.log(`unhealthy: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
}
