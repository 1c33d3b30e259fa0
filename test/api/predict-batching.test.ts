/**
 * Micro-batching and the raw answer, through real predictor threads: batched predictions answer as
 * unbatched ones do, a raw answer holds the arrays the PNG/JSON answer encodes, and the in-process
 * batched forward pass leaks no tensor.
 */
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import {
  decodeRawPrediction,
  packRawPrediction,
  RawPredictionFormatError,
} from '../../src/api/predict/raw-prediction.js';
import { PredictorPool, type PredictReply } from '../../src/api/predict/predictor-pool.js';
import { DEPTH_PNG_SCALE } from '../../src/api/predict/predict-response.js';
import { decodeImage } from '../../src/data/image-codec.js';
import { loadModel } from '../../src/model/artifacts.js';
import { Predictor } from '../../src/model/predictor.js';
import { TASKS } from '../../src/model/tasks.js';
import { selectBackend, tf } from '../../src/tf/index.js';
import { randomImage, saveTinyModel } from '../helpers/tiny-model.js';

let artifactDir: string;
/** Images of different sizes (a batch mixes them). */
let images: Buffer[];

before(async () => {
  await selectBackend('wasm');
  artifactDir = await mkdtemp(join(tmpdir(), 'batching-'));
  await saveTinyModel(artifactDir, 'tiny');
  await saveTinyModel(artifactDir, 'other');
  images = await Promise.all(
    [
      [64, 32],
      [100, 60],
      [47, 83],
      [128, 64],
      [90, 50],
    ].map(([w, h]) => randomImage(w!, h!, 'png')),
  );
});

after(async () => {
  await rm(artifactDir, { recursive: true, force: true });
});

/** The JSON body of a reply without its timings (they differ from run to run). */
function answer(reply: PredictReply): Record<string, unknown> {
  assert.equal(reply.kind, 'json');
  const { timings, ...rest } = reply.body as Record<string, unknown>;
  assert.ok(timings);
  return rest;
}

function batchOf(reply: PredictReply): number {
  return (reply as { body: { timings: { batch: number } } }).body.timings.batch;
}

function pool(batchSize: number, batchWaitMs: number, sizes: number[] = []): PredictorPool {
  return new PredictorPool({
    threads: 1,
    queueSize: 16,
    modelCacheSize: 2,
    artifactDir,
    backend: 'wasm',
    batchSize,
    batchWaitMs,
    onBatch: (size) => sizes.push(size),
  });
}

