import assert from 'node:assert/strict';
import { crc32 } from 'node:zlib';
import { after, before, describe, test } from 'node:test';
import sharp from 'sharp';
import type { App } from '../../src/api/app.js';
import { decodeRawPrediction } from '../../src/api/predict/raw-prediction.js';
import { decodeImage } from '../../src/data/image-codec.js';
import { selectBackend } from '../../src/tf/index.js';
import { buildTestApp } from '../helpers/app.js';
import { randomImage, saveTinyModel } from '../helpers/tiny-model.js';

let app: App;

/** A PNG whose IHDR claims width x height, followed by no real image data. */
function pngClaiming(width: number, height: number): Buffer {
  const chunk = (type: string, data: Buffer) => {
    const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
    const length = Buffer.alloc(4);
    length.writeUInt32BE(data.length);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(body));
    return Buffer.concat([length, body, crc]);
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr.set([8, 2, 0, 0, 0], 8); // 8-bit RGB, no interlace
  return Buffer.concat([
    Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]),
    chunk('IHDR', ihdr),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

before(async () => {
  await selectBackend('wasm');
  app = await buildTestApp({ env: { TF_BACKEND: 'wasm', PREDICT_CONCURRENCY: '2', LOG_LEVEL: 'silent' } });
  const artifactDir = app.config.ARTIFACT_DIR;
  await saveTinyModel(artifactDir, 'tiny');
  await saveTinyModel(artifactDir, 'depth-only', ['depth']);
  await saveTinyModel(artifactDir, 'doomed');
});

after(async () => {
  await app.close();
});

const predict = (
  id: string,
  payload: Buffer,
  contentType = 'image/png',
  query = '',
  headers: Record<string, string> = {},
) =>
  app.inject({
    method: 'POST',
    url: `/v1/models/${id}/predict${query}`,
    payload,
    headers: { 'content-type': contentType, ...headers },
  });

describe('models', () => {
  test('GET /v1/models lists every model; GET /v1/models/{id} serves its manifest', async () => {
    const list = await app.inject({ method: 'GET', url: '/v1/models' });
    assert.equal(list.statusCode, 200);
    assert.deepEqual(
      list
        .json<{ items: { id: string }[] }>()
        .items.map((m) => m.id)
        .sort(),
      ['depth-only', 'doomed', 'tiny'],
    );
    const one = await app.inject({ method: 'GET', url: '/v1/models/tiny' });
    assert.equal(one.statusCode, 200);
    const manifest = one.json<{
      tasks: string[];
      classes: unknown[];
      inputSize: number[];
      weighting: { strategy: string };
    }>();
    assert.deepEqual(manifest.tasks, ['segmentation', 'instances', 'depth']);
    assert.equal(manifest.classes.length, 19);
    assert.deepEqual(manifest.inputSize, [32, 64]);
    assert.equal(
      (await app.inject({ method: 'GET', url: '/v1/models/unknown' })).json<{ error: { code: string } }>()
        .error.code,
      'NOT_FOUND',
    );
  });

  test('predict on PNG, JPEG and multipart answers every output at the image size', async () => {
    const jpeg = await predict('tiny', await randomImage(77, 41, 'jpeg'), 'image/jpeg');
    assert.equal(jpeg.statusCode, 200, jpeg.body);
    const body = jpeg.json<{
      width: number;
      height: number;
      segmentation: { labelMap: { data: string } };
      instances: unknown;
      depth: unknown;
    }>();
    assert.deepEqual([body.width, body.height], [77, 41]);
    const labels = await decodeImage(Buffer.from(body.segmentation.labelMap.data, 'base64'));
    assert.deepEqual([labels.width, labels.height], [77, 41]);
    assert.ok(body.instances && body.depth);

    const boundary = 'scene-mtl-test';
    const png = await randomImage(50, 30, 'png');
    const multipart = Buffer.concat([
      Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="image"; filename="a.png"\r\nContent-Type: image/png\r\n\r\n`,
      ),
      png,
      Buffer.from(`\r\n--${boundary}--\r\n`),
    ]);
    const viaForm = await predict(
      'tiny',
      multipart,
      `multipart/form-data; boundary=${boundary}`,
      '?outputs=depth',
    );
    assert.equal(viaForm.statusCode, 200, viaForm.body);
    const formBody = viaForm.json<Record<string, unknown>>();
    assert.deepEqual([formBody['width'], formBody['height']], [50, 30]);
    assert.ok(
      formBody['depth'] && !formBody['segmentation'] && !formBody['instances'],
      'only the asked-for head',
    );
  });

  test('Accept: image/png with ?view= answers a coloured PNG', async () => {
    const image = await randomImage(64, 48, 'png');
    for (const view of ['segmentation', 'instances', 'depth', 'overlay']) {
      const reply = await predict('tiny', image, 'image/png', `?view=${view}`, { accept: 'image/png' });
      assert.equal(reply.statusCode, 200);
      assert.equal(reply.headers['content-type'], 'image/png');
      const meta = await sharp(reply.rawPayload).metadata();
      assert.deepEqual([meta.format, meta.width, meta.height], ['png', 64, 48]);
    }
  });

  const badInputs: [string, () => Promise<Buffer>, string, string, number, string][] = [
    ['empty body', async () => Buffer.alloc(0), 'image/png', 'tiny', 400, 'VALIDATION_ERROR'],
    [
      'wrong content type',
      async () => Buffer.from('{"a":1}'),
      'application/json',
      'tiny',
      415,
      'UNSUPPORTED_MEDIA_TYPE',
    ],
    ['text body', async () => Buffer.from('hello'), 'text/plain', 'tiny', 415, 'UNSUPPORTED_MEDIA_TYPE'],
    [
      'corrupt PNG',
      async () => Buffer.from('\x89PNG\r\n\x1a\nthis is not a png at all'),
      'image/png',
      'tiny',
      422,
      'IMAGE_DECODE_ERROR',
    ],
    [
      'truncated JPEG',
      async () => (await randomImage(80, 60, 'jpeg')).subarray(0, 300),
      'image/jpeg',
      'tiny',
      422,
      'IMAGE_DECODE_ERROR',
    ],
    [
      'PNG claiming 50000x50000',
      async () => pngClaiming(50000, 50000),
      'image/png',
      'tiny',
      413,
      'PAYLOAD_TOO_LARGE',
    ],
    ['unknown model', async () => randomImage(20, 20, 'png'), 'image/png', 'no-such-model', 404, 'NOT_FOUND'],
    [
      'malformed model id',
      async () => randomImage(20, 20, 'png'),
      'image/png',
      '..%2Fetc',
      400,
      'VALIDATION_ERROR',
    ],
  ];
  for (const [name, body, type, model, status, code] of badInputs) {
    test(`bad input: ${name} -> ${status} ${code}, and the service still answers`, async () => {
      const reply = await predict(model, await body(), type);
      assert.equal(reply.statusCode, status, reply.body);
      assert.equal(reply.json<{ error: { code: string } }>().error.code, code);
      assert.equal((await app.inject({ method: 'GET', url: '/health/live' })).statusCode, 200);
    });
  }

  test('bad outputs and views are 400s naming the problem', async () => {
    const image = await randomImage(20, 20, 'png');
    const unknown = await predict('tiny', image, 'image/png', '?outputs=depth,colour');
    assert.equal(unknown.statusCode, 400);
    assert.match(unknown.json<{ error: { message: string } }>().error.message, /colour/);
    const missingHead = await predict('depth-only', image, 'image/png', '?outputs=segmentation');
    assert.equal(missingHead.statusCode, 400);
    assert.equal((await predict('depth-only', image, 'image/png', '?view=overlay')).statusCode, 400);
    assert.equal((await predict('tiny', image, 'image/png', '?view=sepia')).statusCode, 400);
  });

  test('encoding=raw and Accept: application/octet-stream answer the raw layout; a bad encoding is a 400 naming it', async () => {
    const image = await randomImage(40, 24, 'png');
    for (const [query, headers] of [
      ['?encoding=raw', {}],
      ['', { accept: 'application/octet-stream' }],
    ] as const) {
      const reply = await predict('tiny', image, 'image/png', query, headers);
      assert.equal(reply.statusCode, 200);
      assert.equal(reply.headers['content-type'], 'application/octet-stream');
      const { header, arrays } = decodeRawPrediction(reply.rawPayload);
      assert.deepEqual([header['width'], header['height']], [40, 24]);
      assert.equal(arrays.get('segmentation.labelMap')?.length, 40 * 24);
    }
    const json = await predict('tiny', image, 'image/png', '?encoding=png', {
      accept: 'application/octet-stream',
    });
    assert.match(String(json.headers['content-type']), /^application\/json/, 'the query wins over Accept');
    const bad = await predict('tiny', image, 'image/png', '?encoding=zip');
    assert.equal(bad.statusCode, 400);
    const error = bad.json<{ error: { code: string; message: string; details?: { path: string }[] } }>()
      .error;
    assert.match(`${error.message} ${JSON.stringify(error.details)}`, /encoding/);
    const withView = await predict('tiny', image, 'image/png', '?encoding=raw&view=depth');
    assert.equal(withView.statusCode, 400);
    assert.match(withView.json<{ error: { message: string } }>().error.message, /^encoding: /);
  });

  test('/metrics counts predictions per forward pass', async () => {
    const text = (await app.inject({ method: 'GET', url: '/metrics' })).payload;
    assert.match(text, /# TYPE scene_mtl_prediction_batch_size histogram/);
    const count = Number(/scene_mtl_prediction_batch_size_count (\d+)/.exec(text)?.[1]);
    assert.ok(count > 0, `batches observed: ${count}`);
  });

  test('DELETE removes a model; predicting with it afterwards is a 404', async () => {
    const image = await randomImage(20, 20, 'png');
    assert.equal((await predict('doomed', image)).statusCode, 200, 'loaded into a predictor cache');
    const deleted = await app.inject({ method: 'DELETE', url: '/v1/models/doomed' });
    assert.equal(deleted.statusCode, 204);
    const after = await predict('doomed', image);
    assert.equal(after.statusCode, 404);
    assert.equal(after.json<{ error: { code: string } }>().error.code, 'NOT_FOUND');
    assert.equal((await app.inject({ method: 'DELETE', url: '/v1/models/doomed' })).statusCode, 404);
  });
});
