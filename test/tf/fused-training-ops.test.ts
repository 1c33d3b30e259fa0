import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Scalar, Tensor, Tensor1D } from '@tensorflow/tfjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import {
  batchNormTraining,
  fusedAdam,
  fusedTrainingKernelsActive,
  maskedL1Loss,
  maskedSoftmaxCrossEntropy,
  selectBackend,
  setFusedTrainingKernelsEnabled,
  tf,
} from '../../src/tf/index.js';
import { MASKED_SOFTMAX_CROSS_ENTROPY } from '../../src/tf/kernels/softmax-cross-entropy.js';
import { maxRelativeError, randomValues, seededRandom } from '../helpers/random.js';

/** The issue's bar: the fused kernels match tfjs' own ops this closely, values and gradients. */
const MAX_RELATIVE_ERROR = 1e-4;
const IGNORE = 255;

before(async () => {
  await selectBackend('wasm');
});
after(() => {
  setFusedTrainingKernelsEnabled(true);
});

/** Runs `body` with the fused kernels on or off (tfjs' own ops), restoring the setting. */
function withFused<T>(on: boolean, body: () => T): T {
  const previous = setFusedTrainingKernelsEnabled(on);
  try {
    return body();
  } finally {
    setFusedTrainingKernelsEnabled(previous);
  }
}

/** Every array of `actual` is within MAX_RELATIVE_ERROR of the same key of `expected`. */
function assertClose(
  actual: Record<string, Float32Array>,
  expected: Record<string, Float32Array>,
  what: string,
) {
  for (const key of Object.keys(expected)) {
    const error = maxRelativeError(actual[key]!, expected[key]!);
    assert.ok(error <= MAX_RELATIVE_ERROR, `${what}: ${key} relative error ${error}`);
  }
}

interface BatchNormCase {
  shape: number[];
  relu: boolean;
}

/**
 * y, mean, variance and the gradients of sum(y * u) + sum(mean * a) + sum(variance * b) for x, gamma and
 * beta: every output of the op feeds the gradient.
 */
function batchNormRun(c: BatchNormCase, seed: number): Record<string, Float32Array> {
  const channels = c.shape.at(-1)!;
  const size = c.shape.reduce((a, b) => a * b, 1);
  return tf.tidy(() => {
    const x = tf.add(tf.mul(tf.tensor(randomValues(size, seed), c.shape), 2), 0.5);
    const gamma = tf.add(tf.tensor1d(randomValues(channels, seed + 1)), 1.2) as Tensor1D;
    const beta = tf.tensor1d(randomValues(channels, seed + 2));
    const u = tf.tensor(randomValues(size, seed + 3), c.shape);
    const a = tf.tensor1d(randomValues(channels, seed + 4));
    const b = tf.tensor1d(randomValues(channels, seed + 5));
    const options = { epsilon: 1e-3, relu: c.relu };
    const f = (xs: Tensor, g: Tensor, bt: Tensor): Scalar => {
      const r = batchNormTraining(xs, g as Tensor1D, bt as Tensor1D, options);
      return tf.addN([
        tf.sum(tf.mul(r.y, u)),
        tf.sum(tf.mul(r.mean, a)),
        tf.sum(tf.mul(r.variance, b)),
      ]) as Scalar;
    };
    const [dx, dgamma, dbeta] = tf.grads(f)([x, gamma, beta]);
    const r = batchNormTraining(x, gamma, beta, options);
    return {
      y: r.y.dataSync() as Float32Array,
      mean: r.mean.dataSync() as Float32Array,
      variance: r.variance.dataSync() as Float32Array,
      dx: dx!.dataSync() as Float32Array,
      dgamma: dgamma!.dataSync() as Float32Array,
      dbeta: dbeta!.dataSync() as Float32Array,
    };
  });
}

