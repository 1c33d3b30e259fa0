/**
 * Logs people can read, on real processes: the start-up line with the URLs, requests not logged at info
 * (one debug line each at debug), `LOG_FORMAT=pretty` lines that are not JSON, and the train CLI's report
 * on stdout with no JSON log line in it.
 */
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { after, before, describe, it } from 'node:test';
import { serviceUrls, startupMessage } from '../src/api/service-urls.js';
import { createRootLogger } from '../src/logger.js';
import { buildTestApp } from './helpers/app.js';
import { freePort } from './helpers/ports.js';
import { startRedis, type RedisServer } from './helpers/redis.js';
import { spawnScript, type SpawnedScript } from './helpers/spawned-script.js';
import { uniqueQueueName, waitFor } from './helpers/training.js';

let scratch: string;
let redis: RedisServer;

before(async () => {
  scratch = await mkdtemp(join(tmpdir(), 'scene-mtl-logs-'));
  redis = await startRedis();
});
after(async () => {
  await redis.stop();
  await rm(scratch, { recursive: true, force: true });
});

/** Lines of `text` that parse as JSON objects. */
function jsonLines(text: string): Record<string, unknown>[] {
  return text
    .split('\n')
    .filter((l) => l.trim() !== '')
    .flatMap((l) => {
      try {
        const value: unknown = JSON.parse(l);
        return typeof value === 'object' && value !== null ? [value as Record<string, unknown>] : [];
      } catch {
        return [];
      }
    });
}

/** Starts `src/main.ts api` on a free port with `env`; waits for its start-up line. */
async function startApi(env: Record<string, string>): Promise<{ api: SpawnedScript; port: number }> {
  const port = await freePort();
  const api = spawnScript('src/main.ts', ['api'], {
    ...process.env,
    REDIS_URL: redis.url,
    QUEUE_NAME: uniqueQueueName('logs'),
    HOST: '127.0.0.1',
    PORT: String(port),
    DATA_DIR: join(scratch, 'data'),
    ARTIFACT_DIR: join(scratch, 'artifacts'),
    LOG_LEVEL: 'info',
    LOG_FORMAT: '',
    ...env,
  });
  await waitFor(
    'the start-up line',
    () => (api.stdout().includes('scene-mtl is up') ? true : undefined),
    30_000,
    100,
  ).catch((err: unknown) => {
    api.child.kill('SIGKILL');
    throw new Error(`${String(err)}\nstdout:\n${api.stdout()}\nstderr:\n${api.stderr()}`);
  });
  return { api, port };
}

/** Sends SIGTERM and waits for the exit. */
async function stop(api: SpawnedScript): Promise<void> {
  api.child.kill('SIGTERM');
  await api.exited;
}

describe('start-up line and request logs', () => {
  it('logs one start-up line with the API, docs and dashboard URLs, and no request at info', async () => {
    const { api, port } = await startApi({});
    try {
      const base = `http://127.0.0.1:${port}`;
      const up = jsonLines(api.stdout()).find((l) => String(l.msg).startsWith('scene-mtl is up'));
      assert.ok(up, api.stdout());
      assert.equal(up.level, 'info');
      assert.equal(up.msg, `scene-mtl is up: API ${base}, docs ${base}/docs, dashboard ${base}/`);
      assert.deepEqual(up.urls, { api: base, docs: `${base}/docs`, dashboard: `${base}/` });

      const before = api.stdout().length;
      for (const path of ['/health/live', '/v1/training-jobs', '/v1/models/none'])
        await fetch(`${base}${path}`);
      await new Promise((resolve) => setTimeout(resolve, 300));
      const after = api.stdout().slice(before);
      assert.doesNotMatch(after, /health\/live|training-jobs|request completed|incoming request/, after);
    } finally {
      await stop(api);
    }
  });

  it('LOG_FORMAT=pretty writes readable lines that are not JSON', async () => {
    const { api, port } = await startApi({ LOG_FORMAT: 'pretty' });
    await stop(api);
    const lines = api
      .stdout()
      .split('\n')
      .filter((l) => l.trim() !== '');
    assert.ok(lines.length >= 2, api.stdout());
    assert.deepEqual(jsonLines(api.stdout()), []);
    const base = `http://127.0.0.1:${port}`;
    assert.ok(
      lines.some((l) => /INFO.*\[main\] scene-mtl is up: API /.test(l) && l.includes(`${base}/docs`)),
      api.stdout(),
    );
    // Not coloured: stdout is a pipe, not a terminal.
    assert.ok(!api.stdout().includes('\u001b['), 'coloured output on a pipe');
  });

  it('logs each request once at debug level when LOG_LEVEL=debug', async () => {
    const lines: string[] = [];
    const sink = new Writable({
      write(chunk: Buffer, _enc, done) {
        lines.push(...chunk.toString().split('\n').filter(Boolean));
        done();
      },
    });
    const logger = createRootLogger({ level: 'debug', format: 'json', destination: sink });
    const app = await buildTestApp({ logger, label: 'logs' });
    try {
      await app.inject({ method: 'GET', url: '/health/live' });
      const requestLines = jsonLines(lines.join('\n')).filter((l) => String(l.msg).includes('/health/live'));
      assert.equal(requestLines.length, 1, lines.join('\n'));
      assert.equal(requestLines[0]!.level, 'debug');
      assert.equal(requestLines[0]!.msg, 'GET /health/live 200');
      assert.deepEqual(requestLines[0]!.res, { statusCode: 200 });
    } finally {
      await app.close();
    }
  });

  it('shows a bind-all HOST as localhost and names the dashboard', () => {
    const urls = serviceUrls('0.0.0.0', 3000);
    assert.deepEqual(urls, {
      api: 'http://localhost:3000',
      docs: 'http://localhost:3000/docs',
      dashboard: 'http://localhost:3000/',
    });
    assert.equal(serviceUrls('::1', 8080).api, 'http://[::1]:8080');
    const withDashboard = serviceUrls('127.0.0.1', 3000, '/dashboard');
    assert.equal(
      startupMessage(withDashboard),
      'scene-mtl is up: API http://127.0.0.1:3000, docs http://127.0.0.1:3000/docs, dashboard http://127.0.0.1:3000/dashboard',
    );
  });
});

describe('train CLI report', () => {
  it('prints its report on stdout without JSON log lines (they go to stderr)', async () => {
    const cli = spawnScript(
      'src/cli/train.ts',
      ['--synthetic', '2', '--input-size', '32x64', '--width', '4', '--epochs', '1', '--batch-size', '2'],
      { ...process.env, LOG_LEVEL: 'info', ARTIFACT_DIR: join(scratch, 'cli-artifacts'), LOG_FORMAT: '' },
    );
    const { code } = await cli.exited;
    assert.equal(code, 0, cli.stderr());
    assert.match(cli.stdout(), /^backend: /m);
    assert.match(cli.stdout(), /^epoch 1\/1 /m);
    assert.match(cli.stdout(), /^model \S+ written to /m);
    assert.deepEqual(jsonLines(cli.stdout()), [], cli.stdout());
    // The library's log lines are still there, on stderr.
    assert.ok(
      jsonLines(cli.stderr()).some((l) => l.msg === 'target cache built'),
      cli.stderr(),
    );
  });
});
