import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import type { Scalar } from '@tensorflow/tfjs';
import { ValidationError } from '../../src/errors.js';
import { buildNetwork } from '../../src/model/network.js';
import { createWeightingOptimizer, resolveOptimizerSpec } from '../../src/model/optimizers.js';
import { TASKS, type PerTask, type Task } from '../../src/model/tasks.js';
import { parseTrainingSpec } from '../../src/model/training-spec.js';
import { taskLossValues } from '../../src/model/train-step.js';
import { train, type StepProgress } from '../../src/model/trainer.js';
import {
  createWeighting,
  optimalLogVariance,
  RUNNING_LOSS_DECAY,
  uncertaintyTerm,
  type UncertaintyForm,
} from '../../src/model/weighting/index.js';
import { selectBackend, tf } from '../../src/tf/index.js';
import { tinySpec } from '../helpers/training.js';
import { memorySource } from './helpers/memory-source.js';

const FORMS: readonly UncertaintyForm[] = ['uncertainty', 'uncertainty-positive'];
const tasks = [...TASKS];
const SIZE = { height: 32, width: 64 };
const CLASSES = 4;

before(async () => {
  await selectBackend('wasm');
});

/** s* written out by hand from the closed forms (not through the library). */
function handOptimum(form: UncertaintyForm, task: Task, L: number): number {
  if (form === 'uncertainty-positive') return Math.log(L / 4 + Math.sqrt((L * L) / 16 + L / 2));
  return task === 'segmentation' ? Math.log(2 * L) : Math.log(L);
}

const constantLosses = (losses: PerTask<number>) =>
  Object.fromEntries(Object.entries(losses).map(([t, L]) => [t, tf.scalar(L)])) as PerTask<Scalar>;

describe('closed-form optimum of s', () => {
  for (const form of FORMS) {
    for (const task of ['segmentation', 'depth'] as const) {
      test(`${form}, ${task}: the gradient of the term vanishes at s* and s* is its minimum`, () => {
        for (const L of [0.05, 0.7, 3, 40]) {
          const best = optimalLogVariance(form, task, L);
          assert.ok(Math.abs(best - handOptimum(form, task, L)) < 1e-12, `L=${L}`);
          const term = (s: number) =>
            tf.tidy(
              () => uncertaintyTerm(tf.scalar(L), tf.scalar(s), form, task !== 'segmentation').dataSync()[0]!,
            );
          const grad = tf.tidy(
            () =>
              tf
                .grad((s) => uncertaintyTerm(tf.scalar(L), s as Scalar, form, task !== 'segmentation'))(
                  tf.scalar(best),
                )
                .dataSync()[0]!,
          );
          assert.ok(Math.abs(grad) < 1e-6, `L=${L}: d/ds = ${grad}`);
          assert.ok(term(best - 0.05) > term(best) && term(best + 0.05) > term(best), `L=${L}`);
        }
      });
    }
  }

  test('s* is clamped into the log-variance range (a loss of 0 gives -6, not -Infinity)', () => {
    assert.equal(optimalLogVariance('uncertainty', 'depth', 0), -6);
    assert.equal(optimalLogVariance('uncertainty-positive', 'depth', 0), -6);
    assert.equal(optimalLogVariance('uncertainty', 'depth', 1e9), 6);
  });
});

