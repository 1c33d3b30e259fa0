import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ValidationError } from '../../src/errors.js';
import { argmax } from '../../src/model/postprocess/index.js';

test('argmax picks the largest channel per pixel, channels last', () => {
  // 2 x 2 pixels, 3 classes.
  const logits = Float32Array.from(
    [
      [0.1, 2, -1], // (0, 0) -> 1
      [5, 4, 3], // (1, 0) -> 0
      [-3, -2, -1], // (0, 1) -> 2
      [1, 7, 7], // (1, 1) tie -> 1 (lowest index)
    ].flat(),
  );
  assert.deepEqual(argmax(logits, 2, 2, 3), Uint8Array.from([1, 0, 2, 1]));
});

test('argmax skips NaN and gives 0 to an all-NaN pixel', () => {
  const logits = Float32Array.from([NaN, -5, -6, NaN, NaN, NaN, 1, NaN, 2]);
  assert.deepEqual(argmax(logits, 1, 3, 3), Uint8Array.from([1, 0, 2]));
});

test('argmax rejects bad sizes, naming the field', () => {
  const cases: [() => unknown, RegExp][] = [
    [() => argmax(new Float32Array(12), 2, 2, 2), /^logits must have 8 values/],
    [() => argmax(new Float32Array(0), 0, 2, 2), /^height /],
    [() => argmax(new Float32Array(256), 1, 1, 256), /^classes must be an integer from 1 to 255/],
  ];
  for (const [run, message] of cases) {
    assert.throws(run, (err: unknown) => err instanceof ValidationError && message.test(err.message));
  }
});
