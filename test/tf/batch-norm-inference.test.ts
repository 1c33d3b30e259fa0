import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import type { Tensor, TensorInfo } from '@tensorflow/tfjs';
import { fusedBatchNormConfig } from '../../src/tf/kernels/batch-norm-inference.js';
import { selectBackend, stockWasmKernel, tf } from '../../src/tf/index.js';
import { maxRelativeError, randomValues } from '../helpers/random.js';

/** float32 against a float64 reference: a few ulps of the largest output. */
const MAX_RELATIVE_ERROR = 1e-6;
const EPSILON = 1e-3;

before(async () => {
  await selectBackend('wasm');
});

/** Per-channel statistics and affine parameters, drawn from `seed` (variances positive). */
function channelVectors(channels: number, seed: number) {
  const positive = randomValues(channels, seed + 1).map((v) => 0.05 + Math.abs(v) * 3);
  return {
    mean: randomValues(channels, seed + 2).map((v) => v * 4),
    variance: positive,
    offset: randomValues(channels, seed + 3),
    scale: randomValues(channels, seed + 4).map((v) => v * 2),
  };
}

/** (x - mean) * scale / sqrt(variance + eps) + offset in float64, channels last. */
function reference(x: Float32Array, v: ReturnType<typeof channelVectors>, channels: number): Float64Array {
  const out = new Float64Array(x.length);
  for (let i = 0; i < x.length; i++) {
    const c = i % channels;
    out[i] = ((x[i]! - v.mean[c]!) * v.scale[c]!) / Math.sqrt(v.variance[c]! + EPSILON) + v.offset[c]!;
  }
  return out;
}

describe('FusedBatchNorm on wasm: one SIMD pass', () => {
  test('is the project kernel, with the stock one kept for the cases it leaves', () => {
    assert.equal(tf.getKernel('FusedBatchNorm', 'wasm')?.kernelFunc, fusedBatchNormConfig.kernelFunc);
    assert.ok(stockWasmKernel('FusedBatchNorm'));
  });

  // Channels 1, 3 (scalar tail), 4, 13 (vector + tail), 16, 40 (two-vector blocks + one + tail); batch 1,
  // odd sizes, rank 2 to 4, and a tensor larger than one block of the kernel.
  const shapes: number[][] = [
    [1, 7, 9, 1],
    [2, 5, 7, 3],
    [1, 3, 3, 4],
    [3, 5, 7, 13],
    [1, 64, 128, 16],
    [2, 9, 40],
    [11, 40],
  ];
  for (const shape of shapes) {
    test(`matches a float64 reference and the stock kernel on [${shape.join(', ')}]`, () => {
      const channels = shape.at(-1)!;
      const size = shape.reduce((a, b) => a * b, 1);
      const values = randomValues(size, channels).map((v) => v * 5 + 1);
      const vectors = channelVectors(channels, size);
      const expected = reference(values, vectors, channels);
      const x = tf.tensor(values, shape);
      const [mean, variance, offset, scale] = [
        vectors.mean,
        vectors.variance,
        vectors.offset,
        vectors.scale,
      ].map((v) => tf.tensor1d(v)) as [Tensor, Tensor, Tensor, Tensor];
      const ours = tf.batchNorm(x, mean, variance, offset, scale, EPSILON);
      const stock = stockWasmKernel('FusedBatchNorm')!.kernelFunc({
        inputs: { x, mean, variance, offset, scale },
        backend: tf.backend(),
        attrs: { varianceEpsilon: EPSILON },
      }) as TensorInfo;
      const stockTensor = tf.engine().makeTensorFromTensorInfo(stock);
      assert.deepEqual(ours.shape, shape);
      assert.ok(maxRelativeError(ours.dataSync(), expected) <= MAX_RELATIVE_ERROR);
      assert.ok(maxRelativeError(ours.dataSync(), stockTensor.dataSync()) <= MAX_RELATIVE_ERROR);
      tf.dispose([x, mean, variance, offset, scale, ours, stockTensor]);
    });
  }

  test('an empty batch gives an empty result', () => {
    const vectors = channelVectors(8, 1);
    const out = tf.tidy(() =>
      tf.batchNorm(
        tf.zeros([0, 4, 4, 8]),
        tf.tensor1d(vectors.mean),
        tf.tensor1d(vectors.variance),
        tf.tensor1d(vectors.offset),
        tf.tensor1d(vectors.scale),
        EPSILON,
      ),
    );
    assert.deepEqual(out.shape, [0, 4, 4, 8]);
    out.dispose();
  });

  test('other broadcasts (a one-value mean, no offset or scale) take the stock kernel and stay right', () => {
    const channels = 5;
    const values = randomValues(3 * channels, 9);
    const vectors = channelVectors(channels, 9);
    const out = tf.tidy(() =>
      tf.batchNorm(
        tf.tensor(values, [3, channels]),
        tf.tensor1d([0.5]),
        tf.tensor1d(vectors.variance),
        undefined,
        undefined,
        EPSILON,
      ),
    );
    const expected = values.map((v, i) => (v - 0.5) / Math.sqrt(vectors.variance[i % channels]! + EPSILON));
    assert.ok(maxRelativeError(out.dataSync(), expected) <= MAX_RELATIVE_ERROR);
    out.dispose();
  });

  test('no tensor and no wasm buffer is left behind (the scratch is freed)', () => {
    const vectors = channelVectors(16, 2);
    const inputs = [
      tf.tensor(randomValues(2 * 8 * 8 * 16, 4), [2, 8, 8, 16]),
      ...[vectors.mean, vectors.variance, vectors.offset, vectors.scale].map((v) => tf.tensor1d(v)),
    ] as [Tensor, Tensor, Tensor, Tensor, Tensor];
    const run = () => tf.batchNorm(...inputs, EPSILON).dispose();
    run();
    const tensors = tf.memory().numTensors;
    const bytes = tf.memory().numBytes;
    const buffers = tf.backend().numDataIds();
    for (let i = 0; i < 5; i++) run();
    assert.equal(tf.memory().numTensors, tensors);
    assert.equal(tf.memory().numBytes, bytes);
    assert.equal(tf.backend().numDataIds(), buffers);
    tf.dispose(inputs);
  });
});