describe('batchNormTraining: the fused wasm kernels match tfjs ops', () => {
  // Odd channel counts (1, 3, 5, 19: vector chunks of 8 and 4 plus a scalar tail), batch 1, a rank-2
  // input, a single pixel, more pixels than one statistics block (264 at 19 channels, block 215), and a
  // mean 1000x the spread.
  const cases: BatchNormCase[] = [
    { shape: [1, 3, 5, 5], relu: false },
    { shape: [1, 3, 5, 5], relu: true },
    { shape: [2, 12, 11, 19], relu: false },
    { shape: [2, 12, 11, 19], relu: true },
    { shape: [3, 4, 1, 16], relu: true },
    { shape: [2, 2, 2, 1], relu: false },
    { shape: [40, 3], relu: true },
    { shape: [1, 1, 1, 33], relu: false },
  ];
  cases.forEach((c, index) => {
    test(`${JSON.stringify(c)}`, () => {
      assert.ok(fusedTrainingKernelsActive(), 'the fused kernels run on this wasm backend');
      const fused = withFused(true, () => batchNormRun(c, 10 * index));
      const stock = withFused(false, () => batchNormRun(c, 10 * index));
      assertClose(fused, stock, 'fused vs tfjs ops');
    });
  });

  test('with a mean 500x the spread, y and the statistics match a float64 reference', () => {
    const [shape, channels] = [[2, 6, 7, 12], 12];
    const size = 2 * 6 * 7 * 12;
    const x = randomValues(size, 80).map((v) => v * 2 + 1000);
    const gamma = randomValues(channels, 81).map((v) => v + 1.2);
    const beta = randomValues(channels, 82);
    const pixels = size / channels;
    const mean = new Float64Array(channels);
    const variance = new Float64Array(channels);
    x.forEach((v, i) => (mean[i % channels]! += v / pixels));
    x.forEach((v, i) => (variance[i % channels]! += (v - mean[i % channels]!) ** 2 / pixels));
    const y = Float64Array.from(x, (v, i) => {
      const c = i % channels;
      return ((v - mean[c]!) / Math.sqrt(variance[c]! + 1e-3)) * gamma[c]! + beta[c]!;
    });
    const actual = tf.tidy(() => {
      const r = batchNormTraining(tf.tensor(x, shape), tf.tensor1d(gamma), tf.tensor1d(beta), {
        epsilon: 1e-3,
      });
      return { y: r.y.dataSync(), mean: r.mean.dataSync(), variance: r.variance.dataSync() };
    });
    // tfjs' own ops (float32 sums) are off by ~1.5e-4 in y here; the fused kernel's blocks, combined in
    // float64, by ~5e-6.
    for (const [key, expected] of Object.entries({ y, mean, variance })) {
      const error = maxRelativeError(actual[key as keyof typeof actual], expected);
      assert.ok(error <= 2e-5, `${key} relative error ${error}`);
    }
  });

  test('on the cpu backend the same op takes tfjs ops and gives the same results', async () => {
    const c = { shape: [2, 3, 4, 6], relu: true };
    const wasm = batchNormRun(c, 77);
    await tf.setBackend('cpu');
    try {
      assert.equal(fusedTrainingKernelsActive(), false);
      assertClose(batchNormRun(c, 77), wasm, 'cpu vs wasm');
    } finally {
      await tf.setBackend('wasm');
    }
  });

  test('no tensor and no wasm buffer is left behind', () => {
    const backend = tf.backend() as BackendWasm;
    batchNormRun({ shape: [2, 3, 3, 7], relu: true }, 5);
    const [tensors, buffers] = [tf.memory().numTensors, backend.numDataIds()];
    batchNormRun({ shape: [2, 3, 3, 7], relu: true }, 5);
    assert.deepEqual([tf.memory().numTensors, backend.numDataIds()], [tensors, buffers]);
  });
});

interface CrossEntropyCase {
  shape: number[];
  /** Share of pixels labelled IGNORE. */
  ignored: number;
  /** Labels outside [0, classes) that are not IGNORE (they count, with a zero one-hot row). */
  outOfRange?: boolean;
  labelsDtype?: 'int32' | 'float32';
}

/** The loss times 1.7 (so that dloss is not 1) and its gradient for the logits. */
function crossEntropyRun(c: CrossEntropyCase, seed: number): { loss: Float32Array; dlogits: Float32Array } {
  const classes = c.shape.at(-1)!;
  const pixels = c.shape.slice(0, -1).reduce((a, b) => a * b, 1);
  const next = seededRandom(seed);
  const labelValues = Array.from({ length: pixels }, () => {
    if (next() < c.ignored) return IGNORE;
    if (c.outOfRange === true && next() < 0.3) return next() < 0.5 ? -1 : classes + 2;
    return Math.floor(next() * classes);
  });
  return tf.tidy(() => {
    const logits = tf.mul(tf.tensor(randomValues(pixels * classes, seed + 1), c.shape), 6);
    const labels = tf.tensor(labelValues, c.shape.slice(0, -1), c.labelsDtype ?? 'int32');
    const f = (z: Tensor) => tf.mul(maskedSoftmaxCrossEntropy(z, labels, IGNORE), 1.7) as Scalar;
    const { value, grad } = tf.valueAndGrad(f)(logits);
    return { loss: value.dataSync() as Float32Array, dlogits: grad.dataSync() as Float32Array };
  });
}

