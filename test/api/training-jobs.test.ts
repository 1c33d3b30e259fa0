/**
 * The training-job routes through `app.inject`, with a real redis-server and no worker: validation of every
 * spec field, ids, API keys, dataset paths, the queue limit, cancel of a queued job, SSE of a queued job,
 * health and metrics.
 */
import assert from 'node:assert/strict';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { App } from '../../src/api/app.js';
import { selectBackend } from '../../src/tf/index.js';
import { writeDataset } from '../data/helpers/write-dataset.js';
import { buildTestApp } from '../helpers/app.js';
import { startRedis, type RedisServer } from '../helpers/redis.js';
import { tempDir, tinySpec } from '../helpers/training.js';

type Body = Record<string, unknown>;

/** `tinySpec()` with `patch` applied at a dotted path (`undefined` deletes the field). */
function specWith(path: string, value: unknown): Body {
  const spec = structuredClone(tinySpec()) as Body;
  const keys = path.split('.');
  let node = spec as Record<string, unknown>;
  for (const key of keys.slice(0, -1)) node = node[key] as Record<string, unknown>;
  const last = keys.at(-1)!;
  if (value === undefined) delete node[last];
  else node[last] = value;
  return spec;
}

/** Invalid bodies and the field each must be blamed on (a prefix of a detail's path). */
const INVALID_SPECS: [string, Body | unknown, string][] = [
  ['no body', null, '/body'],
  ['unknown top-level field', { ...tinySpec(), extra: 1 }, '/body'],
  ['missing dataset', specWith('dataset', undefined), '/body/dataset'],
  ['unknown dataset kind', specWith('dataset', { kind: 'imagenet' }), '/body/dataset'],
  ['too few scenes', specWith('dataset.scenes', 1), '/body/dataset'],
  ['image size too small', specWith('dataset.size', [8, 8]), '/body/dataset'],
  ['size not a pair', specWith('dataset.size', [64]), '/body/dataset'],
  ['unknown field in dataset', specWith('dataset.colour', 'red'), '/body/dataset'],
  ['empty task list', specWith('tasks', []), '/body/tasks'],
  ['unknown task', specWith('tasks', ['segmentation', 'optical-flow']), '/body/tasks'],
  ['duplicate task', specWith('tasks', ['depth', 'depth']), '/body/tasks'],
  ['unknown strategy', specWith('weighting.strategy', 'magic'), '/body/weighting/strategy'],
  ['fixed without weights', specWith('weighting', { strategy: 'fixed' }), '/body/weighting/weights'],
  [
    'negative weight',
    specWith('weighting', { strategy: 'fixed', weights: { segmentation: -1, instances: 1, depth: 1 } }),
    '/body/weighting/weights/segmentation',
  ],
  [
    'log-variance out of range',
    specWith('weighting.initialLogVariance', 1e6),
    '/body/weighting/initialLogVariance',
  ],
  [
    'log-variance neither auto, a number nor a per-task object',
    specWith('weighting.initialLogVariance', 'soon'),
    '/body/weighting/initialLogVariance',
  ],
  [
    'per-task log-variance out of range',
    specWith('weighting.initialLogVariance', { depth: 7 }),
    '/body/weighting/initialLogVariance',
  ],
  ['zero temperature', specWith('weighting.temperature', 0), '/body/weighting/temperature'],
  ['width too small', specWith('model.width', 1), '/body/model/width'],
  ['width not an integer', specWith('model.width', 4.5), '/body/model/width'],
  ['input size not a multiple of 32', specWith('model.inputSize', [64, 100]), '/body/model'],
  ['zero epochs', specWith('training.epochs', 0), '/body/training/epochs'],
  ['epochs as a string', specWith('training.epochs', '2'), '/body/training/epochs'],
  ['huge batch', specWith('training.batchSize', 10_000), '/body/training/batchSize'],
  ['unknown optimizer', specWith('training.optimizer', 'rmsprop'), '/body/training/optimizer'],
  ['zero learning rate', specWith('training.learningRate', 0), '/body/training/learningRate'],
  ['momentum of 1', specWith('training.momentum', 1), '/body/training/momentum'],
  ['negative seed', specWith('training.seed', -1), '/body/training/seed'],
  ['augment not a boolean', specWith('training.augment', 'yes'), '/body/training/augment'],
  ['unknown schedule', specWith('training.schedule', 'cosine'), '/body/training/schedule'],
];

