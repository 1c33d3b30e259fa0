import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createServer, type AddressInfo, type Server } from 'node:net';
import { fileURLToPath } from 'node:url';
import { describe, it } from 'node:test';

/** Repository root, where `npm start` runs. */
const ROOT = fileURLToPath(new URL('..', import.meta.url));

/** Longest wait for the service to answer after spawning. Why 30 s: tsx compiles on first start on a slow CI box. */
const START_TIMEOUT_MS = 30_000;

/** A spawned `src/main.ts` with its output collected. */
interface Spawned {
  child: ChildProcess;
  stdout: () => string;
  stderr: () => string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** Spawns `node --import tsx src/main.ts` (what `npm start` runs) with `env` added to this environment. */
function startMain(env: NodeJS.ProcessEnv): Spawned {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    cwd: ROOT,
    env: { ...process.env, LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout?.on('data', (chunk: Buffer) => (out += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (err += chunk.toString()));
  const exited = once(child, 'exit').then(([code, signal]) => ({
    code: code as number | null,
    signal: signal as NodeJS.Signals | null,
  }));
  return { child, stdout: () => out, stderr: () => err, exited };
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
});