describe('micro-batching', () => {
  test('concurrent predictions share forward passes, bounded by the batch size, and answer as alone', async () => {
    const single = pool(1, 0);
    const sizes: number[] = [];
    const batched = pool(3, 0, sizes);
    try {
      await Promise.all([single.ready(), batched.ready()]);
      const alone: Record<string, unknown>[] = [];
      for (const image of images) {
        alone.push(answer(await single.predict({ modelId: 'tiny', image, outputs: [...TASKS] })));
      }
      // One thread: the first starts alone at once (idle pool), the next four queue behind it and go as
      // batches of at most 3.
      const replies = await Promise.all(
        images.map((image) => batched.predict({ modelId: 'tiny', image, outputs: [...TASKS] })),
      );
      assert.deepEqual(sizes, [1, 3, 1]);
      assert.deepEqual(replies.map(batchOf), [1, 3, 3, 3, 1]);
      replies.forEach((reply, i) => assert.deepEqual(answer(reply), alone[i], `image ${i}`));
    } finally {
      await Promise.all([single.close(), batched.close()]);
    }
  });

  test('under load a request waits for companions up to the wait; other models, views and bad images go their own way', async () => {
    const sizes: number[] = [];
    const batched = pool(4, 200, sizes);
    try {
      await batched.ready();
      const first = batched.predict({ modelId: 'tiny', image: images[0]!, outputs: [...TASKS] });
      // Queued behind the first: 'other' and a view never join a 'tiny' batch; a corrupt image fails alone.
      const rest = await Promise.allSettled([
        batched.predict({ modelId: 'tiny', image: images[1]!, outputs: ['depth'] }),
        batched.predict({ modelId: 'other', image: images[2]!, outputs: [...TASKS] }),
        batched.predict({ modelId: 'tiny', image: images[3]!, outputs: [...TASKS], view: 'overlay' }),
        batched.predict({ modelId: 'tiny', image: Buffer.from('not an image'), outputs: [...TASKS] }),
        batched.predict({ modelId: 'tiny', image: images[4]!, outputs: ['segmentation'] }),
      ]);
      assert.equal(batchOf(await first), 1);
      const [depth, other, view, corrupt, segmentation] = rest;
      assert.equal(depth.status, 'fulfilled');
      assert.equal(other.status, 'fulfilled');
      assert.equal(view.status === 'fulfilled' && view.value.kind, 'png');
      assert.equal(corrupt.status === 'rejected' && corrupt.reason.statusCode, 422);
      assert.equal(segmentation.status, 'fulfilled');
      // tiny: [first], then [depth, corrupt, segmentation] (3 of at most 4), then 'other', then the view.
      assert.deepEqual(sizes, [1, 3, 1, 1]);
      const body = (r: PromiseSettledResult<PredictReply>) =>
        (r as PromiseFulfilledResult<PredictReply>).value as { body: Record<string, unknown> };
      assert.deepEqual(Object.keys(body(depth).body).sort(), [
        'depth',
        'height',
        'model',
        'timings',
        'width',
      ]);
      assert.ok(body(segmentation).body['segmentation'] && !body(segmentation).body['depth']);
      assert.equal(batchOf(body(segmentation) as PredictReply), 2, 'the corrupt image left the batch');
    } finally {
      await batched.close();
    }
  });

  test('jobs waiting for companions count against the queue bound: no unbounded queue while a thread is free', async () => {
    const waiting = new PredictorPool({
      threads: 2,
      queueSize: 0,
      modelCacheSize: 2,
      artifactDir,
      backend: 'wasm',
      batchSize: 4,
      batchWaitMs: 300,
    });
    try {
      await waiting.ready();
      // The first runs at once; then one thread is free and the others wait for companions (models
      // alternate, so no batch fills): at most 4 (one free thread's batch) may wait, the 6th is refused.
      const results = await Promise.allSettled(
        Array.from({ length: 6 }, (_, i) =>
          waiting.predict({ modelId: i % 2 ? 'other' : 'tiny', image: images[0]!, outputs: ['depth'] }),
        ),
      );
      assert.deepEqual(
        results.map((r) => r.status),
        ['fulfilled', 'fulfilled', 'fulfilled', 'fulfilled', 'fulfilled', 'rejected'],
      );
      assert.equal((results[5] as PromiseRejectedResult).reason.statusCode, 503);
    } finally {
      await waiting.close();
    }
  });

  test('the in-process batched forward pass equals one image at a time and leaks no tensor', async () => {
    const { model, manifest } = await loadModel(artifactDir, 'tiny');
    const predictor = new Predictor(model, manifest);
    try {
      const decoded = await Promise.all(images.map((image) => decodeImage(image)));
      predictor.run(decoded[0]!); // warm-up
      const before = tf.memory().numTensors;
      const batch = predictor.runBatch(decoded.map((image) => predictor.prepare(image)));
      assert.equal(tf.memory().numTensors, before, 'no tensor left by the batch');
      decoded.forEach((image, i) => {
        const alone = predictor.run(image).maps;
        const together = batch[i]!.maps;
        assert.deepEqual(together.labels(), alone.labels());
        assert.deepEqual(together.instances(), alone.instances());
        assert.deepEqual(together.disparityRange(), alone.disparityRange());
        assert.equal(batch[i]!.timings.batch, images.length);
      });
      assert.equal(tf.memory().numTensors, before);
    } finally {
      predictor.dispose();
    }
  });
});

