import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import type { Tensor4D } from '@tensorflow/tfjs';
import type { RasterImage } from '../../src/data/image-codec.js';
import { BilinearRows, halfPixelTaps } from '../../src/model/postprocess/bilinear-rows.js';
import { positiveStats, type RowSource } from '../../src/model/postprocess/positive-stats.js';
import { enlargedArgmax, nearestTaps, upsampledArgmax } from '../../src/model/postprocess/upsample-labels.js';
import { buildNetwork } from '../../src/model/network.js';
import { MAX_CACHED_DISPARITY_PIXELS } from '../../src/model/prediction-maps.js';
import { collectRows, MAX_UPSAMPLED_LOGITS, Predictor } from '../../src/model/predictor.js';
import { TASKS } from '../../src/model/tasks.js';
import { selectBackend, tf } from '../../src/tf/index.js';
import { seededRandom } from '../helpers/random.js';
import { tinyModelManifest } from '../helpers/tiny-model.js';

const INPUT: [number, number] = [32, 64];

function randomFloats(n: number, seed: number): Float32Array {
  const next = seededRandom(seed);
  return Float32Array.from({ length: n }, () => next() * 8 - 3);
}

function rgb(width: number, height: number, seed: number): RasterImage {
  const next = seededRandom(seed);
  const data = Uint8Array.from({ length: width * height * 3 }, () => Math.floor(next() * 256));
  return { width, height, channels: 3, bitDepth: 8, data };
}

/** tf.image.resizeBilinear(map, [h, w], false, true), read back. */
function tfBilinear(
  map: Float32Array,
  sh: number,
  sw: number,
  c: number,
  h: number,
  w: number,
): Float32Array {
  return tf.tidy(
    () =>
      tf.image
        .resizeBilinear(tf.tensor4d(map, [1, sh, sw, c]), [h, w], false, true)
        .dataSync() as Float32Array,
  );
}

before(async () => {
  await selectBackend('wasm');
});

describe('row-by-row enlargement', () => {
  for (const [h, w, c] of [
    [50, 90, 1],
    [71, 37, 3],
    [256, 512, 2],
    [20, 10, 19],
    [32, 64, 1],
  ] as const) {
    test(`BilinearRows equals tf.image.resizeBilinear bit for bit: 32x64x${c} to ${h}x${w}`, () => {
      const map = randomFloats(32 * 64 * c, h * w + c);
      const expected = tfBilinear(map, 32, 64, c, h, w);
      const rows = new BilinearRows(map, 32, 64, c, h, w);
      const row = new Float32Array(w * c);
      for (let y = 0; y < h; y++) {
        rows.row(y, row);
        assert.deepEqual(row, expected.subarray(y * w * c, (y + 1) * w * c), `row ${y}`);
      }
    });
  }

  test('rows asked for out of order come out the same', () => {
    const map = randomFloats(32 * 64, 5);
    const rows = new BilinearRows(map, 32, 64, 1, 100, 30);
    const forward = collectRows((visit) => {
      const row = new Float32Array(30);
      for (let y = 0; y < 100; y++) {
        rows.row(y, row);
        visit(row);
      }
    }, 3000);
    const row = new Float32Array(30);
    for (const y of [99, 0, 57, 56, 3, 98]) {
      rows.row(y, row);
      assert.deepEqual(row, forward.subarray(y * 30, (y + 1) * 30), `row ${y}`);
    }
    assert.throws(() => rows.row(100, row), RangeError);
  });

  test('halfPixelTaps clamps at the borders and never reads outside the source', () => {
    const taps = halfPixelTaps(4, 16);
    assert.equal(taps.lo[0], 0);
    assert.equal(taps.frac[0], 0);
    assert.equal(taps.hi[15], 3);
    assert.ok(taps.lo.every((v) => v >= 0 && v <= 3) && taps.hi.every((v) => v >= 0 && v <= 3));
  });

  test("labels equal the argmax of tfjs' enlarged logits, and the enlarged argmax beyond the budget", () => {
    const classes = 19;
    const logits = randomFloats(32 * 64 * classes, 11);
    const map = { logits, height: 32, width: 64, classes };
    const [h, w] = [77, 141];
    const expected = tf.tidy(() =>
      tf
        .argMax(tf.image.resizeBilinear(tf.tensor4d(logits, [1, 32, 64, classes]), [h, w], false, true), -1)
        .dataSync(),
    );
    assert.deepEqual(upsampledArgmax(map, h, w), Uint8Array.from(expected));
    const nearest = tf.tidy(() => {
      const small = tf.cast(tf.argMax(tf.tensor4d(logits, [1, 32, 64, classes]), -1), 'float32');
      return tf.image
        .resizeNearestNeighbor(tf.expandDims(small, -1) as Tensor4D, [h, w], false, true)
        .dataSync();
    });
    assert.deepEqual(enlargedArgmax(map, h, w), Uint8Array.from(nearest));
    assert.deepEqual(nearestTaps(2, 4), Int32Array.from([0, 0, 1, 1]));
  });
});

