import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import type { Tensor, Tensor4D } from '@tensorflow/tfjs';
import { selectBackend, setSimdConvGradientsEnabled, stockWasmKernel, tf } from '../../src/tf/index.js';
import { maxRelativeError, randomValues } from '../helpers/random.js';

/** The bar from the Foundation issue: every added kernel matches the cpu backend this closely. */
const MAX_RELATIVE_ERROR = 1e-4;

interface ConvCase {
  batch: number;
  height: number;
  width: number;
  inC: number;
  outC: number;
  kernel: number;
  stride: number;
  dilation: number;
  pad: 'same' | 'valid';
}

/** Strides 1 and 2, dilation 1 and 2, both paddings, odd and even sizes, batch > 1, channels 1..64. */
function convCases(): ConvCase[] {
  const cases: ConvCase[] = [];
  const sizes: [number, number][] = [
    [7, 9],
    [8, 10],
    [16, 13],
  ];
  const channels: [number, number][] = [
    [1, 3],
    [3, 16],
    [16, 1],
    [24, 24],
    [64, 32],
    [8, 64],
  ];
  let i = 0;
  for (const [stride, dilation] of [
    [1, 1],
    [2, 1],
    [1, 2],
  ] as const) {
    for (const pad of ['same', 'valid'] as const) {
      for (const kernel of [1, 3, 4]) {
        const [height, width] = sizes[i % sizes.length]!;
        const [inC, outC] = channels[i % channels.length]!;
        cases.push({ batch: 1 + (i % 3), height, width, inC, outC, kernel, stride, dilation, pad });
        i++;
      }
    }
  }
  // The shapes of the project's network (wide channels at a strided layer and at a dilated one).
  cases.push({
    batch: 2,
    height: 16,
    width: 32,
    inC: 32,
    outC: 64,
    kernel: 3,
    stride: 2,
    dilation: 1,
    pad: 'same',
  });
  cases.push({
    batch: 2,
    height: 8,
    width: 16,
    inC: 64,
    outC: 64,
    kernel: 3,
    stride: 1,
    dilation: 2,
    pad: 'same',
  });
  return cases;
}

function label(c: ConvCase): string {
  return `b${c.batch} ${c.height}x${c.width} ${c.inC}->${c.outC} k${c.kernel} s${c.stride} d${c.dilation} ${c.pad}`;
}

interface ConvGrads {
  y: Float32Array;
  dx: Float32Array;
  dFilter: Float32Array;
}

/** Forward output and both gradients of sum(conv(x, w) * g) on the active backend, via tf.grads. */
function convGrads(c: ConvCase, seed: number): ConvGrads {
  return tf.tidy(() => {
    const x = tf.tensor4d(randomValues(c.batch * c.height * c.width * c.inC, seed), [
      c.batch,
      c.height,
      c.width,
      c.inC,
    ]);
    const w = tf.tensor4d(randomValues(c.kernel * c.kernel * c.inC * c.outC, seed + 1), [
      c.kernel,
      c.kernel,
      c.inC,
      c.outC,
    ]);
    const conv = (a: Tensor, b: Tensor) =>
      tf.conv2d(a as Tensor4D, b as Tensor4D, c.stride, c.pad, 'NHWC', c.dilation);
    const y = conv(x, w);
    const g = tf.tensor(randomValues(y.size, seed + 2), y.shape);
    const [dx, dFilter] = tf.grads((a: Tensor, b: Tensor) => tf.sum(tf.mul(conv(a, b), g)))([x, w]);
    return {
      y: y.dataSync() as Float32Array,
      dx: dx!.dataSync() as Float32Array,
      dFilter: dFilter!.dataSync() as Float32Array,
    };
  });
}

/**
 * Reference for a dilated conv that never touches a dilated kernel: the same conv with the filter
 * "spread out" by inserting zeros, whose gradients tfjs-core computes with its stock dilation-1 path;
 * the filter gradient is then read back at the real taps.
 */
function spreadFilterGrads(c: ConvCase, seed: number): ConvGrads {
  const spread = (c.kernel - 1) * c.dilation + 1;
  return tf.tidy(() => {
    const x = tf.tensor4d(randomValues(c.batch * c.height * c.width * c.inC, seed), [
      c.batch,
      c.height,
      c.width,
      c.inC,
    ]);
    const taps = randomValues(c.kernel * c.kernel * c.inC * c.outC, seed + 1);
    const big = new Float32Array(spread * spread * c.inC * c.outC);
    const block = c.inC * c.outC;
    for (let i = 0; i < c.kernel; i++) {
      for (let j = 0; j < c.kernel; j++) {
        big.set(
          taps.subarray((i * c.kernel + j) * block, (i * c.kernel + j + 1) * block),
          (i * c.dilation * spread + j * c.dilation) * block,
        );
      }
    }
    const w = tf.tensor4d(big, [spread, spread, c.inC, c.outC]);
    const conv = (a: Tensor, b: Tensor) => tf.conv2d(a as Tensor4D, b as Tensor4D, c.stride, c.pad);
    const y = conv(x, w);
    const g = tf.tensor(randomValues(y.size, seed + 2), y.shape);
    const [dx, dBig] = tf.grads((a: Tensor, b: Tensor) => tf.sum(tf.mul(conv(a, b), g)))([x, w]);
    const dBigData = dBig!.dataSync();
    const dFilter = new Float32Array(taps.length);
    for (let i = 0; i < c.kernel; i++) {
      for (let j = 0; j < c.kernel; j++) {
        const from = (i * c.dilation * spread + j * c.dilation) * block;
        dFilter.set(dBigData.subarray(from, from + block), (i * c.kernel + j) * block);
      }
    }
    return { y: y.dataSync() as Float32Array, dx: dx!.dataSync() as Float32Array, dFilter };
  });
}

