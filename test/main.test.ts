import assert from 'node:assert/strict';
import { once } from 'node:events';
import { createServer, type AddressInfo, type Server } from 'node:net';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { spawnScript, type SpawnedScript } from './helpers/spawned-script.js';

/** Longest wait for the service to answer after spawning. Why 30 s: tsx compiles on first start on a slow CI box. */
const START_TIMEOUT_MS = 30_000;

/** A spawned `src/main.ts` with its output collected. */
type Spawned = SpawnedScript;

/** Directories of the spawned services. Why temporary: `npm start` keeps its Redis data under ARTIFACT_DIR. */
const scratch = mkdtempSync(join(tmpdir(), 'scene-mtl-main-'));
after(() => rmSync(scratch, { recursive: true, force: true }));

/**
 * Spawns `node --import tsx src/main.ts` (what `npm start` runs) with `env` added to this environment and
 * fresh DATA_DIR and ARTIFACT_DIR.
 */
function startMain(env: NodeJS.ProcessEnv, args: string[] = []): Spawned {
  const dir = mkdtempSync(join(scratch, 'run-'));
  return spawnScript('src/main.ts', args, {
    ...process.env,
    LOG_LEVEL: 'warn',
    DATA_DIR: join(dir, 'data'),
    ARTIFACT_DIR: join(dir, 'artifacts'),
    REDIS_URL: '',
    ...env,
  });
}

/** Listens on a free loopback port and returns the server holding it. */
async function holdFreePort(): Promise<Server> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return server;
}

/** Returns a port that was free a moment ago. */
async function freePort(): Promise<number> {
  const server = await holdFreePort();
  const { port } = server.address() as AddressInfo;
  server.close();
  await once(server, 'close');
  return port;
}

