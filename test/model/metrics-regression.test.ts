import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ValidationError } from '../../src/errors.js';
import { DisparityErrorMetric, OffsetErrorMetric } from '../../src/model/metrics/index.js';

describe('OffsetErrorMetric', () => {
  test('mean Euclidean and mean L1 error over instance pixels, by hand', () => {
    // Pixel 0: error (3, 4) -> L2 5, L1 7. Pixel 1: masked out. Pixel 2: error (0, -1) -> L2 1, L1 1.
    const predicted = Float32Array.from([3, 4, 100, 100, 2, 1]);
    const target = Float32Array.from([0, 0, 0, 0, 2, 2]);
    const metric = new OffsetErrorMetric();
    metric.update(predicted, target, Uint8Array.from([1, 0, 1]));
    assert.deepEqual(metric.result(), { meanError: 3, meanL1: 4, pixels: 2 });
  });

  test('adds up over batches exactly, merges, resets; null when nothing was counted', () => {
    const metric = new OffsetErrorMetric();
    assert.deepEqual(metric.result(), { meanError: null, meanL1: null, pixels: 0 });
    metric.update(Float32Array.from([3, 4]), new Float32Array(2), Uint8Array.from([1]));
    metric.update(Float32Array.from([0, 1, 9, 9]), new Float32Array(4), Uint8Array.from([1, 0]));
    const whole = new OffsetErrorMetric();
    whole.update(Float32Array.from([3, 4, 0, 1, 9, 9]), new Float32Array(6), Uint8Array.from([1, 1, 0]));
    assert.deepEqual(metric.result(), whole.result());
    assert.deepEqual(metric.result(), { meanError: 3, meanL1: 4, pixels: 2 });
    const other = new OffsetErrorMetric();
    other.update(Float32Array.from([6, 8]), new Float32Array(2), Uint8Array.from([1]));
    metric.merge(other);
    assert.deepEqual(metric.result(), { meanError: 16 / 3, meanL1: 22 / 3, pixels: 3 });
    metric.reset();
    assert.equal(metric.result().pixels, 0);
  });

  test('rejects arrays that do not hold two values per mask pixel', () => {
    const metric = new OffsetErrorMetric();
    assert.throws(
      () => metric.update(new Float32Array(4), new Float32Array(3), new Uint8Array(2)),
      (e: unknown) => e instanceof ValidationError && /^target must have 4 values/.test(e.message),
    );
  });
});

describe('DisparityErrorMetric', () => {
  test('mean absolute error over valid pixels, by hand', () => {
    const metric = new DisparityErrorMetric();
    // Errors on valid pixels: 1, -3 -> MAE 2, RMSE sqrt(5).
    metric.update(Float32Array.from([2, 9, 7]), Float32Array.from([1, 0, 10]), Uint8Array.from([1, 0, 1]));
    assert.deepEqual(metric.result(), {
      meanAbsoluteError: 2,
      rootMeanSquaredError: Math.sqrt(5),
      pixels: 2,
    });
  });

  test('without a mask, pixels whose target is 0 or not finite are invalid', () => {
    const metric = new DisparityErrorMetric();
    metric.update(Float32Array.from([2, 9, 7, 4]), Float32Array.from([1, 0, 10, NaN]));
    assert.equal(metric.result().meanAbsoluteError, 2);
    assert.equal(metric.result().pixels, 2);
  });

  test('adds up over batches exactly, merges and names a bad mask', () => {
    const whole = new DisparityErrorMetric();
    whole.update(Float32Array.from([0.5, 1.25, 3]), Float32Array.from([0.25, 1, 1]));
    const batches = new DisparityErrorMetric();
    batches.update(Float32Array.from([0.5]), Float32Array.from([0.25]));
    batches.update(Float32Array.from([1.25, 3]), Float32Array.from([1, 1]));
    assert.deepEqual(batches.result(), whole.result());
    const merged = new DisparityErrorMetric();
    merged.merge(batches);
    assert.deepEqual(merged.result(), whole.result());
    assert.throws(
      () => merged.update(new Float32Array(2), new Float32Array(2), new Uint8Array(1)),
      (e: unknown) => e instanceof ValidationError && /^valid must have 2 values/.test(e.message),
    );
  });
});
