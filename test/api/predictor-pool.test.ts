import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import sharp from 'sharp';
import { randomImage, saveTinyModel } from '../helpers/tiny-model.js';
import { PredictorPool } from '../../src/api/predict/predictor-pool.js';
import { decodeImage } from '../../src/data/image-codec.js';
import { TRAIN_CLASSES } from '../../src/data/index.js';
import { TASKS } from '../../src/model/tasks.js';
import { selectBackend } from '../../src/tf/index.js';

let artifactDir: string;
let pool: PredictorPool;

interface PredictBody {
  width: number;
  height: number;
  segmentation: { classes: { trainId: number }[]; labelMap: { data: string } };
  instances: { instances: { bbox: [number, number, number, number] }[]; idMap: { data: string } };
  depth: {
    min: number;
    max: number;
    disparityMap: { data: string; scale: number };
    metres?: { min: number };
  };
  timings: Record<string, number>;
}

before(async () => {
  await selectBackend('wasm');
  artifactDir = await mkdtemp(join(tmpdir(), 'pool-'));
  await saveTinyModel(artifactDir, 'tiny');
  pool = new PredictorPool({ threads: 2, queueSize: 4, modelCacheSize: 2, artifactDir, backend: 'wasm' });
  await pool.ready();
});

after(async () => {
  await pool.close();
  await rm(artifactDir, { recursive: true, force: true });
});

describe('predictor pool', () => {
  for (const [width, height, format] of [
    [100, 60, 'png'],
    [47, 83, 'jpeg'],
  ] as const) {
    test(`${format} ${width}x${height}: every output at the image's size`, async () => {
      const reply = await pool.predict({
        modelId: 'tiny',
        image: await randomImage(width, height, format),
        outputs: [...TASKS],
      });
      assert.equal(reply.kind, 'json');
      const body = (reply as { body: PredictBody }).body;
      assert.equal(body.width, width);
      assert.equal(body.height, height);
      const labels = await decodeImage(Buffer.from(body.segmentation.labelMap.data, 'base64'));
      assert.deepEqual([labels.width, labels.height, labels.bitDepth], [width, height, 8]);
      const known = new Set(TRAIN_CLASSES.map((c) => c.trainId));
      assert.ok(
        labels.data.every((v) => known.has(v)),
        'only known class ids in the label map',
      );
      const ids = await decodeImage(Buffer.from(body.instances.idMap.data, 'base64'));
      assert.deepEqual([ids.width, ids.height, ids.bitDepth], [width, height, 16]);
      for (const { bbox } of body.instances.instances) {
        assert.ok(bbox[0] >= 0 && bbox[1] >= 0 && bbox[2] <= width && bbox[3] <= height);
      }
      const disparity = await decodeImage(Buffer.from(body.depth.disparityMap.data, 'base64'));
      assert.deepEqual([disparity.width, disparity.height, disparity.bitDepth], [width, height, 16]);
      assert.ok(body.depth.metres !== undefined, 'metres, since the manifest knows the camera');
      assert.ok(body.timings['inferenceMs']! > 0);
    });
  }

  test('views are valid PNGs at the image size', async () => {
    const image = await randomImage(90, 50, 'png');
    for (const view of ['segmentation', 'instances', 'depth', 'overlay'] as const) {
      const reply = await pool.predict({ modelId: 'tiny', image, outputs: [...TASKS], view });
      assert.equal(reply.kind, 'png');
      const meta = await sharp((reply as { png: Buffer }).png).metadata();
      assert.deepEqual([meta.format, meta.width, meta.height, meta.channels], ['png', 90, 50, 3]);
    }
  });

  test('an unknown model and a corrupt image are 4xx errors with codes', async () => {
    await assert.rejects(
      pool.predict({ modelId: 'nope', image: await randomImage(8, 8, 'png'), outputs: ['depth'] }),
      {
        code: 'NOT_FOUND',
        statusCode: 404,
      },
    );
    const truncated = (await randomImage(64, 64, 'png')).subarray(0, 200);
    await assert.rejects(
      pool.predict({ modelId: 'tiny', image: truncated, outputs: ['depth'] }),
      (error: { statusCode: number }) => {
        return error.statusCode >= 400 && error.statusCode < 500;
      },
    );
  });

  test('a saturated pool answers 503 with Retry-After instead of queueing without bound', async () => {
    const image = await randomImage(256, 128, 'png');
    const results = await Promise.allSettled(
      Array.from({ length: 12 }, () => pool.predict({ modelId: 'tiny', image, outputs: [...TASKS] })),
    );
    const rejected = results.filter((r) => r.status === 'rejected') as PromiseRejectedResult[];
    assert.equal(results.filter((r) => r.status === 'fulfilled').length, 6, '2 running + 4 queued');
    assert.equal(rejected.length, 6);
    for (const r of rejected) assert.deepEqual([r.reason.statusCode, r.reason.retryAfterSeconds], [503, 1]);
  });
});

/** Whether a native tfjs backend can load here (then a "tensorflow" pool starts fine and there is nothing to test). */
function nativeBackendInstalled(): boolean {
  for (const pkg of ['@tensorflow/tfjs-node-gpu', '@tensorflow/tfjs-node']) {
    try {
      import.meta.resolve(pkg);
      return true;
    } catch {
      // not installed
    }
  }
  return false;
}

test(
  'threads that cannot start answer 503 at once instead of hanging',
  { skip: nativeBackendInstalled() && 'a native backend is installed here' },
  async () => {
    const broken = new PredictorPool({
      threads: 1,
      queueSize: 2,
      modelCacheSize: 1,
      artifactDir,
      backend: 'tensorflow',
    });
    await assert.rejects(broken.ready(), /failed to start|no backend/);
    await assert.rejects(
      broken.predict({ modelId: 'tiny', image: await randomImage(16, 16, 'png'), outputs: ['depth'] }),
      (error: { statusCode: number; message: string }) =>
        error.statusCode === 503 && /unavailable/.test(error.message),
    );
    await broken.close();
  },
);