describe('wasm training kernels match the cpu backend', () => {
  before(async () => {
    const info = await selectBackend('wasm');
    assert.equal(info.wasm?.convGradients, 'simd', 'the SIMD conv gradients bind to the wasm heap in Node');
  });

  // Every case on both implementations of the wasm conv gradients: the SIMD kernels that run by default,
  // and the XNNPACK formulations they fall back to where they cannot share the heap.
  for (const simd of [true, false]) {
    convCases().forEach((c, index) => {
      test(`conv2d gradients (${simd ? 'SIMD kernels' : 'XNNPACK fallback'}): ${label(c)}`, async (t) => {
        const seed = 1000 + index * 10;
        await tf.setBackend('cpu');
        const reference = c.dilation === 1 ? convGrads(c, seed) : spreadFilterGrads(c, seed);
        await tf.setBackend('wasm');
        const previous = setSimdConvGradientsEnabled(simd);
        t.after(() => setSimdConvGradientsEnabled(previous));
        const before = tf.memory().numTensors;
        const actual = convGrads(c, seed);
        assert.equal(tf.memory().numTensors, before, 'no tensor leaked');
        for (const key of ['y', 'dx', 'dFilter'] as const) {
          const err = maxRelativeError(actual[key], reference[key]);
          assert.ok(
            err <= MAX_RELATIVE_ERROR,
            `${key}: max relative error ${err.toExponential(2)} > ${MAX_RELATIVE_ERROR}`,
          );
        }
      });
    });
  }

  test('dilated conv gradients on cpu (the registered gradient) match the spread-filter reference', async () => {
    await tf.setBackend('cpu');
    const c: ConvCase = {
      batch: 2,
      height: 9,
      width: 8,
      inC: 5,
      outC: 7,
      kernel: 3,
      stride: 1,
      dilation: 2,
      pad: 'same',
    };
    const actual = convGrads(c, 7);
    const reference = spreadFilterGrads(c, 7);
    for (const key of ['y', 'dx', 'dFilter'] as const) {
      assert.ok(maxRelativeError(actual[key], reference[key]) <= MAX_RELATIVE_ERROR, key);
    }
    await tf.setBackend('wasm');
  });

  test('the replaced Conv2DBackpropInput agrees with the stock wasm kernel it replaces', async () => {
    const stock = stockWasmKernel('Conv2DBackpropInput');
    assert.ok(stock, 'tfjs 4.22 ships a (slow) wasm Conv2DBackpropInput');
    const shape: [number, number, number, number] = [2, 9, 10, 6];
    const attrs = { strides: [2, 2], pad: 'same', dataFormat: 'NHWC', inputShape: shape } as const;
    const dy = tf.tensor4d(randomValues(2 * 5 * 5 * 4, 3), [2, 5, 5, 4]);
    const w = tf.tensor4d(randomValues(3 * 3 * 6 * 4, 4), [3, 3, 6, 4]);
    const ours = tf.engine().runKernel('Conv2DBackpropInput', { dy, filter: w }, attrs as never) as Tensor;
    const backend = tf.backend();
    const info = stock.kernelFunc({
      inputs: { dy, filter: w },
      attrs: attrs as never,
      backend,
    }) as tf.TensorInfo;
    const theirs = tf.engine().makeTensorFromTensorInfo(info);
    assert.ok(maxRelativeError(ours.dataSync(), theirs.dataSync()) <= MAX_RELATIVE_ERROR);
    tf.dispose([dy, w, ours, theirs]);
  });

  test('UnsortedSegmentSum matches cpu, drops out-of-range ids, and makes gather trainable', async () => {
    const run = () =>
      tf.tidy(() => {
        const x = tf.tensor2d(randomValues(6 * 5, 11), [6, 5]);
        const ids = tf.tensor1d([0, 2, 2, -1, 3, 7], 'int32');
        const sum = tf.unsortedSegmentSum(x, ids, 4);
        const table = tf.tensor2d(randomValues(4 * 3, 12), [4, 3]);
        const grad = tf.grad((t: Tensor) => tf.sum(tf.square(tf.gather(t, tf.tensor1d([1, 3, 1], 'int32')))))(
          table,
        );
        return { sum: sum.dataSync(), grad: grad.dataSync() };
      });
    await tf.setBackend('cpu');
    const reference = run();
    await tf.setBackend('wasm');
    const actual = run();
    assert.deepEqual(Array.from(actual.sum), Array.from(reference.sum));
    assert.ok(maxRelativeError(actual.grad, reference.grad) <= MAX_RELATIVE_ERROR);
  });
});
