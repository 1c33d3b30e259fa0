import assert from 'node:assert/strict';
import { mkdir, mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import sharp from 'sharp';
import { IMAGE_NORMALISATION, NUM_TRAIN_CLASSES } from '../../src/data/index.js';
import type { SceneBatch } from '../../src/data/batch.js';
import {
  captureSampleImages,
  denormalise,
  pruneSampleEpochs,
  readSampleIndex,
  sampleEpochs,
  SampleCollector,
  tapBatches,
  writeEpochSamples,
  writeGroundTruthSamples,
} from '../../src/model/epoch-samples.js';
import { manifestClasses } from '../../src/model/model-manifest.js';
import { buildNetwork } from '../../src/model/network.js';
import { selectBackend, tf } from '../../src/tf/index.js';
import { tinyModelManifest } from '../helpers/tiny-model.js';

const [H, W] = [32, 64];
let dir: string;

/** A batch of `size` scenes with known pixels: image value i/255 normalised, labels i % 19, disparity 2. */
function knownBatch(size: number): SceneBatch {
  const pixels = H * W;
  const { mean, std } = IMAGE_NORMALISATION;
  const rgb = new Float32Array(size * pixels * 3);
  for (let i = 0; i < rgb.length; i++) rgb[i] = ((i % 256) / 255 - mean[i % 3]!) / std[i % 3]!;
  const labels = new Int32Array(size * pixels).map((_, i) => i % 19);
  return {
    size,
    names: Array.from({ length: size }, (_, i) => `s${i}`),
    flipped: new Array<boolean>(size).fill(false),
    images: tf.tensor4d(rgb, [size, H, W, 3]),
    labels: tf.tensor3d(labels, [size, H, W], 'int32'),
    disparity: tf.fill([size, H, W, 1], 2) as never,
    disparityMask: tf.ones([size, H, W, 1]) as never,
  };
}

before(async () => {
  await selectBackend('wasm');
  dir = await mkdtemp(join(tmpdir(), 'epoch-samples-'));
});

after(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('epoch samples', () => {
  test('denormalise inverts the input normalisation', () => {
    const { mean, std } = IMAGE_NORMALISATION;
    for (const value of [0, 1, 77, 128, 254, 255]) {
      const normalised = (value / 255 - mean[0]!) / std[0]!;
      assert.equal(denormalise(normalised, mean[0]!, std[0]!), value);
    }
  });

  test('captures the first images of a batch as they were before normalisation', () => {
    const batch = knownBatch(4);
    const samples = captureSampleImages(batch, 3, IMAGE_NORMALISATION);
    tf.dispose(Object.values(batch).filter((v) => v instanceof tf.Tensor));
    assert.equal(samples.images.length, 3);
    assert.equal(samples.images[0]!.data[5], 5);
    assert.equal(samples.images[1]!.data[0], (H * W * 3) % 256);
    assert.equal(samples.labels![2]![20], (2 * H * W + 20) % 19);
    assert.equal(samples.disparity![0]!.values[0], 2);
  });

  test('tapBatches hands over every batch before passing it on', async () => {
    async function* three() {
      for (let i = 0; i < 3; i++) yield { size: i } as unknown as SceneBatch;
    }
    const seen: number[] = [];
    const passed: number[] = [];
    for await (const b of tapBatches(three(), (batch) => seen.push(batch.size))) passed.push(b.size);
    assert.deepEqual(seen, [0, 1, 2]);
    assert.deepEqual(passed, [0, 1, 2]);
  });

  test('the collector takes images over several small batches, then no more once closed', () => {
    const collector = new SampleCollector(3, IMAGE_NORMALISATION);
    for (const size of [2, 2, 2]) {
      const batch = knownBatch(size);
      collector.add(batch);
      tf.dispose(Object.values(batch).filter((v) => v instanceof tf.Tensor));
    }
    assert.equal(collector.samples?.images.length, 3);
    assert.equal(collector.samples?.labels?.length, 3);
    const fresh = new SampleCollector(3, IMAGE_NORMALISATION);
    const one = knownBatch(1);
    fresh.add(one);
    fresh.close();
    fresh.add(one);
    tf.dispose(Object.values(one).filter((v) => v instanceof tf.Tensor));
    assert.equal(fresh.samples?.images.length, 1);
  });

  test('writes ground truth and each epoch as PNGs, without leaking tensors, and indexes them', async () => {
    const batch = knownBatch(2);
    const samples = captureSampleImages(batch, 3, IMAGE_NORMALISATION);
    tf.dispose(Object.values(batch).filter((v) => v instanceof tf.Tensor));
    const tasks = ['segmentation', 'instances', 'depth'] as const;
    const model = buildNetwork({
      width: 4,
      inputSize: [H, W],
      tasks: [...tasks],
      classes: NUM_TRAIN_CLASSES,
      seed: 1,
    });
    const manifest = tinyModelManifest('samples');
    const before = tf.memory().numTensors;
    await writeGroundTruthSamples(
      dir,
      samples,
      manifestClasses().map((c) => c.color),
    );
    await writeEpochSamples(dir, 1, model, manifest, samples);
    await writeEpochSamples(dir, 2, model, manifest, samples);
    assert.equal(tf.memory().numTensors, before, 'no tensor left behind');
    model.dispose();
    const index = await readSampleIndex(dir);
    assert.deepEqual(index, {
      samples: 2,
      epochs: [1, 2],
      views: ['segmentation', 'instances', 'depth', 'overlay'],
      groundTruth: ['image', 'segmentation', 'depth'],
    });
    const meta = await sharp(join(dir, '2', '1', 'overlay.png')).metadata();
    assert.deepEqual([meta.format, meta.width, meta.height], ['png', W, H]);
    assert.ok(!(await readdir(dir)).some((n) => n.includes('.tmp-')), 'no temporary folder left');
  });

  test('pruning keeps the first epoch and the last N', async () => {
    const pruned = join(dir, 'pruned');
    for (const epoch of [1, 2, 3, 4, 5, 6])
      await mkdir(join(pruned, String(epoch), '0'), { recursive: true });
    await mkdir(join(pruned, '0', '0'), { recursive: true });
    await pruneSampleEpochs(pruned, 2);
    assert.deepEqual(await sampleEpochs(pruned), [1, 5, 6]);
    assert.ok((await readdir(pruned)).includes('0'), 'the ground truth stays');
  });

  test('an empty or missing folder is an empty index', async () => {
    assert.deepEqual(await readSampleIndex(join(dir, 'none')), {
      samples: 0,
      epochs: [],
      views: [],
      groundTruth: [],
    });
  });
});
