/**
 * Cost and input bounds of a training job at submission (`POST /v1/training-jobs` through `app.inject`,
 * a real redis-server, no worker): each configured limit refuses an over-budget job with a 422 that names
 * it and the numbers; sections whose fields all have defaults may be left out; the contract's example is a
 * job of seconds.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { App } from '../../src/api/app.js';
import { estimateJobCost, GENERATED_BYTES_PER_PIXEL } from '../../src/model/job-cost.js';
import { EXAMPLE_TRAINING_SPEC, parseTrainingSpec } from '../../src/model/training-spec.js';
import { freeDiskBytes } from '../../src/queue/job-budget.js';
import { buildTestApp } from '../helpers/app.js';
import { startRedis, type RedisServer } from '../helpers/redis.js';
import { tinySpec } from '../helpers/training.js';

type ErrorAnswer = { error: { code: string; message: string; details?: Record<string, unknown> } };

/** Issue 14's Swagger body: 1024x1024 images, 5,000 training and 5,000 validation scenes. */
const HUGE_DATASET = { kind: 'synthetic', scenes: 5000, validationScenes: 5000, size: [1024, 1024], seed: 1 };

describe('job cost limits at submission', () => {
  let redis: RedisServer;
  const apps: App[] = [];

  before(async () => {
    redis = await startRedis();
  });
  after(async () => {
    for (const a of apps) await a.close();
    await redis.stop();
  });

  async function submit(body: unknown, env: Record<string, string> = {}) {
    const app = await buildTestApp({ redisUrl: redis.url, env, label: 'limits' });
    apps.push(app);
    return app.inject({ method: 'POST', url: '/v1/training-jobs', payload: body as Record<string, unknown> });
  }

  it('estimates generated pixels, bytes (PNGs + target cache) and steps', () => {
    const spec = parseTrainingSpec({ ...tinySpec({ epochs: 3, scenes: 8 }) });
    const cost = estimateJobCost(spec, { train: 8, validation: 2 });
    assert.equal(cost.generatedPixels, 10 * 64 * 128);
    assert.ok(cost.datasetBytes > cost.generatedPixels * GENERATED_BYTES_PER_PIXEL, 'plus the cache');
    assert.equal(cost.trainingSteps, 3 * 4);
  });

  it('refuses a dataset over MAX_JOB_GENERATED_PIXELS with 422 JOB_TOO_LARGE naming it and the numbers', async () => {
    const res = await submit({ ...tinySpec(), dataset: HUGE_DATASET });
    assert.equal(res.statusCode, 422, res.body);
    const { error } = res.json<ErrorAnswer>();
    assert.equal(error.code, 'JOB_TOO_LARGE');
    assert.match(error.message, /MAX_JOB_GENERATED_PIXELS = 1,000,000,000/);
    assert.match(error.message, /10,485,760,000/, 'the job’s pixels');
    assert.match(error.message, /10,000 scenes.*1024x1024/);
    assert.deepEqual(error.details, { limit: 'MAX_JOB_GENERATED_PIXELS', value: 10_485_760_000, max: 1e9 });
  });

  it('refuses over MAX_JOB_DATASET_BYTES and MAX_JOB_TRAINING_STEPS, each named', async () => {
    const bytes = await submit(tinySpec(), { MAX_JOB_DATASET_BYTES: '1000' });
    assert.equal(bytes.statusCode, 422, bytes.body);
    assert.equal(bytes.json<ErrorAnswer>().error.code, 'JOB_TOO_LARGE');
    assert.match(bytes.json<ErrorAnswer>().error.message, /over MAX_JOB_DATASET_BYTES = 1,000/);

    const steps = await submit(tinySpec({ epochs: 100 }), { MAX_JOB_TRAINING_STEPS: '50' });
    assert.equal(steps.statusCode, 422, steps.body);
    const { error } = steps.json<ErrorAnswer>();
    assert.match(error.message, /training steps of the job .* is 200, over MAX_JOB_TRAINING_STEPS = 50/);
    assert.deepEqual(error.details, { limit: 'MAX_JOB_TRAINING_STEPS', value: 200, max: 50 });
  });

  it('refuses a job that would leave less free disk than DISK_RESERVE_BYTES with 422 INSUFFICIENT_DISK', async () => {
    const res = await submit(tinySpec(), { DISK_RESERVE_BYTES: String(Number.MAX_SAFE_INTEGER) });
    assert.equal(res.statusCode, 422, res.body);
    const { error } = res.json<ErrorAnswer>();
    assert.equal(error.code, 'INSUFFICIENT_DISK');
    assert.match(error.message, /DISK_RESERVE_BYTES = 9,007,199,254,740,991/);
    assert.match(error.message, /GB are free|MB are free/);
    assert.equal(error.details?.limit, 'DISK_RESERVE_BYTES');
    assert.ok(Number(error.details?.freeBytes) > 0);
  });

  it('measures free disk at the nearest existing parent of a directory not made yet', async () => {
    assert.ok((await freeDiskBytes('/tmp/does-not-exist/yet/deeper')) > 0);
  });

  it('accepts a spec of dataset and model only: tasks, weighting and training get their defaults', async () => {
    const { dataset, model } = tinySpec() as { dataset: unknown; model: unknown };
    const res = await submit({ dataset, model });
    assert.equal(res.statusCode, 202, res.body);
    const { spec } = res.json<{ spec: Record<string, Record<string, unknown>> }>();
    assert.deepEqual(spec.tasks, ['segmentation', 'instances', 'depth']);
    assert.equal(spec.weighting!.strategy, 'uncertainty');
    assert.equal(spec.training!.epochs, 1);
    assert.equal(spec.training!.batchSize, 4);
  });

  it("the contract's example is a job of seconds, within every default limit", async () => {
    const spec = parseTrainingSpec(structuredClone(EXAMPLE_TRAINING_SPEC));
    const cost = estimateJobCost(spec, { train: 8, validation: 2 });
    assert.ok(cost.trainingSteps <= 10, `${cost.trainingSteps} steps`);
    assert.ok(cost.generatedPixels <= 10 * 64 * 128);
    const res = await submit(EXAMPLE_TRAINING_SPEC);
    assert.equal(res.statusCode, 202, res.body);
    // Swagger's "Try it out" body is this example, not the schema's maxima.
    const app = apps.at(-1)!;
    const docs = (await app.inject({ method: 'GET', url: '/docs/json' })).json<{
      paths: Record<string, { post?: { requestBody?: { content: Record<string, { example?: unknown }> } } }>;
    }>();
    const body = docs.paths['/v1/training-jobs']?.post?.requestBody?.content['application/json'];
    assert.deepEqual(body?.example, EXAMPLE_TRAINING_SPEC);
  });
});