describe('"auto" initialisation', () => {
  test('puts s within 1e-4 of the closed form of each form on a fixed batch', () => {
    const model = buildNetwork({ width: 4, inputSize: [SIZE.height, SIZE.width], tasks, classes: CLASSES });
    const source = memorySource({ samples: 4, batchSize: 4, ...SIZE, classes: CLASSES, seed: 5 });
    return (async () => {
      for await (const batch of source.validation()) {
        const before = tf.memory().numTensors;
        const losses = taskLossValues(model, tasks, batch);
        assert.equal(tf.memory().numTensors, before, 'no tensor leaks');
        for (const form of FORMS) {
          const strategy = createWeighting({ strategy: form }, tasks);
          assert.equal(strategy.needsInitialLosses, true);
          strategy.initialize!(losses);
          assert.equal(strategy.needsInitialLosses, false);
          const s = strategy.snapshot().logVariances!;
          for (const task of tasks) {
            const expected = handOptimum(form, task, losses[task]!);
            assert.ok(Math.abs(s[task]! - expected) < 1e-4, `${form} ${task}: ${s[task]} vs ${expected}`);
          }
          strategy.dispose();
        }
        tf.dispose(Object.values(batch).filter((v) => v instanceof tf.Tensor));
      }
      model.dispose();
    })();
  });

  test('a number, or a per-task object (others "auto"), still sets s as asked', () => {
    const zero = createWeighting({ strategy: 'uncertainty', initialLogVariance: 0 }, tasks);
    assert.equal(zero.needsInitialLosses, false);
    assert.deepEqual(zero.snapshot().logVariances, { segmentation: 0, instances: 0, depth: 0 });
    const mixed = createWeighting({ strategy: 'uncertainty', initialLogVariance: { depth: 1.5 } }, tasks);
    mixed.initialize!({ segmentation: 1, instances: 2, depth: 9 });
    const s = mixed.snapshot().logVariances!;
    assert.ok(Math.abs(s.depth! - 1.5) < 1e-6);
    assert.ok(Math.abs(s.segmentation! - Math.log(2)) < 1e-6);
    assert.ok(Math.abs(s.instances! - Math.log(2)) < 1e-6);
    zero.dispose();
    mixed.dispose();
  });

  test('the spec takes "auto", a number or a per-task object, and refuses a task the job does not train', () => {
    const spec = (initialLogVariance: unknown, jobTasks = tasks) =>
      parseTrainingSpec({
        ...tinySpec(),
        tasks: jobTasks,
        weighting: { strategy: 'uncertainty', initialLogVariance },
      });
    for (const value of ['auto', 0, -1.5, { depth: 2 }]) {
      assert.deepEqual(spec(value).weighting.initialLogVariance, value);
    }
    assert.throws(
      () => spec({ segmentation: 1 }, ['depth']),
      (error: unknown) =>
        error instanceof ValidationError &&
        JSON.stringify(error.details).includes('/weighting/initialLogVariance/segmentation'),
    );
  });

  for (const form of FORMS) {
    test(`${form}: with L held fixed, s stays at s* for 50 steps of its optimiser (no drift)`, () => {
      const L = { segmentation: 2.3, instances: 7.1, depth: 0.4 };
      const strategy = createWeighting({ strategy: form }, tasks);
      strategy.initialize!(L);
      const optimizer = createWeightingOptimizer(resolveOptimizerSpec());
      let worst = 0;
      for (let step = 0; step < 50; step++) {
        optimizer.minimize(() => strategy.combine(constantLosses(L)), false, [...strategy.variables]);
        strategy.afterUpdate?.();
        strategy.afterStep?.({ rawLosses: L });
        for (const gap of Object.values(strategy.snapshot().logVarianceGaps!)) {
          worst = Math.max(worst, Math.abs(gap));
        }
      }
      assert.ok(worst < 1e-5, `largest |s - s*| over 50 steps: ${worst}`);
      strategy.dispose();
      optimizer.dispose();
    });
  }
});

describe('reported s, sigma, s* and s - s*', () => {
  test('every step reports them, and s - s* matches a hand computation from the reported losses', async () => {
    const model = buildNetwork({ width: 4, inputSize: [SIZE.height, SIZE.width], tasks, classes: CLASSES });
    const strategy = createWeighting({ strategy: 'uncertainty' }, tasks);
    const steps: StepProgress[] = [];
    const result = await train({
      model,
      tasks,
      strategy,
      optimizer: resolveOptimizerSpec({ learningRate: 0.01, schedule: 'constant' }),
      epochs: 2,
      data: memorySource({ samples: 8, batchSize: 2, ...SIZE, classes: CLASSES, seed: 3 }),
      onStep: (progress) => {
        steps.push(progress);
      },
    });
    // Hand computation: the bias-corrected exponential mean of the reported raw losses, then log L / log 2L.
    const averages: PerTask<number> = {};
    steps.forEach((progress, i) => {
      const t = i + 1;
      for (const task of tasks) {
        averages[task] =
          RUNNING_LOSS_DECAY * (averages[task] ?? 0) + (1 - RUNNING_LOSS_DECAY) * progress.losses[task]!;
        const mean = averages[task]! / (1 - RUNNING_LOSS_DECAY ** t);
        const best = task === 'segmentation' ? Math.log(2 * mean) : Math.log(mean);
        const s = progress.logVariances![task]!;
        assert.ok(Math.abs(progress.optimalLogVariances![task]! - best) < 1e-9, `step ${t} ${task} s*`);
        assert.ok(Math.abs(progress.logVarianceGaps![task]! - (s - best)) < 1e-9, `step ${t} ${task} gap`);
        assert.ok(Math.abs(progress.sigmas![task]! - Math.exp(s / 2)) < 1e-12, `step ${t} ${task} sigma`);
      }
    });
    // The first step started at s* of its own losses (auto): one Adam step of at most ~lr away from it.
    for (const task of tasks) {
      const first = steps[0]!;
      assert.ok(
        Math.abs(first.logVarianceGaps![task]!) <= 0.0101,
        `${task}: ${first.logVarianceGaps![task]}`,
      );
    }
    const last = result.history.at(-1)!;
    assert.deepEqual(last.logVarianceGaps, steps.at(-1)!.logVarianceGaps, 'the epoch reports where it ended');
    assert.ok(last.sigmas && last.optimalLogVariances);
    strategy.dispose();
    model.dispose();
  });

  test('strategies without learned log-variances report none of them', () => {
    const equal = createWeighting({ strategy: 'equal' }, tasks);
    const snapshot = equal.snapshot();
    assert.equal(snapshot.sigmas, undefined);
    assert.equal(snapshot.logVarianceGaps, undefined);
    equal.dispose();
  });
});