describe('positiveStats', () => {
  const sorted = (values: Float32Array) => {
    const valid = Float32Array.from(values.filter((v) => v > 0 && Number.isFinite(v))).sort();
    return valid.length === 0
      ? { count: 0, min: 0, max: 0, median: 0 }
      : { count: valid.length, min: valid[0]!, max: valid.at(-1)!, median: valid[valid.length >> 1]! };
  };
  const rowsOf = (values: Float32Array, width: number) => (visit: (row: Float32Array) => void) => {
    for (let i = 0; i < values.length; i += width) visit(values.subarray(i, i + width));
  };

  test('equals a sort of the positive finite values, whatever else the map holds', () => {
    const next = seededRandom(3);
    const values = Float32Array.from({ length: 5000 }, (_, i) => {
      const r = next();
      if (i % 97 === 0) return [NaN, Infinity, -Infinity, -0, 0, 1e-45, -1][i % 7]!;
      return r < 0.1 ? -r : r < 0.2 ? r * 1e6 : r;
    });
    assert.deepEqual(positiveStats(rowsOf(values, 50)), sorted(values));
    const ties = Float32Array.from({ length: 1000 }, (_, i) => (i % 3) + 1);
    assert.deepEqual(positiveStats(rowsOf(ties, 100)), sorted(ties));
  });

  test('is all zeros without a positive value, and exact for one value', () => {
    assert.deepEqual(positiveStats(rowsOf(new Float32Array([0, -1, NaN]), 3)), {
      count: 0,
      min: 0,
      max: 0,
      median: 0,
    });
    assert.deepEqual(positiveStats(rowsOf(Float32Array.of(2.5), 1)), {
      count: 1,
      min: 2.5,
      max: 2.5,
      median: 2.5,
    });
  });
});

describe('Predictor.run', () => {
  test('computes the maps predict() returns, at the input size in tfjs and without tensors left', () => {
    const model = buildNetwork({ width: 4, inputSize: INPUT, tasks: [...TASKS], classes: 19, seed: 2 });
    const predictor = new Predictor(model, { ...tinyModelManifest('m'), inputSize: INPUT });
    const image = rgb(300, 170, 9);
    predictor.run(image); // warm-up
    const tensors = tf.memory().numTensors;
    const { maps } = predictor.run(image);
    const full = predictor.predict(image);
    assert.equal(tf.memory().numTensors, tensors, 'no tensor outlives run()');
    assert.deepEqual(maps.labels(), full.segmentation!.labels);
    assert.deepEqual(maps.instances()!.idMap, full.instances!.idMap);
    const disparity = collectRows(maps.disparityRows, 300 * 170);
    assert.deepEqual(disparity, full.depth!.disparity);
    assert.deepEqual(maps.disparityRange(), { min: full.depth!.min, max: full.depth!.max });
    assert.deepEqual(collectRows(maps.depthRows, 300 * 170), full.depth!.depth);
    predictor.dispose();
  });

  test('the kept disparity map equals the row-by-row enlargement and is not changed by its uses', () => {
    const model = buildNetwork({ width: 4, inputSize: INPUT, tasks: [...TASKS], classes: 19, seed: 3 });
    const predictor = new Predictor(model, { ...tinyModelManifest('m'), inputSize: INPUT });
    const { maps } = predictor.run(rgb(301, 171, 4));
    assert.ok(301 * 171 <= MAX_CACHED_DISPARITY_PIXELS);
    const rowByRow = (maps as unknown as { enlargedDisparityRows: RowSource }).enlargedDisparityRows;
    const expected = collectRows(rowByRow, 301 * 171);
    assert.deepEqual(collectRows(maps.disparityRows, 301 * 171), expected);
    maps.depthStats();
    collectRows(maps.depthRows, 301 * 171);
    maps.disparityRange();
    assert.deepEqual(collectRows(maps.disparityRows, 301 * 171), expected, 'unchanged after its uses');
    predictor.dispose();
  });

  test('a 2048x2049 image does not grow the wasm heap: no full-size tensor is made', () => {
    const model = buildNetwork({ width: 4, inputSize: INPUT, tasks: [...TASKS], classes: 19, seed: 2 });
    const predictor = new Predictor(model, { ...tinyModelManifest('m'), inputSize: INPUT });
    const heap = () =>
      (tf.backend() as unknown as { wasm: { HEAPU8: Uint8Array } }).wasm.HEAPU8.buffer.byteLength;
    predictor.predict(rgb(64, 32, 1)); // warm-up
    const before = heap();
    const [width, height] = [2048, 2049];
    assert.ok(width * height * 19 > MAX_UPSAMPLED_LOGITS, 'beyond the smooth-labels budget');
    assert.ok(width * height > MAX_CACHED_DISPARITY_PIXELS, 'beyond the kept disparity: the row-by-row path');
    const { maps } = predictor.run({
      width,
      height,
      channels: 3,
      bitDepth: 8,
      data: new Uint8Array(width * height * 3).fill(90),
    });
    assert.equal(maps.labels()!.length, width * height);
    assert.equal(maps.instances()!.idMap.length, width * height);
    assert.ok(maps.depthStats().count > 0);
    // The old predictor enlarged logits and disparity as tensors: 2048^2 floats each, 16+ MB of heap.
    assert.equal(heap(), before, 'the wasm heap did not grow');
    predictor.dispose();
  });
});
