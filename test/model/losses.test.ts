import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import type { Scalar, Tensor } from '@tensorflow/tfjs';
import { depthLoss, IGNORE_LABEL, instanceLoss, segmentationLoss } from '../../src/model/losses.js';
import { selectBackend, tf } from '../../src/tf/index.js';

before(async () => {
  await selectBackend('wasm');
});

const close = (actual: number, expected: number, message?: string) =>
  assert.ok(Math.abs(actual - expected) < 1e-5, `${message ?? ''} ${actual} != ${expected}`);

describe('segmentationLoss', () => {
  test('equals the cross-entropy computed by hand, ignoring 255', () => {
    // Two labelled pixels and one ignored, 3 classes.
    const logits = tf.tensor4d([1, 2, 3, 0, 0, 0, 5, -5, 9], [1, 1, 3, 3]);
    const labels = tf.tensor3d([2, 0, IGNORE_LABEL], [1, 1, 3], 'int32');
    const ce = (z: number[], k: number) => Math.log(z.reduce((a, v) => a + Math.exp(v), 0)) - z[k]!;
    const expected = (ce([1, 2, 3], 2) + ce([0, 0, 0], 0)) / 2;
    close(segmentationLoss(logits, labels).dataSync()[0]!, expected);
  });

  test('is 0, not NaN, when no pixel is labelled', () => {
    const logits = tf.randomNormal([1, 2, 2, 4]);
    const labels = tf.fill([1, 2, 2], IGNORE_LABEL, 'int32');
    assert.equal(segmentationLoss(logits, labels).dataSync()[0], 0);
  });

  test('ignored pixels change neither the loss nor its gradient', () => {
    const labels = tf.tensor3d([1, IGNORE_LABEL], [1, 1, 2], 'int32');
    const gradOf = (logits: Tensor) => tf.grad((z: Tensor) => segmentationLoss(z, labels))(logits);
    const a = tf.tensor4d([0.3, -1, 2, 7], [1, 1, 2, 2]);
    const b = tf.tensor4d([0.3, -1, -40, 99], [1, 1, 2, 2]); // only the ignored pixel differs
    close(segmentationLoss(a, labels).dataSync()[0]!, segmentationLoss(b, labels).dataSync()[0]!);
    const [ga, gb] = [gradOf(a).dataSync(), gradOf(b).dataSync()];
    assert.deepEqual(Array.from(ga), Array.from(gb));
    assert.deepEqual(Array.from(ga.slice(2), Math.abs), [0, 0], 'no gradient on the ignored pixel');
  });
});

describe('instanceLoss and depthLoss', () => {
  test('L1 over masked pixels, divided by their count', () => {
    const predicted = tf.tensor4d([1, 2, 3, 4, 100, 100], [1, 1, 3, 2]);
    const target = tf.tensor4d([0, 0, 3, 2, 0, 0], [1, 1, 3, 2]);
    const mask = tf.tensor4d([1, 1, 0], [1, 1, 3, 1]);
    close(instanceLoss(predicted, target, mask).dataSync()[0]!, (1 + 2 + 0 + 2) / 2);
    const disparity = tf.tensor4d([2, 5, 9], [1, 1, 3, 1]);
    const truth = tf.tensor4d([1, 7, 0], [1, 1, 3, 1]);
    close(depthLoss(disparity, truth, mask).dataSync()[0]!, (1 + 2) / 2);
  });

  test('masked pixels get no gradient, and an empty mask gives 0', () => {
    const mask = tf.tensor4d([1, 0], [1, 1, 2, 1]);
    const target = tf.zeros([1, 1, 2, 1]);
    const grad = tf.grad((p: Tensor) => depthLoss(p, target, mask))(tf.tensor4d([3, 8], [1, 1, 2, 1]));
    assert.deepEqual(Array.from(grad.dataSync()), [1, 0]);
    const empty = tf.zeros([1, 1, 2, 1]);
    assert.equal(depthLoss(tf.ones([1, 1, 2, 1]), target, empty).dataSync()[0], 0);
    assert.equal(
      (instanceLoss(tf.ones([1, 1, 2, 2]), tf.zeros([1, 1, 2, 2]), empty) as Scalar).dataSync()[0],
      0,
    );
  });
});