describe('maskedSoftmaxCrossEntropy: the fused wasm kernels match tfjs ops', () => {
  const cases: CrossEntropyCase[] = [
    { shape: [2, 5, 7, 19], ignored: 0.3 },
    { shape: [1, 3, 3, 2], ignored: 0 },
    { shape: [1, 4, 5, 3], ignored: 0.5, labelsDtype: 'float32' },
    { shape: [3, 2, 5, 4], ignored: 0.2, outOfRange: true },
    { shape: [1, 1, 9, 2], ignored: 0.4 },
    { shape: [6, 23], ignored: 0.1 },
  ];
  cases.forEach((c, index) => {
    test(`${JSON.stringify(c)}`, () => {
      const fused = withFused(true, () => crossEntropyRun(c, 100 + index));
      const stock = withFused(false, () => crossEntropyRun(c, 100 + index));
      assertClose(fused, stock, 'fused vs tfjs ops');
    });
  });

  test('with every pixel ignored the loss is 0 and so is every gradient, exactly', () => {
    const fused = withFused(true, () => crossEntropyRun({ shape: [1, 3, 4, 5], ignored: 1 }, 7));
    assert.deepEqual(Array.from(fused.loss), [0]);
    assert.ok(fused.dlogits.every((d) => d === 0));
  });

  test('the per-pixel log-sum-exp output has the gradient of tf.logSumExp', () => {
    const shape = [2, 3, 7];
    const logits = tf.tensor(randomValues(42, 9), shape);
    const labels = tf.zeros([2, 3], 'int32');
    const u = tf.tensor(randomValues(6, 10), [2, 3]);
    const lseOf = (z: Tensor) =>
      (
        tf
          .engine()
          .runKernel(MASKED_SOFTMAX_CROSS_ENTROPY, { logits: z, labels }, { ignoreLabel: IGNORE }) as Tensor[]
      )[1]!;
    const fused = tf.grad((z: Tensor) => tf.sum(tf.mul(lseOf(z), u)))(logits);
    const expected = tf.grad((z: Tensor) => tf.sum(tf.mul(tf.logSumExp(z, -1), u)))(logits);
    assert.ok(maxRelativeError(fused.dataSync(), expected.dataSync()) <= MAX_RELATIVE_ERROR);
    assert.ok(maxRelativeError(lseOf(logits).dataSync(), tf.logSumExp(logits, -1).dataSync()) <= 1e-6);
    tf.dispose([logits, labels, u, fused, expected]);
  });

  test('refuses labels that do not match the logits, naming both shapes', () => {
    const logits = tf.zeros([1, 2, 3, 4]);
    const labels = tf.zeros([1, 2, 4], 'int32');
    assert.throws(
      () => maskedSoftmaxCrossEntropy(logits, labels, IGNORE),
      /labels must have shape \[1, 2, 3\] \(the logits' without classes\), got \[1, 2, 4\]/,
    );
    tf.dispose([logits, labels]);
  });
});

interface L1Case {
  shape: number[];
  /** Share of pixels whose mask is set (to 1, or to a fraction when `fractional`). */
  masked: number;
  fractional?: boolean;
}

/** The loss times 1.3 and its gradients for predicted, target and mask. */
function l1Run(
  c: L1Case,
  seed: number,
): { loss: Float32Array; dpredicted: Float32Array; dtarget: Float32Array; dmask: Float32Array } {
  const size = c.shape.reduce((a, b) => a * b, 1);
  const maskShape = [...c.shape.slice(0, -1), 1];
  const next = seededRandom(seed);
  const maskValues = Float32Array.from({ length: size / c.shape.at(-1)! }, () =>
    next() < c.masked ? (c.fractional === true ? 0.05 + 0.1 * next() : 1) : 0,
  );
  return tf.tidy(() => {
    const predicted = tf.mul(tf.tensor(randomValues(size, seed + 1), c.shape), 5);
    // Some differences exactly 0, where tfjs' abs gradient is -1.
    const target = tf.where(
      tf.less(tf.tensor(randomValues(size, seed + 2), c.shape), -0.8),
      predicted,
      tf.mul(tf.tensor(randomValues(size, seed + 3), c.shape), 5),
    );
    const mask = tf.tensor(maskValues, maskShape);
    const f = (p: Tensor, t: Tensor, m: Tensor) => tf.mul(maskedL1Loss(p, t, m), 1.3) as Scalar;
    const [dp, dt, dm] = tf.grads(f)([predicted, target, mask]);
    return {
      loss: f(predicted, target, mask).dataSync() as Float32Array,
      dpredicted: dp!.dataSync() as Float32Array,
      dtarget: dt!.dataSync() as Float32Array,
      dmask: dm!.dataSync() as Float32Array,
    };
  });
}

describe('maskedL1Loss: the fused wasm kernels match tfjs ops', () => {
  const cases: L1Case[] = [
    { shape: [2, 5, 7, 2], masked: 0.4 }, // the instance loss: two channels summed
    { shape: [1, 5, 7, 2], masked: 0.6 }, // an odd pixel count: the vector loop's tail
    { shape: [1, 3, 3, 1], masked: 0.7 }, // the depth loss, batch 1
    { shape: [3, 4, 5, 3], masked: 1 },
    { shape: [2, 3, 3, 2], masked: 0.5, fractional: true }, // a mask summing below 1
    { shape: [1, 2, 2, 1], masked: 0 },
  ];
  cases.forEach((c, index) => {
    test(`${JSON.stringify(c)}`, () => {
      const fused = withFused(true, () => l1Run(c, 300 + index));
      const stock = withFused(false, () => l1Run(c, 300 + index));
      assertClose(fused, stock, 'fused vs tfjs ops');
    });
  });

  test('an empty mask gives loss 0 and no gradient for predicted', () => {
    const fused = withFused(true, () => l1Run({ shape: [1, 2, 3, 2], masked: 0 }, 9));
    assert.deepEqual(Array.from(fused.loss), [0]);
    assert.ok(fused.dpredicted.every((d) => d === 0));
  });
});

describe('FusedAdamOptimizer', () => {
  /** Five steps of Adam on two variables: their values and the optimizer's weights, as arrays. */
  async function adamRun(
    makeOptimizer: () => ReturnType<typeof fusedAdam> | ReturnType<typeof tf.train.adam>,
  ) {
    const a = tf.variable(tf.tensor2d(randomValues(35, 1), [7, 5]));
    const b = tf.variable(tf.tensor1d(randomValues(3, 2)));
    const optimizer = makeOptimizer();
    for (let step = 0; step < 5; step++) {
      optimizer.minimize(() => tf.add(tf.sum(tf.square(tf.sub(a, 0.3))), tf.sum(tf.sin(b))) as Scalar);
    }
    const weights = await optimizer.getWeights();
    const result = {
      values: [...a.dataSync(), ...b.dataSync()],
      slots: await Promise.all(
        weights.map(async (w) => [w.name.replace(/^.*\//, ''), Array.from(await w.tensor.data())]),
      ),
    };
    weights[0]!.tensor.dispose(); // the iterations scalar is a fresh tensor
    tf.dispose([a, b]);
    optimizer.dispose();
    return result;
  }

  test('equals tf.train.adam bit for bit over several steps, values and moments', async () => {
    const fused = await adamRun(() => fusedAdam(0.05));
    const stock = await withFused(false, () => adamRun(() => tf.train.adam(0.05)));
    assert.deepEqual(fused, stock);
  });

  test('its state moves to and from a stock Adam (checkpoints stay compatible)', async () => {
    const v = tf.variable(tf.tensor1d([0.5, -1, 2]), true, 'adam_compat_v');
    const loss = () => tf.sum(tf.square(v)) as Scalar;
    const fused = fusedAdam(0.1);
    fused.minimize(loss);
    fused.minimize(loss);
    const saved = await fused.getWeights();
    assert.deepEqual(
      saved.map((w) => w.name),
      ['iter', 'adam_compat_v/m', 'adam_compat_v/v'],
    );
    const stock = tf.train.adam(0.1);
    await stock.setWeights(saved);
    const start = Array.from(v.dataSync());
    stock.minimize(loss);
    const afterStock = Array.from(v.dataSync());
    v.assign(tf.tensor1d(start));
    const resumed = fusedAdam(0.1);
    await resumed.setWeights(saved);
    resumed.minimize(loss);
    assert.deepEqual(Array.from(v.dataSync()), afterStock);
    tf.dispose([saved[0]!.tensor, v]);
    [fused, stock, resumed].forEach((o) => o.dispose());
  });
});
