import assert from 'node:assert/strict';
import { cp, readFile, rm, truncate, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { App } from '../../src/api/app.js';
import { modelsRoot } from '../../src/model/artifacts.js';
import { selectBackend } from '../../src/tf/index.js';
import { buildTestApp } from '../helpers/app.js';
import { randomImage, saveTinyModel } from '../helpers/tiny-model.js';

/** Predictions racing a DELETE of their model. Why 30: the race was lost 1 time in 6 before the fix. */
const RACES = 30;

let app: App;
let root: string;
let image: Buffer;

interface ErrorAnswer {
  error: { code: string; message: string; details?: { model?: string; problem?: string } };
}

before(async () => {
  await selectBackend('wasm');
  app = await buildTestApp({ env: { TF_BACKEND: 'wasm', PREDICT_CONCURRENCY: '2', LOG_LEVEL: 'silent' } });
  root = modelsRoot(app.config.ARTIFACT_DIR);
  await saveTinyModel(app.config.ARTIFACT_DIR, 'template');
  image = await randomImage(40, 24, 'png');
});

after(async () => {
  await app.close();
});

/** A copy of the template model under `id` (faster than saving a new one). */
async function copyModel(id: string): Promise<string> {
  const dir = join(root, id);
  await cp(join(root, 'template'), dir, { recursive: true });
  const manifest = JSON.parse(await readFile(join(dir, 'manifest.json'), 'utf8')) as { id: string };
  manifest.id = id;
  await writeFile(join(dir, 'manifest.json'), JSON.stringify(manifest));
  return dir;
}

const predict = (id: string) =>
  app.inject({
    method: 'POST',
    url: `/v1/models/${id}/predict`,
    payload: image,
    headers: { 'content-type': 'image/png' },
  });
const getModel = (id: string) => app.inject({ method: 'GET', url: `/v1/models/${id}` });
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Asserts a 409 MODEL_BROKEN naming the model and a problem that matches `problem`, and no server path. */
function assertBroken(reply: { statusCode: number; body: string }, id: string, problem: RegExp): void {
  assert.equal(reply.statusCode, 409, reply.body);
  const { error } = JSON.parse(reply.body) as ErrorAnswer;
  assert.equal(error.code, 'MODEL_BROKEN');
  assert.equal(error.details?.model, id);
  assert.match(error.details?.problem ?? '', problem);
  assert.match(error.message, new RegExp(`model ${id} is broken`));
  assert.ok(!reply.body.includes(app.config.ARTIFACT_DIR), `no server path in ${reply.body}`);
}

describe('models whose files are broken', () => {
  const cases: [string, (dir: string) => Promise<void>, RegExp][] = [
    [
      'manifest.json is not JSON',
      (dir) => writeFile(join(dir, 'manifest.json'), '{"id": "x", '),
      /manifest\.json is not valid JSON/,
    ],
    [
      'manifest.json lacks a field',
      async (dir) => {
        const manifest = JSON.parse(await readFile(join(dir, 'manifest.json'), 'utf8')) as Record<
          string,
          unknown
        >;
        delete manifest['inputSize'];
        await writeFile(join(dir, 'manifest.json'), JSON.stringify(manifest));
      },
      /manifest\.json: \/inputSize/,
    ],
    ['manifest.json is missing', (dir) => rm(join(dir, 'manifest.json')), /manifest\.json is missing/],
    ['weights.bin is missing', (dir) => rm(join(dir, 'weights.bin')), /weights\.bin is missing/],
    ['model.json is missing', (dir) => rm(join(dir, 'model.json')), /model\.json is missing/],
  ];
  cases.forEach(([name, breakIt, problem], i) => {
    test(`${name}: GET and predict answer 409 MODEL_BROKEN, the list shows it broken, DELETE removes it`, async () => {
      const id = `broken-${i}`;
      await breakIt(await copyModel(id));
      assertBroken(await getModel(id), id, problem);
      assertBroken(await predict(id), id, problem);
      const list = await app.inject({ method: 'GET', url: '/v1/models' });
      assert.equal(list.statusCode, 200, list.body);
      const items = list.json<{ items: { id: string; status: string; problem?: string }[] }>().items;
      const entry = items.find((m) => m.id === id);
      assert.equal(entry?.status, 'broken');
      assert.match(entry?.problem ?? '', problem);
      assert.equal(items.find((m) => m.id === 'template')?.status, 'ready', 'the others are still listed');
      assert.equal((await app.inject({ method: 'DELETE', url: `/v1/models/${id}` })).statusCode, 204);
      assert.equal((await getModel(id)).statusCode, 404);
    });
  });

  test('a weights.bin of the wrong size: predict answers 409 naming it, without a server path', async () => {
    const dir = await copyModel('truncated');
    await truncate(join(dir, 'weights.bin'), 100);
    assert.equal((await getModel('truncated')).statusCode, 200, 'the files are there');
    assertBroken(await predict('truncated'), 'truncated', /weights\.bin.*too short/);
    // Repaired (copied again), the model predicts: a failed load is not cached.
    await rm(dir, { recursive: true });
    await copyModel('truncated');
    assert.equal((await predict('truncated')).statusCode, 200);
  });

  test('a manifest whose id is another model is broken', async () => {
    const dir = await copyModel('renamed');
    const text = await readFile(join(dir, 'manifest.json'), 'utf8');
    await writeFile(join(dir, 'manifest.json'), text.replace('"renamed"', '"someone-else"'));
    assertBroken(await getModel('renamed'), 'renamed', /describes model "someone-else"/);
  });
});

test(`${RACES} predictions racing a DELETE of their model: each is a 200 or a 404, never a 5xx`, async () => {
  const outcomes = new Map<number, number>();
  for (let i = 0; i < RACES; i++) {
    const id = `race-${i}`;
    await copyModel(id);
    // The delete lands at a different moment of the prediction each time (load, read, inference).
    const [prediction, deletion] = await Promise.all([
      predict(id),
      sleep(i % 10).then(() => app.inject({ method: 'DELETE', url: `/v1/models/${id}` })),
    ]);
    assert.equal(deletion.statusCode, 204, deletion.body);
    assert.ok(
      [200, 404].includes(prediction.statusCode),
      `race ${i}: ${prediction.statusCode} ${prediction.body}`,
    );
    if (prediction.statusCode === 404) assert.equal(prediction.json<ErrorAnswer>().error.code, 'NOT_FOUND');
    outcomes.set(prediction.statusCode, (outcomes.get(prediction.statusCode) ?? 0) + 1);
  }
  // After the races, the service still predicts.
  assert.equal((await predict('template')).statusCode, 200);
  assert.ok(outcomes.size > 0);
});
