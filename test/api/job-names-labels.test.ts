/**
 * Names and labels of jobs and models, and the job document's compact view, through `app.inject` with a
 * real redis-server (no worker): clear 400s for bad names and labels, the job answer's field order,
 * `?view=summary`, and the `?name=` / `?label=key:value` filters of both lists.
 */
import assert from 'node:assert/strict';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { App } from '../../src/api/app.js';
import { MAX_LABELS, MAX_LABEL_VALUE_LENGTH, MAX_NAME_LENGTH } from '../../src/model/job-labels.js';
import type { TrainingJob } from '../../src/queue/job-schemas.js';
import { buildTestApp } from '../helpers/app.js';
import { startRedis, type RedisServer } from '../helpers/redis.js';
import { saveTinyModel } from '../helpers/tiny-model.js';
import { tempDir, tinySpec } from '../helpers/training.js';

interface ErrorBody {
  error: { code: string; message: string; details: { path: string; message: string }[] };
}

describe('job names, labels and the summary view (real Redis, no worker)', () => {
  let redis: RedisServer;
  let dirs: { path: string; remove: () => Promise<void> };
  let app: App;

  const submit = (extra: Record<string, unknown>) =>
    app.inject({ method: 'POST', url: '/v1/training-jobs', payload: { ...tinySpec(), ...extra } });
  const ids = async (query: string) => {
    const res = await app.inject({ method: 'GET', url: `/v1/training-jobs?${query}` });
    assert.equal(res.statusCode, 200, res.body);
    const page = res.json<{ items: TrainingJob[]; total: number }>();
    return { ids: page.items.map((j) => j.id), total: page.total };
  };

  before(async () => {
    redis = await startRedis();
    dirs = await tempDir('labels');
    app = await buildTestApp({ redisUrl: redis.url, dir: dirs.path });
  });
  after(async () => {
    await app.close();
    await redis.stop();
    await dirs.remove();
  });

  for (const [what, extra, path, words] of [
    ['an empty name', { name: '' }, '/body/name', /1 to 128 characters/],
    ['a name too long', { name: 'x'.repeat(MAX_NAME_LENGTH + 1) }, '/body/name', /128/],
    ['a name with a newline', { name: 'a\nb' }, '/body/name', /without control characters/],
    ['labels that are not a map', { labels: ['a'] }, '/body/labels', /object/],
    ['a label value that is not text', { labels: { team: 3 } }, '/body/labels/team', /string/],
    [
      'a label value too long',
      { labels: { team: 'v'.repeat(MAX_LABEL_VALUE_LENGTH + 1) } },
      '/body/labels/team',
      /128/,
    ],
    [
      'too many labels',
      { labels: Object.fromEntries(Array.from({ length: MAX_LABELS + 1 }, (_, i) => [`k${i}`, 'v'])) },
      '/body/labels',
      /16/,
    ],
    [
      'a label key with a space',
      { labels: { 'bad key': 'v' } },
      '/body/labels/bad key',
      /label key "bad key" is invalid: use 1 to 63 letters, digits/,
    ],
    ['a label key with a colon', { labels: { 'a:b': 'v' } }, '/body/labels/a:b', /label key "a:b"/],
  ] as const) {
    it(`refuses ${what} with 400 naming ${path}`, async () => {
      const res = await submit(extra);
      assert.equal(res.statusCode, 400, res.body);
      const { error } = res.json<ErrorBody>();
      assert.equal(error.code, 'VALIDATION_ERROR');
      const issue = error.details.find((d) => d.path === path);
      assert.ok(issue, `an issue at ${path}: ${JSON.stringify(error.details)}`);
      assert.match(issue.message, words);
    });
  }

  it('shows name and labels, then status and progress first, the long parts last; ?view=summary leaves them out', async () => {
    const res = await submit({ name: 'night run', labels: { team: 'vision', 'git/sha': 'a:b:c' } });
    assert.equal(res.statusCode, 202, res.body);
    const job = res.json<TrainingJob>();
    assert.deepEqual([job.name, job.labels], ['night run', { team: 'vision', 'git/sha': 'a:b:c' }]);

    const full = await app.inject({ method: 'GET', url: `/v1/training-jobs/${job.id}` });
    const keys = Object.keys(full.json());
    assert.deepEqual(keys.slice(0, 4), ['id', 'name', 'labels', 'status']);
    assert.deepEqual(keys.slice(-3), ['spec', 'history', 'checkpoints']);
    assert.ok(full.body.indexOf('"status"') < full.body.indexOf('"spec"'), 'status before spec in the bytes');

    const summary = await app.inject({ method: 'GET', url: `/v1/training-jobs/${job.id}?view=summary` });
    assert.equal(summary.statusCode, 200);
    const compact = summary.json<Record<string, unknown>>();
    assert.deepEqual(Object.keys(compact).slice(0, 4), ['id', 'name', 'labels', 'status']);
    for (const long of ['spec', 'history', 'checkpoints']) assert.ok(!(long in compact), long);
    assert.ok(summary.body.length < full.body.length / 2, `${summary.body.length} vs ${full.body.length}`);

    const bad = await app.inject({ method: 'GET', url: `/v1/training-jobs/${job.id}?view=short` });
    assert.equal(bad.statusCode, 400);
    assert.ok(bad.json<ErrorBody>().error.details.some((d) => d.path === '/querystring/view'));
  });

  it('filters the job list by name and labels (all must match), with the status filter and pages', async () => {
    const a = (await submit({ name: 'sweep', labels: { exp: 'lr', lr: '0.1' } })).json<TrainingJob>();
    const b = (await submit({ name: 'sweep', labels: { exp: 'lr', lr: '0.01' } })).json<TrainingJob>();
    const c = (await submit({ name: 'other', labels: { exp: 'lr' } })).json<TrainingJob>();
    assert.deepEqual(await ids('name=sweep'), { ids: [b.id, a.id], total: 2 });
    assert.deepEqual(await ids('label=exp:lr'), { ids: [c.id, b.id, a.id], total: 3 });
    assert.deepEqual(await ids('label=exp:lr&label=lr:0.1'), { ids: [a.id], total: 1 });
    assert.deepEqual(await ids('name=sweep&label=lr:0.01'), { ids: [b.id], total: 1 });
    assert.deepEqual(await ids('label=exp:lr&limit=1&offset=1'), { ids: [b.id], total: 3 });
    assert.deepEqual(await ids('label=exp:lr&status=queued&limit=2'), { ids: [c.id, b.id], total: 3 });
    assert.deepEqual(await ids('label=exp:lr&status=completed'), { ids: [], total: 0 });
    assert.deepEqual(await ids('label=nobody:here'), { ids: [], total: 0 });

    const cancel = await app.inject({ method: 'POST', url: `/v1/training-jobs/${a.id}/cancel` });
    assert.equal(cancel.json<TrainingJob>().status, 'cancelled');
    assert.deepEqual(await ids('label=exp:lr&status=cancelled'), { ids: [a.id], total: 1 });
    assert.deepEqual(await ids('label=exp:lr&status=queued'), { ids: [c.id, b.id], total: 2 });

    for (const query of ['label=nocolon', 'label=bad key:v', `name=${'x'.repeat(MAX_NAME_LENGTH + 1)}`]) {
      const res = await app.inject({ method: 'GET', url: `/v1/training-jobs?${encodeURI(query)}` });
      assert.equal(res.statusCode, 400, query);
      const param = query.split('=')[0];
      assert.ok(
        res.json<ErrorBody>().error.details.some((d) => d.path.startsWith(`/querystring/${param}`)),
        res.body,
      );
    }
  });

  it('lists models with their name and labels, filtered like jobs', async () => {
    const artifacts = join(dirs.path, 'artifacts');
    const tag = async (id: string, patch: Record<string, unknown>) => {
      await saveTinyModel(artifacts, id);
      const file = join(artifacts, 'models', id, 'manifest.json');
      const manifest = JSON.parse(await readFile(file, 'utf8')) as Record<string, unknown>;
      await writeFile(file, JSON.stringify({ ...manifest, ...patch }));
    };
    await tag('model-a', { name: 'sweep', labels: { exp: 'lr', lr: '0.1' } });
    await tag('model-b', { labels: { exp: 'lr' } });
    await tag('model-c', {});
    const list = async (query: string) => {
      const res = await app.inject({ method: 'GET', url: `/v1/models?${query}` });
      assert.equal(res.statusCode, 200, res.body);
      return res.json<{ items: { id: string; name?: string; labels?: Record<string, string> }[] }>().items;
    };
    const all = await list('');
    assert.equal(all.length, 3);
    const a = all.find((m) => m.id === 'model-a')!;
    assert.deepEqual([a.name, a.labels], ['sweep', { exp: 'lr', lr: '0.1' }]);
    assert.deepEqual((await list('label=exp:lr')).map((m) => m.id).sort(), ['model-a', 'model-b']);
    assert.deepEqual(
      (await list('name=sweep&label=lr:0.1')).map((m) => m.id),
      ['model-a'],
    );
    assert.deepEqual(await list('label=lr:0.2'), []);
    const manifest = await app.inject({ method: 'GET', url: '/v1/models/model-a' });
    assert.deepEqual(manifest.json<{ labels: unknown }>().labels, { exp: 'lr', lr: '0.1' });
    const bad = await app.inject({ method: 'GET', url: '/v1/models?label=nocolon' });
    assert.equal(bad.statusCode, 400);
  });
});
