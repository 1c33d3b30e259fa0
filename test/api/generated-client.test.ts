/**
 * A client generated from the contract works: the committed client types are what openapi-typescript
 * generates from openapi.yaml, and openapi-fetch over them runs the README walkthrough's calls against a
 * real service (a private Redis, the API over HTTP, a spawned worker): submit a tiny named and labelled
 * job, poll its summary, read its model, predict a real PNG (raw, multipart, and as a coloured picture) and
 * list the models and jobs by label. The calls are
 * typed by the generated `paths`, so `npm run typecheck` fails when a path, parameter or field used here
 * leaves the contract.
 */
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { after, before, describe, it } from 'node:test';
import createClient from 'openapi-fetch';
import sharp from 'sharp';
import { CLIENT_TYPES_PATH, OPENAPI_PATH, renderClientTypes } from '../../src/cli/write-openapi.js';
import type { paths } from '../generated/api.js';
import { ServiceHarness } from '../helpers/service.js';
import { randomImage } from '../helpers/tiny-model.js';
import { waitFor } from '../helpers/training.js';

/** The JSON answer of a prediction, as the contract describes it. */
type Prediction = paths['/v1/models/{id}/predict']['post']['responses'][200]['content']['application/json'];

/** Final statuses, as the contract names them. */
const FINAL = ['completed', 'failed', 'cancelled'];

describe('the client generated from openapi.yaml', () => {
  it('is committed as openapi-typescript generates it (run `npm run openapi` after changing the contract)', async () => {
    const yaml = await readFile(OPENAPI_PATH, 'utf8');
    assert.equal(
      await readFile(CLIENT_TYPES_PATH, 'utf8'),
      await renderClientTypes(yaml),
      'test/generated/api.d.ts is stale: run `npm run openapi`',
    );
  });

  describe('against a real service', () => {
    let service: ServiceHarness;
    let client: ReturnType<typeof createClient<paths>>;

    before(async () => {
      service = await ServiceHarness.start('generated-client');
      const env = service.environment();
      const { base } = await service.startApi(env);
      await service.startWorker(env);
      client = createClient<paths>({ baseUrl: base });
    });
    after(async () => {
      await service.close();
    });

    it('runs the walkthrough: submit, poll, the model, predict an image, list the models', async () => {
      const submitted = await client.POST('/v1/training-jobs', {
        headers: { 'idempotency-key': `generated-client-${process.pid}` },
        body: {
          name: 'generated client',
          labels: { client: 'openapi-fetch' },
          dataset: { kind: 'synthetic', scenes: 4, size: [64, 128], seed: 1 },
          tasks: ['segmentation', 'instances', 'depth'],
          weighting: { strategy: 'uncertainty' },
          model: { width: 4, inputSize: [64, 128] },
          training: { epochs: 1, batchSize: 2 },
        },
      });
      assert.equal(submitted.response.status, 202, JSON.stringify(submitted.error));
      const id = submitted.data!.id;
      assert.equal(submitted.data!.status, 'queued');

      const done = await waitFor(
        `job ${id} to end`,
        async () => {
          const { data, response } = await client.GET('/v1/training-jobs/{id}', {
            params: { path: { id }, query: { view: 'summary' } },
          });
          assert.equal(response.status, 200);
          return data !== undefined && FINAL.includes(data.status) ? data : undefined;
        },
        120_000,
        200,
      );
      assert.equal(done.status, 'completed', JSON.stringify(done.error));
      assert.equal(done.modelId, id);
      assert.equal(done.progress?.percent, 100);
      assert.equal(done.progress?.phase, undefined, 'an ended job has no phase');
      assert.ok(!('history' in done), 'the summary has no history');

      const model = await client.GET('/v1/models/{id}', { params: { path: { id: done.modelId } } });
      assert.equal(model.response.status, 200);
      assert.deepEqual(model.data!.inputSize, [64, 128]);
      assert.deepEqual(model.data!.tasks, ['segmentation', 'instances', 'depth']);

      const png = await randomImage(96, 48, 'png');
      const raw = await client.POST('/v1/models/{id}/predict', {
        params: { path: { id } },
        headers: { 'content-type': 'image/png' },
        body: new Blob([png], { type: 'image/png' }),
        bodySerializer: (body) => body as Blob,
      });
      assert.equal(raw.response.status, 200, JSON.stringify(raw.error));
      const prediction = raw.data as Prediction;
      assert.deepEqual([prediction.width, prediction.height], [96, 48]);
      const labels = await sharp(Buffer.from(prediction.segmentation!.labelMap.data, 'base64')).metadata();
      assert.deepEqual([labels.width, labels.height], [96, 48]);
      assert.equal(typeof prediction.instances!.count, 'number');
      assert.ok(prediction.depth!.max >= prediction.depth!.min);

      const multipart = await client.POST('/v1/models/{id}/predict', {
        params: { path: { id }, query: { outputs: 'depth' } },
        body: { image: new Blob([png], { type: 'image/png' }) },
        bodySerializer: (body) => {
          const form = new FormData();
          form.append('image', (body as { image: Blob }).image, 'street.png');
          return form;
        },
      });
      assert.equal(multipart.response.status, 200, JSON.stringify(multipart.error));
      const depthOnly = multipart.data as Prediction;
      assert.equal(depthOnly.segmentation, undefined);
      assert.ok(depthOnly.depth!.disparityMap.data.length > 0);

      const picture = await client.POST('/v1/models/{id}/predict', {
        params: { path: { id }, query: { view: 'overlay' } },
        headers: { 'content-type': 'image/png', accept: 'image/png' },
        body: new Blob([png], { type: 'image/png' }),
        bodySerializer: (body) => body as Blob,
        parseAs: 'arrayBuffer',
      });
      assert.equal(picture.response.status, 200);
      assert.equal(picture.response.headers.get('content-type'), 'image/png');
      const overlay = await sharp(Buffer.from(picture.data!)).metadata();
      assert.deepEqual([overlay.format, overlay.width, overlay.height], ['png', 96, 48]);

      const unknown = await client.GET('/v1/models/{id}', { params: { path: { id: 'no-such-model' } } });
      assert.equal(unknown.response.status, 404);
      assert.equal(unknown.error!.error.code, 'NOT_FOUND');

      const models = await client.GET('/v1/models', {
        params: { query: { label: ['client:openapi-fetch'], name: 'generated client' } },
      });
      assert.equal(models.response.status, 200);
      assert.deepEqual(
        models.data!.items.map((m) => m.id),
        [id],
      );
      const jobs = await client.GET('/v1/training-jobs', {
        params: { query: { label: ['client:openapi-fetch'], status: 'completed' } },
      });
      assert.deepEqual(
        jobs.data!.items.map((j) => [j.id, j.name, j.labels]),
        [[id, 'generated client', { client: 'openapi-fetch' }]],
      );
      const none = await client.GET('/v1/models', { params: { query: { label: ['client:other'] } } });
      assert.deepEqual(none.data!.items, []);
    });
  });
});