describe('the raw answer', () => {
  test('packs and reads back any body; malformed bytes are refused', () => {
    const labels = Uint8Array.from([1, 2, 3]);
    const ids = Uint16Array.from([0, 65535, 7, 9, 1]);
    const disparity = Float32Array.from([0.5, -1, 3.25]);
    const body = {
      a: 1,
      m: { format: 'raw', dtype: 'uint8', shape: [1, 3], data: labels },
      n: [{ x: { format: 'raw', dtype: 'uint16', shape: [1, 5], data: ids } }],
      d: { format: 'raw', dtype: 'float32', shape: [3, 1], data: disparity },
    };
    const bytes = packRawPrediction(body);
    const headerBytes = bytes.readUInt32LE(0);
    assert.equal((4 + headerBytes) % 8, 0, 'the data section starts on a multiple of 8');
    const { header, arrays } = decodeRawPrediction(bytes);
    assert.equal(header['a'], 1);
    assert.deepEqual((header['m'] as { offset: number }).offset, 0);
    assert.deepEqual((header['n'] as { x: { offset: number } }[])[0]!.x.offset, 8);
    assert.deepEqual((header['d'] as { offset: number; shape: number[] }).offset, 24);
    assert.deepEqual(arrays.get('m'), labels);
    assert.deepEqual(arrays.get('n.0.x'), ids);
    assert.deepEqual(arrays.get('d'), disparity);
    assert.throws(() => decodeRawPrediction(bytes.subarray(0, bytes.length - 8)), RawPredictionFormatError);
    assert.throws(() => decodeRawPrediction(Buffer.from([1, 0])), RawPredictionFormatError);
    assert.throws(() => decodeRawPrediction(Buffer.from([2, 0, 0, 0, 0x7b, 0x7b])), RawPredictionFormatError);
  });

  test('decodes to the arrays the PNG/JSON answer encodes', async () => {
    const threads = pool(1, 0);
    try {
      for (const image of images.slice(1, 3)) {
        const json = await threads.predict({ modelId: 'tiny', image, outputs: [...TASKS] });
        const raw = await threads.predict({ modelId: 'tiny', image, outputs: [...TASKS], encoding: 'raw' });
        assert.equal(raw.kind, 'raw');
        const { header, arrays } = decodeRawPrediction((raw as { raw: Buffer }).raw);
        const body = (json as { body: Record<string, never> }).body as Record<
          string,
          Record<string, unknown>
        >;
        const png = async (map: unknown) =>
          (await decodeImage(Buffer.from((map as { data: string }).data, 'base64'))).data;
        const strip = (value: unknown): unknown =>
          JSON.parse(
            JSON.stringify(value, (k, v: unknown) => (k === 'timings' || k.endsWith('Map') ? undefined : v)),
          );
        assert.deepEqual(strip(header), strip(body), 'the same fields besides the maps');
        const { width, height } = header as { width: number; height: number };
        assert.deepEqual((header['segmentation'] as { labelMap: { shape: number[] } }).labelMap.shape, [
          height,
          width,
        ]);
        assert.deepEqual(arrays.get('segmentation.labelMap'), await png(body['segmentation']!['labelMap']));
        assert.deepEqual(arrays.get('instances.idMap'), await png(body['instances']!['idMap']));
        const depth = body['depth'] as { disparityMap: { scale: number }; metres: { depthMap: unknown } };
        const quantised = await png(depth.disparityMap);
        const disparity = arrays.get('depth.disparityMap') as Float32Array;
        assert.ok(disparity instanceof Float32Array && disparity.length === width * height);
        disparity.forEach((d, i) =>
          assert.equal(Math.min(65535, Math.round(d * depth.disparityMap.scale)), quantised[i]),
        );
        const metres = arrays.get('depth.metres.depthMap') as Float32Array;
        const centimetres = await png(depth.metres.depthMap);
        metres.forEach((m, i) =>
          assert.equal(Math.min(65535, Math.round(m * DEPTH_PNG_SCALE)), centimetres[i]),
        );
      }
    } finally {
      await threads.close();
    }
  });
});