describe('/v1/training-jobs (real Redis, no worker)', () => {
  let redis: RedisServer;
  let dirs: { path: string; remove: () => Promise<void> };
  let app: App;
  const apps: App[] = [];

  async function makeApp(env: Record<string, string> = {}): Promise<App> {
    const a = await buildTestApp({
      redisUrl: redis.url,
      dir: dirs.path,
      env: { SSE_HEARTBEAT_MS: '100', ...env },
    });
    apps.push(a);
    return a;
  }
  const post = (a: App, body: unknown, headers: Record<string, string> = {}) =>
    a.inject({
      method: 'POST',
      url: '/v1/training-jobs',
      payload: body === null ? undefined : (body as Body),
      headers,
    });

  before(async () => {
    redis = await startRedis();
    dirs = await tempDir('api');
    await writeDataset(join(dirs.path, 'data', 'city'), {
      splits: { train: 2, val: 1 },
      width: 16,
      height: 8,
    });
    await writeDataset(join(dirs.path, 'data', 'trainonly'), { splits: { train: 2 }, width: 16, height: 8 });
    await mkdir(join(dirs.path, 'outside'), { recursive: true });
    app = await makeApp();
  });
  after(async () => {
    for (const a of apps) await a.close();
    await redis.stop();
    await dirs.remove();
  });

  it('DELETE /v1/models/{id} is refused with 409 while its training job is queued', async () => {
    const submitted = await post(app, tinySpec());
    assert.equal(submitted.statusCode, 202);
    const id = submitted.json<{ id: string }>().id;
    const refused = await app.inject({ method: 'DELETE', url: `/v1/models/${id}` });
    assert.equal(refused.statusCode, 409);
    assert.equal(refused.json<{ error: { code: string } }>().error.code, 'CONFLICT');
    await app.inject({ method: 'POST', url: `/v1/training-jobs/${id}/cancel` });
    const afterCancel = await app.inject({ method: 'DELETE', url: `/v1/models/${id}` });
    assert.equal(afterCancel.statusCode, 404, 'cancelled before it wrote a model: nothing to delete');
  });

  it('POST answers 202 with the queued job, its Location, and defaults applied', async () => {
    const res = await post(app, tinySpec());
    assert.equal(res.statusCode, 202, res.body);
    const job = res.json();
    assert.equal(job.status, 'queued');
    assert.equal(res.headers.location, `/v1/training-jobs/${job.id}`);
    assert.equal(job.spec.training.seed, 1);
    assert.equal(job.spec.dataset.kind, 'synthetic');
    const got = await app.inject({ method: 'GET', url: `/v1/training-jobs/${job.id}` });
    assert.equal(got.statusCode, 200);
    assert.equal(got.json().id, job.id);
  });

  for (const [name, body, field] of INVALID_SPECS) {
    it(`POST refuses ${name} with 400 VALIDATION_ERROR naming ${field}`, async () => {
      const res = await post(app, body);
      assert.equal(res.statusCode, 400, res.body);
      const { error } = res.json() as { error: { code: string; details: { path: string }[] } };
      assert.equal(error.code, 'VALIDATION_ERROR');
      assert.ok(
        error.details.some((d) => d.path.startsWith(field)),
        `${JSON.stringify(error.details)} should name ${field}`,
      );
    });
  }

  it('POST names every invalid field at once', async () => {
    const body = specWith('training.epochs', 0);
    (body.model as Body).width = 1;
    (body.weighting as Body).strategy = 'magic';
    const res = await post(app, body);
    assert.equal(res.statusCode, 400);
    const paths = (res.json().error.details as { path: string }[]).map((d) => d.path);
    for (const field of ['/body/training/epochs', '/body/model/width', '/body/weighting/strategy']) {
      assert.ok(
        paths.some((p) => p.startsWith(field)),
        `${field} in ${paths.join(', ')}`,
      );
    }
  });

  it('POST refuses a malformed JSON body and a non-JSON content type', async () => {
    const bad = await app.inject({
      method: 'POST',
      url: '/v1/training-jobs',
      payload: '{"dataset":',
      headers: { 'content-type': 'application/json' },
    });
    assert.equal(bad.statusCode, 400);
    assert.equal(bad.json().error.code, 'BAD_REQUEST');
    const text = await app.inject({
      method: 'POST',
      url: '/v1/training-jobs',
      payload: '<spec/>',
      headers: { 'content-type': 'application/xml' },
    });
    assert.equal(text.statusCode, 415);
    assert.equal(text.json().error.code, 'UNSUPPORTED_MEDIA_TYPE');
  });

  it('POST refuses dataset paths outside DATA_DIR or missing with 422 DATASET_ERROR', async () => {
    const cityscapes = (path: string) => ({ ...tinySpec(), dataset: { kind: 'cityscapes', path } });
    assert.equal((await post(app, cityscapes('city'))).statusCode, 202);
    for (const path of ['../outside', '/etc/passwd', 'city/../../outside', 'no-such-dataset']) {
      const res = await post(app, cityscapes(path));
      assert.equal(res.statusCode, 422, `${path}: ${res.body}`);
      assert.equal(res.json().error.code, 'DATASET_ERROR');
      assert.ok(!res.body.includes(dirs.path), 'no server path');
    }
  });

  it('POST checks dataset.validationSplit at submission: 422 DATASET_ERROR naming it', async () => {
    const spec = (dataset: Body) => ({ ...tinySpec(), dataset: { kind: 'cityscapes', ...dataset } });
    for (const dataset of [{ path: 'trainonly' }, { path: 'city', validationSplit: 'test' }]) {
      const res = await post(app, spec(dataset));
      assert.equal(res.statusCode, 422, res.body);
      const { error } = res.json() as { error: { code: string; message: string } };
      assert.equal(error.code, 'DATASET_ERROR');
      assert.match(error.message, /^dataset\.validationSplit: split "(val|test)" does not exist/);
    }
  });

  it('honours Idempotency-Key: same key and body -> same job; another body -> 409 CONFLICT', async () => {
    const first = await post(app, tinySpec(), { 'idempotency-key': 'key-1' });
    const again = await post(app, tinySpec(), { 'idempotency-key': 'key-1' });
    assert.equal(first.statusCode, 202);
    assert.equal(again.statusCode, 202);
    assert.equal(again.json().id, first.json().id);
    assert.equal(again.headers['idempotent-replayed'], 'true');
    const other = await post(app, tinySpec({ epochs: 2 }), { 'idempotency-key': 'key-1' });
    assert.equal(other.statusCode, 409);
    assert.equal(other.json().error.code, 'CONFLICT');
    const badKey = await post(app, tinySpec(), { 'idempotency-key': 'has space' });
    assert.equal(badKey.statusCode, 400);
  });

  it('answers unknown ids with 404 NOT_FOUND and malformed ids with 400', async () => {
    for (const url of ['/v1/training-jobs/no-such-job', '/v1/training-jobs/no-such-job/events']) {
      const res = await app.inject({ method: 'GET', url });
      assert.equal(res.statusCode, 404, url);
      assert.equal(res.json().error.code, 'NOT_FOUND');
    }
    const cancel = await app.inject({ method: 'POST', url: '/v1/training-jobs/no-such-job/cancel' });
    assert.equal(cancel.statusCode, 404);
    const bad = await app.inject({ method: 'GET', url: '/v1/training-jobs/bad%20id' });
    assert.equal(bad.statusCode, 400);
    assert.equal(bad.json().error.code, 'VALIDATION_ERROR');
  });

  it('lists with a status filter and pagination; refuses an unknown status', async () => {
    const a = await makeApp();
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) ids.push((await post(a, tinySpec())).json().id);
    const page = await a.inject({ method: 'GET', url: '/v1/training-jobs?status=queued&limit=2&offset=0' });
    assert.equal(page.statusCode, 200);
    assert.equal(page.json().total, 3);
    assert.deepEqual(
      page.json().items.map((j: { id: string }) => j.id),
      [ids[2], ids[1]],
    );
    assert.deepEqual([page.json().limit, page.json().offset], [2, 0]);
    assert.equal((await a.inject({ method: 'GET', url: '/v1/training-jobs?status=done' })).statusCode, 400);
    assert.equal((await a.inject({ method: 'GET', url: '/v1/training-jobs?limit=1000' })).statusCode, 400);
  });

  it('refuses non-finite and malformed numbers in the query with 400 naming the parameter', async () => {
    const cases: [string, string][] = [
      ['limit=Infinity', 'limit'],
      ['limit=-Infinity', 'limit'],
      ['limit=1e400', 'limit'],
      ['offset=Infinity', 'offset'],
      ['offset=-1e400', 'offset'],
      ['limit=NaN', 'limit'],
      ['limit=0x10', 'limit'],
      ['limit=2.5', 'limit'],
      ['limit=', 'limit'],
      ['limit=1&limit=2', 'limit'],
      ['offset=1e7', 'offset'],
    ];
    for (const [query, parameter] of cases) {
      const res = await app.inject({ method: 'GET', url: `/v1/training-jobs?${query}` });
      assert.equal(res.statusCode, 400, `${query}: ${res.body}`);
      const { error } = res.json() as {
        error: { code: string; message: string; details: { path: string }[] };
      };
      assert.equal(error.code, 'VALIDATION_ERROR');
      assert.deepEqual(
        error.details.map((d) => d.path),
        [`/querystring/${parameter}`],
        query,
      );
      assert.match(error.message, new RegExp(`/querystring/${parameter}`));
    }
    const page = await app.inject({ method: 'GET', url: '/v1/training-jobs?limit=1e1&offset=0.0' });
    assert.equal(page.statusCode, 200, 'a finite decimal is a number');
    assert.deepEqual([page.json().limit, page.json().offset], [10, 0]);
  });

  it('cancels a queued job (200 cancelled) and its event stream ends with cancelled', async () => {
    const job = (await post(app, tinySpec())).json();
    const streaming = app.inject({ method: 'GET', url: `/v1/training-jobs/${job.id}/events` });
    await new Promise((resolve) => setTimeout(resolve, 200));
    const res = await app.inject({ method: 'POST', url: `/v1/training-jobs/${job.id}/cancel` });
    assert.equal(res.statusCode, 200);
    assert.equal(res.json().status, 'cancelled');
    const stream = await streaming;
    assert.equal(stream.statusCode, 200);
    assert.match(String(stream.headers['content-type']), /^text\/event-stream/);
    const events = [...stream.body.matchAll(/^event: (\w+)$/gm)].map((m) => m[1]);
    assert.deepEqual([events[0], events.at(-1)], ['state', 'cancelled']);
    assert.match(stream.body, /^: heartbeat$/m, 'heartbeat comments');
    assert.equal(
      (await app.inject({ method: 'GET', url: `/v1/training-jobs/${job.id}` })).json().status,
      'cancelled',
    );
  });

  it('answers 503 with Retry-After when MAX_QUEUED_JOBS jobs wait', async () => {
    const a = await makeApp({ MAX_QUEUED_JOBS: '1' });
    assert.equal((await post(a, tinySpec())).statusCode, 202);
    const res = await post(a, tinySpec());
    assert.equal(res.statusCode, 503);
    assert.equal(res.json().error.code, 'SERVICE_UNAVAILABLE');
    assert.equal(res.headers['retry-after'], '60');
  });

  it('with API_KEYS, every /v1 route needs a valid bearer key; health, metrics and docs stay open', async () => {
    const a = await makeApp({ API_KEYS: 'alpha,beta' });
    const routes = [
      { method: 'POST' as const, url: '/v1/training-jobs', payload: tinySpec() },
      { method: 'GET' as const, url: '/v1/training-jobs' },
      { method: 'GET' as const, url: '/v1/training-jobs/x' },
      { method: 'POST' as const, url: '/v1/training-jobs/x/cancel' },
      { method: 'GET' as const, url: '/v1/training-jobs/x/events' },
    ];
    for (const route of routes) {
      for (const authorization of [undefined, 'Bearer gamma', 'Basic YWxwaGE=', 'Bearer']) {
        const res = await a.inject({ ...route, headers: authorization ? { authorization } : {} });
        assert.equal(res.statusCode, 401, `${route.method} ${route.url} ${authorization}`);
        assert.equal(res.json().error.code, 'UNAUTHORIZED');
        assert.match(String(res.headers['www-authenticate']), /^Bearer/);
      }
    }
    const ok = await a.inject({
      method: 'POST',
      url: '/v1/training-jobs',
      payload: tinySpec(),
      headers: { authorization: 'Bearer beta' },
    });
    assert.equal(ok.statusCode, 202);
    const list = await a.inject({
      method: 'GET',
      url: '/v1/training-jobs',
      headers: { authorization: 'bearer alpha' },
    });
    assert.equal(list.statusCode, 200);
    for (const url of ['/health/live', '/metrics', '/docs/json']) {
      assert.equal((await a.inject({ method: 'GET', url })).statusCode, 200, url);
    }
  });

  it('GET /health/ready reports Redis, the backend and the artifact store; 503 when Redis is down', async () => {
    await selectBackend('cpu');
    const res = await app.inject({ method: 'GET', url: '/health/ready' });
    assert.equal(res.statusCode, 200, res.body);
    const body = res.json();
    assert.equal(body.status, 'ready');
    assert.equal(body.checks.redis.ok, true);
    assert.equal(body.checks.redis.maxmemoryPolicy, 'noeviction');
    assert.equal(body.checks.backend.name, 'cpu');
    assert.equal(body.checks.artifactStore.ok, true);

    const down = await startRedis();
    const a = await makeApp({ REDIS_URL: down.url });
    await down.stop();
    const started = performance.now();
    const notReady = await a.inject({ method: 'GET', url: '/health/ready' });
    assert.ok(performance.now() - started < 3_000, 'answers quickly');
    assert.equal(notReady.statusCode, 503);
    assert.equal(notReady.json().status, 'not_ready');
    assert.equal(notReady.json().checks.redis.ok, false);
    const submit = await post(a, tinySpec());
    assert.equal(submit.statusCode, 503);
    assert.equal(submit.json().error.code, 'SERVICE_UNAVAILABLE');
    assert.ok(submit.headers['retry-after']);
  });

  it('GET /metrics exposes request latency histograms and jobs by state in the Prometheus format', async () => {
    await app.inject({ method: 'GET', url: '/health/live' });
    const res = await app.inject({ method: 'GET', url: '/metrics' });
    assert.equal(res.statusCode, 200);
    assert.match(String(res.headers['content-type']), /^text\/plain/);
    assert.match(
      res.body,
      /^scene_mtl_http_request_duration_seconds_bucket\{.*route="\/health\/live".*\} \d+/m,
    );
    assert.match(res.body, /^scene_mtl_training_jobs\{state="queued"\} [1-9]\d*$/m);
    assert.match(res.body, /^scene_mtl_training_jobs\{state="cancelled"\} [1-9]\d*$/m);
    assert.match(res.body, /^# TYPE scene_mtl_training_job_duration_seconds histogram$/m);
    assert.match(res.body, /^scene_mtl_process_cpu_seconds_total /m);
  });

  it('without REDIS_URL the app starts and the training routes answer 503', async () => {
    const a = await buildTestApp();
    apps.push(a);
    const res = await a.inject({ method: 'GET', url: '/v1/training-jobs' });
    assert.equal(res.statusCode, 503);
    assert.equal(res.json().error.code, 'SERVICE_UNAVAILABLE');
  });
});
