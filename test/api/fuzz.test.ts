/**
 * A fuzz of the HTTP API: every operation of openapi.yaml gets malformed values in each parameter and body
 * field, bad bodies and content types, broken images and multipart bodies, and bad API keys (API_KEYS is
 * set), then seeded random combinations; over real HTTP against the real app, with a private Redis and a
 * tiny model on disk so that predictions reach the image code. No answer may be a 5xx, every error answer
 * has the standard body, and the service is alive afterwards.
 *
 * Reproduce a run with `FUZZ_SEED=<seed printed as a # line> node --import tsx --test test/api/fuzz.test.ts`.
 */
import assert from 'node:assert/strict';
import { rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { App } from '../../src/api/app.js';
import { selectBackend } from '../../src/tf/index.js';
import { buildTestApp } from '../helpers/app.js';
import { seededRandom } from '../helpers/random.js';
import { startRedis, type RedisServer } from '../helpers/redis.js';
import { saveTinyModel } from '../helpers/tiny-model.js';
import { tinySpec } from '../helpers/training.js';
import { brokenImages, goodImages } from './fuzz/broken-images.js';
import { readOperations } from './fuzz/openapi-operations.js';
import { RequestPlan, type WireRequest } from './fuzz/request-plan.js';
import { rawExchange, type RawExchange } from './helpers/raw-http.js';

/** The run's seed: `FUZZ_SEED`, or a fixed one so that `npm test` sends the same requests every time. */
const SEED = Number(process.env.FUZZ_SEED ?? 20_261_201);

/** Requests to send, at least. Why 3200: issue 11 asks for 3,000; the systematic part is about 1,900. */
const TOTAL_REQUESTS = 3200;

/** Requests in flight at once. Why 8: keeps both cores busy without queueing predictions (limit 16). */
const CONCURRENCY = 8;

/** Longest wait for one answer. Why 15 s: the fuzz app's timeouts are 2 s; anything longer is a hang. */
const ANSWER_WAIT_MS = 15_000;

/** The operation whose answers show that the image code ran (200: predicted, 422: did not decode). */
const PREDICT = 'POST /v1/models/{id}/predict';

/** Models broken on disk before the run: a manifest cut short, and a model without its weights. */
const BROKEN_MODELS = ['broken-manifest', 'broken-weights'];

/** The valid API key of the fuzz app. */
const API_KEY = 'fuzz-key-0123';

/** Serialises a request (Content-Length added unless it sets its own). */
function toWire(request: WireRequest): Buffer {
  const headers = [['host', '127.0.0.1'], ['connection', 'close'], ...request.headers];
  const framed = headers.some(([name]) => name === 'content-length' || name === 'transfer-encoding');
  if (request.body !== undefined && !framed) headers.push(['content-length', String(request.body.length)]);
  const head = `${request.method} ${request.target} HTTP/1.1\r\n${headers.map(([n, v]) => `${n}: ${v}`).join('\r\n')}\r\n\r\n`;
  return Buffer.concat([Buffer.from(head, 'latin1'), request.body ?? Buffer.alloc(0)]);
}

/** Why an answer breaks the rules, or undefined when it keeps them. */
function problemOf(answer: RawExchange): string | undefined {
  if (!answer.closed) return `no answer within ${ANSWER_WAIT_MS} ms`;
  if (answer.status === undefined) return undefined; // Node closed the socket without an answer.
  if (answer.status >= 500) return `status ${answer.status}: ${answer.body.slice(0, 300)}`;
  if (answer.status < 400) return undefined;
  try {
    const body = JSON.parse(answer.body) as { error?: { code?: unknown; message?: unknown } };
    const ok = typeof body.error?.code === 'string' && typeof body.error.message === 'string';
    return ok ? undefined : `error body without { error: { code, message } }: ${answer.body.slice(0, 300)}`;
  } catch {
    return `error body is not JSON: ${answer.body.slice(0, 300)}`;
  }
}

describe('HTTP fuzz of every operation in openapi.yaml', () => {
  let redis: RedisServer;
  let app: App;
  let port: number;
  let jobId: string;

  before(async () => {
    await selectBackend('wasm');
    redis = await startRedis();
    app = await buildTestApp({
      redisUrl: redis.url,
      label: 'fuzz',
      env: {
        API_KEYS: API_KEY,
        TF_BACKEND: 'wasm',
        // Why: every valid submission is queued (no worker runs); a full queue would be a (correct) 503.
        MAX_QUEUED_JOBS: '100000',
        PREDICT_QUEUE_SIZE: '64',
        // Why 2 s: a body shorter than its Content-Length is answered 408 without holding the run.
        REQUEST_TIMEOUT_MS: '2000',
        HEADERS_TIMEOUT_MS: '2000',
        MAX_BODY_BYTES: String(1024 * 1024),
      },
    });
    for (const id of ['tiny', 'spare-1', 'spare-2', 'spare-3', ...BROKEN_MODELS]) {
      await saveTinyModel(app.config.ARTIFACT_DIR, id);
    }
    const models = join(app.config.ARTIFACT_DIR, 'models');
    await writeFile(join(models, 'broken-manifest', 'manifest.json'), '{"id": "broken-manifest", ');
    await rm(join(models, 'broken-weights', 'weights.bin'));
    await app.listen({ host: '127.0.0.1', port: 0 });
    port = (app.server.address() as { port: number }).port;
    const submitted = await fetch(`http://127.0.0.1:${port}/v1/training-jobs`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${API_KEY}` },
      body: JSON.stringify(tinySpec()),
    });
    assert.equal(submitted.status, 202);
    jobId = ((await submitted.json()) as { id: string }).id;
  });
  after(async () => {
    await app.close();
    await redis.stop();
  });

  it(`answers ${TOTAL_REQUESTS}+ hostile requests without a 5xx, each error with the standard body`, async (t) => {
    const ready = await fetch(`http://127.0.0.1:${port}/health/ready`);
    assert.equal(ready.status, 200, 'ready before the run (a 503 here would not be the fuzz)');
    const operations = await readOperations();
    assert.ok(
      operations.some((op) => op.path.endsWith('/predict')),
      'the prediction route is in openapi.yaml',
    );
    const plan = new RequestPlan(operations, {
      apiKey: API_KEY,
      jobId,
      modelId: 'tiny',
      spareModelIds: ['spare-1', 'spare-2', 'spare-3'],
      brokenModelIds: BROKEN_MODELS,
      goodImages: await goodImages(),
      brokenImages: await brokenImages(),
      random: seededRandom(SEED),
    }).build(TOTAL_REQUESTS);

    const started = performance.now();
    const counts = new Map<string, number>();
    const problems: string[] = [];
    const closedWithoutAnswer: string[] = [];
    const predictions = new Set<string>();
    let next = 0;
    const worker = async (): Promise<void> => {
      while (next < plan.length) {
        const request = plan[next++]!;
        const answer = await rawExchange(port, toWire(request), {
          waitMs: ANSWER_WAIT_MS,
          stopWhenAnswered: true,
        });
        const status =
          answer.status === undefined ? (answer.closed ? 'closed' : 'no answer') : String(answer.status);
        counts.set(status, (counts.get(status) ?? 0) + 1);
        if (request.operation === PREDICT) predictions.add(status);
        if (answer.closed && answer.status === undefined) closedWithoutAnswer.push(request.label);
        const problem = problemOf(answer);
        if (problem !== undefined) problems.push(`${request.label}: ${problem}`);
      }
    };
    await Promise.all(Array.from({ length: CONCURRENCY }, worker));
    const seconds = (performance.now() - started) / 1000;

    t.diagnostic(
      `seed ${SEED} (FUZZ_SEED), ${plan.length} requests over ${operations.length} operations in ${seconds.toFixed(1)} s`,
    );
    const byStatus = [...counts].sort(([a], [b]) => a.localeCompare(b));
    t.diagnostic(`by status: ${byStatus.map(([status, n]) => `${status}: ${n}`).join(', ')}`);
    if (closedWithoutAnswer.length > 0)
      t.diagnostic(`closed without an answer: ${closedWithoutAnswer.slice(0, 5).join('; ')}`);
    assert.ok(plan.length >= 3000);
    t.diagnostic(`${PREDICT}: ${[...predictions].sort().join(', ')}`);
    assert.ok(
      predictions.has('200') && predictions.has('422'),
      'predictions reached the model and the decoder',
    );
    assert.deepEqual(problems.slice(0, 20), [], `${problems.length} answers broke the rules (seed ${SEED})`);

    const live = await fetch(`http://127.0.0.1:${port}/health/live`);
    assert.equal(live.status, 200, 'alive after the run');
    assert.deepEqual(await live.json(), { status: 'ok' });
  });
});
