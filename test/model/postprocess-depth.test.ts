import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ValidationError } from '../../src/errors.js';
import { disparityScale, disparityToDepth } from '../../src/model/postprocess/index.js';

/** A CityScapes-like camera (values of the order of aachen_000000_000019's camera file). */
const CAMERA = { fx: 2262.52, baseline: 0.209313 };

test('disparityToDepth is fx * baseline / d, and 0 where the disparity is unknown', () => {
  const depth = disparityToDepth(Float32Array.from([10, 47.3571, 0, -2, NaN, Infinity]), CAMERA);
  assert.ok(Math.abs(depth[0]! - (2262.52 * 0.209313) / 10) < 1e-4);
  assert.ok(Math.abs(depth[1]! - 10) < 1e-4, `${depth[1]}`);
  assert.deepEqual(Array.from(depth.subarray(2)), [0, 0, 0, 0]);
});

test('disparities predicted on a resized image are scaled by the width ratio first', () => {
  assert.equal(disparityScale(256, 2048), 8);
  // 1.25 px at 256 wide is 10 px at 2048 wide, the width fx belongs to.
  const atFullWidth = disparityToDepth(Float32Array.from([10]), CAMERA);
  const resized = disparityToDepth(Float32Array.from([1.25]), CAMERA, disparityScale(256, 2048));
  assert.equal(resized[0], atFullWidth[0]);
});

test('disparityToDepth rejects a camera without a positive fx or baseline, naming the field', () => {
  const d = new Float32Array(1);
  assert.throws(
    () => disparityToDepth(d, { fx: 0, baseline: 0.2 }),
    (e: unknown) => e instanceof ValidationError && /^camera\.fx/.test(e.message),
  );
  assert.throws(() => disparityToDepth(d, { fx: 1, baseline: NaN }), /^ValidationError: camera\.baseline/);
  assert.throws(() => disparityToDepth(d, CAMERA, -1), /scale must be a finite number > 0/);
  assert.throws(() => disparityScale(0, 10), /fromWidth/);
});
