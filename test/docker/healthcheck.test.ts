/**
 * The behaviour of docker/healthcheck.mjs, the images' HEALTHCHECK, run as Docker runs it: against a local
 * HTTP server for the API, and against a private Redis and a real training worker for the workers.
 *
 * @packageDocumentation
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { startRedis, type RedisServer } from '../helpers/redis.js';
import { spawnWorker, tempDir, uniqueQueueName } from '../helpers/training.js';
import { ROOT } from './helpers/repository.js';

/** Runs docker/healthcheck.mjs as Docker does and returns its exit status and output. */
function runHealthcheck(mode: string, env: NodeJS.ProcessEnv): Promise<{ code: number; output: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['docker/healthcheck.mjs', mode],
      { cwd: ROOT, env: { ...process.env, ...env }, timeout: 15_000 },
      (error, stdout, stderr) => {
        const code = error === null ? 0 : typeof error.code === 'number' ? error.code : -1;
        resolve({ code, output: `${stdout}${stderr}` });
      },
    );
  });
}

describe('docker/healthcheck.mjs', () => {
  let redis: RedisServer;
  let server: Server;
  let status = 200;
  before(async () => {
    redis = await startRedis();
    server = createServer((req, res) => {
      res.writeHead(req.url === '/health/live' ? status : 404).end();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  });
  after(async () => {
    await new Promise((resolve) => server.close(resolve));
    await redis.stop();
  });

  it('api: healthy while GET /health/live on $PORT answers 2xx', async () => {
    const port = String((server.address() as AddressInfo).port);
    status = 200;
    assert.equal((await runHealthcheck('api', { PORT: port })).code, 0);
    status = 503;
    const failing = await runHealthcheck('api', { PORT: port });
    assert.equal(failing.code, 1);
    assert.match(failing.output, /answered 503/);
    await new Promise((resolve) => server.close(resolve));
    const down = await runHealthcheck('api', { PORT: port });
    assert.equal(down.code, 1);
    assert.match(down.output, /ECONNREFUSED/);
  });

  it("worker: healthy exactly while this host's training worker is connected to Redis", async () => {
    const before = await runHealthcheck('worker', { REDIS_URL: redis.url });
    assert.equal(before.code, 1);
    assert.match(before.output, /no worker connection/);

    const dirs = await tempDir('scene-mtl-healthcheck-');
    const worker = spawnWorker({
      REDIS_URL: redis.url,
      QUEUE_NAME: uniqueQueueName('healthcheck'),
      DATA_DIR: join(dirs.path, 'data'),
      ARTIFACT_DIR: join(dirs.path, 'artifacts'),
    });
    try {
      await worker.ready;
      const up = await runHealthcheck('worker', { REDIS_URL: redis.url });
      assert.equal(up.code, 0, up.output);
      assert.ok(up.output.includes(`:w:${hostname()}:`), up.output);
      worker.child.kill('SIGTERM');
      assert.equal((await worker.exited).code, 0);
      assert.equal((await runHealthcheck('worker', { REDIS_URL: redis.url })).code, 1);
    } finally {
      worker.kill();
      await dirs.remove();
    }
  });

  it('worker: unhealthy, saying why, when Redis cannot be reached or REDIS_URL is unset', async () => {
    const unreachable = await runHealthcheck('worker', { REDIS_URL: 'redis://127.0.0.1:1' });
    assert.equal(unreachable.code, 1);
    assert.match(unreachable.output, /cannot reach Redis/);
    const unset = await runHealthcheck('worker', { REDIS_URL: '' });
    assert.equal(unset.code, 1);
    assert.match(unset.output, /REDIS_URL is not set/);
  });

  it('exits 1 (never 2, which Docker reserves) on an unknown mode', async () => {
    assert.equal((await runHealthcheck('database', {})).code, 1);
  });
});