/** Polls `url` until it answers, the process exits, or the deadline passes. */
async function waitForHttp(url: string, spawned: Spawned): Promise<Response> {
  const deadline = Date.now() + START_TIMEOUT_MS;
  let exited = false;
  void spawned.exited.then(() => (exited = true));
  while (Date.now() < deadline && !exited) {
    try {
      return await fetch(url);
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
  throw new Error(`no answer from ${url}; stderr: ${spawned.stderr()} stdout: ${spawned.stdout()}`);
}

describe('src/main.ts', () => {
  it('exits with status 1 and names PORT when PORT is invalid', async () => {
    const spawned = startMain({ PORT: 'abc' });
    const { code } = await spawned.exited;
    assert.equal(code, 1);
    assert.match(spawned.stderr(), /PORT="abc" is invalid: expected an integer from 1 to 65535/);
    assert.doesNotMatch(spawned.stderr(), /^\s+at /m, 'no stack trace');
  });

  it('names every invalid variable at once', async () => {
    const spawned = startMain({ PORT: '70000', TF_BACKEND: 'gpu', API_KEYS: 'bad key' });
    const { code } = await spawned.exited;
    assert.equal(code, 1);
    for (const fragment of ['PORT="70000"', 'TF_BACKEND="gpu"', 'API_KEYS=<hidden>']) {
      assert.ok(spawned.stderr().includes(fragment), spawned.stderr());
    }
    assert.ok(!spawned.stderr().includes('bad key'));
  });

  it('exits with status 1 when the port is taken', async () => {
    const blocker = await holdFreePort();
    try {
      const { port } = blocker.address() as AddressInfo;
      const spawned = startMain({ PORT: String(port), HOST: '127.0.0.1' });
      const { code } = await spawned.exited;
      assert.equal(code, 1);
      assert.match(spawned.stderr(), /start-up failed: .*EADDRINUSE/);
    } finally {
      blocker.close();
    }
  });

  it('serves /health/live over HTTP and exits 0 on SIGTERM', async () => {
    const port = await freePort();
    const spawned = startMain({ PORT: String(port), HOST: '127.0.0.1' });
    try {
      const res = await waitForHttp(`http://127.0.0.1:${port}/health/live`, spawned);
      assert.equal(res.status, 200);
      assert.deepEqual(await res.json(), { status: 'ok' });
      const missing = await fetch(`http://127.0.0.1:${port}/nope`);
      assert.equal(missing.status, 404);
      assert.equal(((await missing.json()) as { error: { code: string } }).error.code, 'NOT_FOUND');

      spawned.child.kill('SIGTERM');
      const { code, signal } = await spawned.exited;
      assert.equal(signal, null, 'exits by itself, not killed by the signal');
      assert.equal(code, 0, spawned.stderr());
    } finally {
      if (spawned.child.exitCode === null && spawned.child.signalCode === null) spawned.child.kill('SIGKILL');
    }
  });

  it('exits 0 on SIGINT too', async () => {
    const port = await freePort();
    const spawned = startMain({ PORT: String(port), HOST: '127.0.0.1' });
    try {
      await waitForHttp(`http://127.0.0.1:${port}/health/live`, spawned);
      spawned.child.kill('SIGINT');
      assert.deepEqual(await spawned.exited, { code: 0, signal: null });
    } finally {
      if (spawned.child.exitCode === null && spawned.child.signalCode === null) spawned.child.kill('SIGKILL');
    }
  });
  it('npm start runs the API, a worker and a local Redis: a job completes, and SIGINT stops everything', async () => {
    const port = await freePort();
    const spawned = startMain({ PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: 'info' });
    const base = `http://127.0.0.1:${port}`;
    try {
      await waitForHttp(`${base}/health/live`, spawned);
      const submitted = await fetch(`${base}/v1/training-jobs`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          dataset: { kind: 'synthetic', scenes: 4, size: [64, 128], seed: 1 },
          tasks: ['segmentation', 'instances', 'depth'],
          weighting: { strategy: 'uncertainty' },
          model: { width: 4, inputSize: [64, 128] },
          training: { epochs: 1, batchSize: 2 },
        }),
      });
      assert.equal(submitted.status, 202);
      const { id } = (await submitted.json()) as { id: string };
      const deadline = Date.now() + START_TIMEOUT_MS * 2;
      let status = '';
      while (Date.now() < deadline && status !== 'completed' && status !== 'failed') {
        await new Promise((resolve) => setTimeout(resolve, 200));
        status = ((await (await fetch(`${base}/v1/training-jobs/${id}`)).json()) as { status: string })
          .status;
      }
      assert.equal(status, 'completed', spawned.stdout().slice(-3000));
      const ready = await fetch(`${base}/health/ready`);
      assert.equal(ready.status, 200, await ready.clone().text());
      const pidLine = /"local redis-server started/.test(spawned.stdout());
      assert.ok(pidLine, 'logged the local Redis');

      spawned.child.kill('SIGINT');
      assert.deepEqual(await spawned.exited, { code: 0, signal: null }, spawned.stderr());
      assert.match(spawned.stdout(), /"msg":"worker stopped"/);
      assert.match(spawned.stdout(), /"msg":"shut down"/);
    } finally {
      if (spawned.child.exitCode === null && spawned.child.signalCode === null) spawned.child.kill('SIGKILL');
    }
  });

  it('says how to install redis-server and exits 1 when it is missing and REDIS_URL is unset', async () => {
    const emptyPath = mkdtempSync(join(scratch, 'path-'));
    const spawned = startMain({ PATH: emptyPath });
    const { code } = await spawned.exited;
    assert.equal(code, 1);
    assert.match(spawned.stderr(), /redis-server was not found on PATH/);
    assert.match(spawned.stderr(), /apt-get install -y redis-server/);
    assert.match(spawned.stderr(), /REDIS_URL=redis:\/\//);
  });

  it('start:api needs REDIS_URL', async () => {
    const spawned = startMain({}, ['api']);
    const { code } = await spawned.exited;
    assert.equal(code, 1);
    assert.match(spawned.stderr(), /REDIS_URL is not set/);
  });
});
