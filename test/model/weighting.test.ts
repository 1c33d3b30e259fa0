import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import type { Scalar } from '@tensorflow/tfjs';
import {
  createWeighting,
  dwaWeights,
  gradNormUpdate,
  uncertaintyTerm,
} from '../../src/model/weighting/index.js';
import { selectBackend, tf } from '../../src/tf/index.js';

before(async () => {
  await selectBackend('wasm');
});

describe('uncertainty weighting', () => {
  for (const [form, regression, expected] of [
    ['uncertainty', true, (L: number, s: number) => -0.5 * Math.exp(-s) * L + 0.5],
    ['uncertainty', false, (L: number, s: number) => -Math.exp(-s) * L + 0.5],
    [
      'uncertainty-positive',
      true,
      (L: number, s: number) => -0.5 * Math.exp(-s) * L + Math.exp(s) / (1 + Math.exp(s)),
    ],
  ] as const) {
    test(`${form} (${regression ? 'regression' : 'classification'}): d/ds matches the analytic gradient`, () => {
      for (const [L, s] of [
        [0.7, 0],
        [3, 1.2],
        [0.05, -2],
      ] as const) {
        const grad = tf.grad((sv) => uncertaintyTerm(tf.scalar(L), sv as Scalar, form, regression))(
          tf.scalar(s),
        );
        assert.ok(Math.abs(grad.dataSync()[0]! - expected(L, s)) < 1e-5, `L=${L} s=${s}`);
      }
    });
  }

  test('each form has the value of its formula', () => {
    const value = (form: 'uncertainty' | 'uncertainty-positive', regression: boolean, L: number, s: number) =>
      uncertaintyTerm(tf.scalar(L), tf.scalar(s), form, regression).dataSync()[0]!;
    const close = (a: number, b: number) => assert.ok(Math.abs(a - b) < 1e-5, `${a} != ${b}`);
    for (const [L, s] of [
      [0.7, 0],
      [3, 1.2],
      [0.05, -2],
    ] as const) {
      close(value('uncertainty', false, L, s), Math.exp(-s) * L + s / 2);
      close(value('uncertainty', true, L, s), (Math.exp(-s) * L) / 2 + s / 2);
      // L / (2 sigma^2) + log(1 + sigma^2) with sigma^2 = exp(s), the same for both kinds of task.
      close(value('uncertainty-positive', true, L, s), L / (2 * Math.exp(s)) + Math.log(1 + Math.exp(s)));
      close(value('uncertainty-positive', false, L, s), L / (2 * Math.exp(s)) + Math.log(1 + Math.exp(s)));
    }
  });

  test('with L held fixed, s converges to log L (regression) and log 2L (classification)', () => {
    const losses = { segmentation: 0.8, instances: 4, depth: 0.3 };
    const strategy = createWeighting({ strategy: 'uncertainty' }, ['segmentation', 'instances', 'depth']);
    const optimizer = tf.train.sgd(0.5);
    for (let step = 0; step < 400; step++) {
      optimizer.minimize(() =>
        strategy.combine({
          segmentation: tf.scalar(losses.segmentation),
          instances: tf.scalar(losses.instances),
          depth: tf.scalar(losses.depth),
        }),
      );
      strategy.afterUpdate?.();
    }
    const { logVariances, weights } = strategy.snapshot();
    assert.ok(Math.abs(logVariances!.segmentation! - Math.log(2 * losses.segmentation)) < 1e-3);
    assert.ok(Math.abs(logVariances!.instances! - Math.log(losses.instances)) < 1e-3);
    assert.ok(Math.abs(logVariances!.depth! - Math.log(losses.depth)) < 1e-3);
    // At the optimum each weighted loss is 1/2, so the weight is 1/(2L).
    assert.ok(Math.abs(weights.instances! - 1 / (2 * losses.instances)) < 1e-3);
    strategy.dispose();
    optimizer.dispose();
  });

  test('log-variances are clamped into the documented range and survive a state round trip', () => {
    const strategy = createWeighting({ strategy: 'uncertainty', initialLogVariance: 50 }, ['depth']);
    assert.equal(strategy.snapshot().logVariances!.depth, 6);
    const other = createWeighting({ strategy: 'uncertainty' }, ['depth']);
    other.restore(strategy.state());
    assert.equal(other.snapshot().logVariances!.depth, 6);
    strategy.dispose();
    other.dispose();
  });
});

describe('static, DWA and GradNorm weighting', () => {
  test('fixed and equal are plain weighted sums; fixed names a missing weight', () => {
    const fixed = createWeighting({ strategy: 'fixed', weights: { segmentation: 0.89, depth: 0.1 } }, [
      'segmentation',
      'depth',
    ]);
    const total = fixed.combine({ segmentation: tf.scalar(2), depth: tf.scalar(10) });
    assert.ok(Math.abs(total.dataSync()[0]! - (0.89 * 2 + 0.1 * 10)) < 1e-6);
    const equal = createWeighting({ strategy: 'equal' }, ['segmentation', 'depth']);
    assert.equal(equal.combine({ segmentation: tf.scalar(2), depth: tf.scalar(10) }).dataSync()[0], 12);
    assert.throws(
      () => createWeighting({ strategy: 'fixed', weights: { depth: 1 } }, ['segmentation', 'depth']),
      /weights\.segmentation/,
    );
  });

  test('DWA: weight 1 for two epochs, then more weight for the task whose loss fell least', () => {
    const tasks = ['segmentation', 'depth'] as const;
    assert.deepEqual(dwaWeights(tasks, [{ segmentation: 1, depth: 1 }], 2), { segmentation: 1, depth: 1 });
    const w = dwaWeights(
      tasks,
      [
        { segmentation: 1, depth: 1 },
        { segmentation: 0.5, depth: 0.9 },
      ],
      2,
    );
    assert.ok(w.depth! > w.segmentation!);
    assert.ok(Math.abs(w.depth! + w.segmentation! - 2) < 1e-9);
  });

  test('GradNorm raises the weight of the task with the smaller gradient norm, and keeps the sum', () => {
    const w = gradNormUpdate({
      tasks: ['segmentation', 'depth'],
      weights: { segmentation: 1, depth: 1 },
      rawLosses: { segmentation: 1, depth: 1 },
      initialLosses: { segmentation: 1, depth: 1 },
      gradientNorms: { segmentation: 10, depth: 1 },
      alpha: 1.5,
      learningRate: 0.025,
    });
    assert.ok(w.depth! > 1 && w.segmentation! < 1);
    assert.ok(Math.abs(w.depth! + w.segmentation! - 2) < 1e-9);
  });
});
