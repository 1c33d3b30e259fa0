import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ValidationError } from '../../src/errors.js';
import { SegmentationMetrics } from '../../src/model/metrics/index.js';

/**
 * 3 classes + an ignored pixel. Confusion (rows target, columns predicted):
 *   t0: p0 1, p1 1      t1: p1 2      t2: p0 1      (the 255 pixel is not counted)
 * IoU0 = 1 / (2 + 2 - 1) = 1/3, IoU1 = 2 / (2 + 3 - 2) = 2/3, IoU2 = 0 / (1 + 0 - 0) = 0;
 * mIoU = (1/3 + 2/3 + 0) / 3 = 1/3; pixel accuracy = 3/5.
 */
const TARGET = Uint8Array.from([0, 0, 1, 1, 2, 255]);
const PREDICTED = Uint8Array.from([0, 1, 1, 1, 0, 2]);

test('confusion matrix, IoU per class, mIoU and pixel accuracy on a hand-made map', () => {
  const metrics = new SegmentationMetrics(3);
  metrics.update(PREDICTED, TARGET);
  assert.deepEqual(metrics.confusionMatrix(), [
    [1, 1, 0, 0],
    [0, 2, 0, 0],
    [1, 0, 0, 0],
  ]);
  const r = metrics.result();
  assert.equal(r.pixels, 5);
  assert.ok(Math.abs(r.perClassIoU[0]! - 1 / 3) < 1e-15);
  assert.ok(Math.abs(r.perClassIoU[1]! - 2 / 3) < 1e-15);
  assert.equal(r.perClassIoU[2], 0);
  assert.ok(Math.abs(r.meanIoU! - 1 / 3) < 1e-15);
  assert.equal(r.pixelAccuracy, 3 / 5);
});

test('the ignore label changes nothing, whatever is predicted there', () => {
  const a = new SegmentationMetrics(3);
  a.update(PREDICTED, TARGET);
  const b = new SegmentationMetrics(3);
  b.update(Uint8Array.from([0, 1, 1, 1, 0, 0]), TARGET);
  b.update(Uint8Array.from([2, 1, 0]), Uint8Array.from([255, 255, 255]));
  assert.deepEqual(b.result(), a.result());
});

test('a class absent from target and prediction has IoU null and does not count in the mean', () => {
  const metrics = new SegmentationMetrics(5);
  metrics.update(PREDICTED, TARGET);
  const r = metrics.result();
  assert.deepEqual(r.perClassIoU.slice(3), [null, null]);
  assert.ok(Math.abs(r.meanIoU! - 1 / 3) < 1e-15);
  // Predicted but never in the target: IoU 0, and it lowers the mean.
  metrics.update(Uint8Array.from([3]), Uint8Array.from([0]));
  const after = metrics.result();
  assert.equal(after.perClassIoU[3], 0);
  assert.equal(after.perClassIoU[4], null);
  // IoU0 = 1 / (3 + 2 - 1) = 1/4; IoU1 = 2/3; IoU2 = 0; IoU3 = 0.
  assert.ok(Math.abs(after.meanIoU! - (1 / 4 + 2 / 3) / 4) < 1e-15);
});

test('official mIoU and mIoU over the classes present in the ground truth differ when an absent class is predicted', () => {
  const metrics = new SegmentationMetrics(5);
  // Targets 0 and 1 only. Predictions: class 0 right twice, class 1 right once, and class 3 (absent from the
  // ground truth) once on a class-1 pixel. IoU0 = 2/2 = 1, IoU1 = 1 / (2 + 1 - 1) = 1/2, IoU3 = 0 / 1 = 0.
  metrics.update(Uint8Array.from([0, 0, 1, 3]), Uint8Array.from([0, 0, 1, 1]));
  const r = metrics.result();
  assert.deepEqual(r.presentClasses, [0, 1]);
  assert.deepEqual(r.perClassIoU, [1, 1 / 2, null, 0, null]);
  // Official (cityscapesScripts): every class with a defined IoU, the absent-but-predicted one as 0.
  assert.ok(Math.abs(r.meanIoU! - (1 + 1 / 2 + 0) / 3) < 1e-15);
  // Present classes only.
  assert.ok(Math.abs(r.meanIoUPresent! - (1 + 1 / 2) / 2) < 1e-15);
  // Without the stray prediction the two agree.
  const clean = new SegmentationMetrics(5);
  clean.update(Uint8Array.from([0, 0, 1, 0]), Uint8Array.from([0, 0, 1, 1]));
  assert.equal(clean.result().meanIoU, clean.result().meanIoUPresent);
});

test("a prediction that is not a class id is a miss of the target class and nobody's false positive", () => {
  const metrics = new SegmentationMetrics(2);
  metrics.update(Int32Array.from([255, -1, 1]), Uint8Array.from([0, 0, 1]));
  assert.deepEqual(metrics.confusionMatrix(), [
    [0, 0, 2],
    [0, 1, 0],
  ]);
  assert.deepEqual(metrics.result().perClassIoU, [0, 1]);
});

test('batch-by-batch updates and merged accumulators equal one update over everything', () => {
  const whole = new SegmentationMetrics(3);
  whole.update(
    Uint8Array.from([...PREDICTED, ...PREDICTED.slice(0, 4)]),
    Uint8Array.from([...TARGET, 2, 2, 0, 255]),
  );
  const batches = new SegmentationMetrics(3);
  batches.update(PREDICTED, TARGET);
  batches.update(PREDICTED.slice(0, 4), Uint8Array.from([2, 2, 0, 255]));
  assert.deepEqual(batches.result(), whole.result());
  const a = new SegmentationMetrics(3);
  const b = new SegmentationMetrics(3);
  a.update(PREDICTED, TARGET);
  b.update(PREDICTED.slice(0, 4), Uint8Array.from([2, 2, 0, 255]));
  a.merge(b);
  assert.deepEqual(a.result(), whole.result());
  a.reset();
  assert.deepEqual(a.result(), {
    meanIoU: null,
    meanIoUPresent: null,
    presentClasses: [],
    perClassIoU: [null, null, null],
    pixelAccuracy: null,
    pixels: 0,
  });
});

test('rejects bad input, naming the field, and stays unchanged', () => {
  const metrics = new SegmentationMetrics(3);
  const cases: [() => unknown, RegExp][] = [
    [() => new SegmentationMetrics(0), /^numClasses must be an integer from 1 to 255/],
    [() => metrics.update(new Uint8Array(2), new Uint8Array(3)), /^predicted must have 3 values/],
    [
      () => metrics.update(Uint8Array.from([0, 0]), Uint8Array.from([0, 7])),
      /^target\[1\] must be a train id below 3 or 255, got 7/,
    ],
    [() => metrics.merge(new SegmentationMetrics(4)), /^other\.numClasses must equal 3/],
  ];
  for (const [run, message] of cases) {
    assert.throws(run, (err: unknown) => err instanceof ValidationError && message.test(err.message));
  }
  assert.equal(metrics.result().pixels, 0);
});
