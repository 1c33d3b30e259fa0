import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import type { RasterImage } from '../../src/data/image-codec.js';
import type { ModelManifest } from '../../src/model/artifacts.js';
import { buildNetwork } from '../../src/model/network.js';
import { measureInstances, Predictor, toNetworkInput, toRgbFloat } from '../../src/model/predictor.js';
import { TASKS } from '../../src/model/tasks.js';
import { selectBackend, tf } from '../../src/tf/index.js';
import { seededRandom } from '../helpers/random.js';
import { tinyModelManifest } from '../helpers/tiny-model.js';

const INPUT: [number, number] = [32, 64];

function manifestFor(tasks = [...TASKS]): ModelManifest {
  return {
    ...tinyModelManifest('test-model', tasks),
    createdAt: new Date(0).toISOString(),
    inputSize: INPUT,
    camera: { fx: 40, baseline: 0.2 },
  };
}

function image(width: number, height: number, channels: 1 | 3 | 4, bitDepth: 8 | 16 = 8): RasterImage {
  const next = seededRandom(width * height + channels);
  const max = bitDepth === 8 ? 255 : 65535;
  const size = width * height * channels;
  const data = bitDepth === 8 ? new Uint8Array(size) : new Uint16Array(size);
  for (let i = 0; i < size; i++) data[i] = Math.floor(next() * max);
  return { width, height, channels, bitDepth, data };
}

before(async () => {
  await selectBackend('wasm');
});

test('toNetworkInput equals the tensor normalisation div(sub(div(x, 255), mean), std) to the bit', () => {
  const normalisation = { mean: [0.485, 0.456, 0.406], std: [0.229, 0.224, 0.225] };
  for (const raster of [image(23, 11, 3), image(9, 7, 1, 16), image(12, 5, 4)]) {
    const ours = toNetworkInput(raster, normalisation);
    const theirs = tf.tidy(() =>
      tf
        .div(
          tf.sub(
            tf.div(tf.tensor2d(toRgbFloat(raster), [raster.width * raster.height, 3]), 255),
            normalisation.mean,
          ),
          normalisation.std,
        )
        .dataSync(),
    );
    assert.deepEqual(
      Array.from(ours),
      Array.from(theirs),
      `${raster.channels} channel(s), ${raster.bitDepth}-bit`,
    );
  }
});

test('predicts every output at the size of images unlike the input size, without leaking tensors', () => {
  const model = buildNetwork({ width: 4, inputSize: INPUT, tasks: [...TASKS], classes: 19 });
  const predictor = new Predictor(model, manifestFor());
  predictor.predict(image(64, 32, 3)); // warm-up: first call creates kernels' cached state
  const before = tf.memory().numTensors;
  for (const [w, h, c, depth] of [
    [90, 50, 3, 8],
    [37, 71, 1, 16],
    [128, 64, 4, 8],
    [1100, 800, 3, 8], // beyond the upsampled-logits budget: labels enlarged from the input size
  ] as const) {
    const prediction = predictor.predict(image(w, h, c, depth));
    assert.equal(prediction.width, w);
    assert.equal(prediction.height, h);
    assert.equal(prediction.segmentation!.labels.length, w * h);
    assert.ok(prediction.segmentation!.labels.every((l) => l < 19));
    const shares = prediction.segmentation!.classes.reduce((a, c2) => a + c2.pixelShare, 0);
    assert.ok(Math.abs(shares - 1) < 1e-9, 'class shares sum to 1');
    assert.equal(prediction.instances!.idMap.length, w * h);
    for (const instance of prediction.instances!.instances) {
      const [x0, y0, x1, y1] = instance.bbox;
      assert.ok(x0 >= 0 && y0 >= 0 && x1 <= w && y1 <= h, 'bbox inside the image');
    }
    assert.equal(prediction.depth!.disparity.length, w * h);
    assert.equal(prediction.depth!.depth!.length, w * h);
    assert.ok(prediction.depth!.min <= prediction.depth!.max);
  }
  assert.equal(tf.memory().numTensors, before, 'no tensor leaked across predictions');
  predictor.dispose();
});

test('rescales disparity to the image: twice as wide, twice the disparity', () => {
  const model = buildNetwork({ width: 4, inputSize: INPUT, tasks: ['depth'], classes: 19, seed: 1 });
  const predictor = new Predictor(model, manifestFor(['depth']));
  // A uniform picture reaches the network identically at any size, whatever the resize filter.
  const uniform = (width: number): RasterImage => ({
    width,
    height: 32,
    channels: 3,
    bitDepth: 8,
    data: new Uint8Array(width * 32 * 3).fill(200),
  });
  const mean = (v: Float32Array) => v.reduce((sum, x) => sum + x, 0) / v.length;
  const small = mean(predictor.predict(uniform(64)).depth!.disparity);
  const wide = mean(predictor.predict(uniform(128)).depth!.disparity);
  assert.ok(small > 0, 'the untrained head predicts some positive disparity here');
  assert.ok(Math.abs(wide / small - 2) < 0.01, `disparity ratio ${wide / small}`);
  predictor.dispose();
});

test('asking for a head the model lacks is a ValidationError naming it', () => {
  const model = buildNetwork({ width: 4, inputSize: INPUT, tasks: ['depth'], classes: 19 });
  const predictor = new Predictor(model, manifestFor(['depth']));
  assert.throws(() => predictor.predict(image(64, 32, 3), ['segmentation']), /no segmentation head/);
  predictor.dispose();
});

test('measureInstances gives area, half-open bbox and centroid per id', () => {
  // 4x3 map: id 2 is an L of 3 pixels, id 5 a single pixel.
  const idMap = Uint16Array.from([0, 2, 0, 0, 0, 2, 2, 0, 0, 0, 0, 5]);
  assert.deepEqual(measureInstances(idMap, 4), [
    { id: 2, area: 3, bbox: [1, 0, 3, 2], centroid: [4 / 3, 2 / 3] },
    { id: 5, area: 1, bbox: [3, 2, 4, 3], centroid: [3, 2] },
  ]);
});
