import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ValidationError } from '../../src/errors.js';
import {
  CITYSCAPES_PALETTE,
  TURBO_TABLE,
  colourizeDisparity,
  colourizeInstances,
  colourizeLabels,
  instanceColour,
  overlay,
  turboColour,
} from '../../src/model/postprocess/index.js';

/** The RGB triple of pixel `p` of an interleaved picture. */
function pixel(rgb: Uint8Array, p: number): number[] {
  return Array.from(rgb.subarray(3 * p, 3 * p + 3));
}

describe('colourizeLabels', () => {
  test('paints train ids with the CityScapes palette and ignore/unknown labels black', () => {
    const rgb = colourizeLabels(Uint8Array.from([0, 13, 255, 18, 19]));
    assert.equal(rgb.length, 15);
    assert.deepEqual(pixel(rgb, 0), [128, 64, 128]);
    assert.deepEqual(pixel(rgb, 1), [0, 0, 142]);
    assert.deepEqual(pixel(rgb, 2), [0, 0, 0]);
    assert.deepEqual(pixel(rgb, 3), [...CITYSCAPES_PALETTE[18]!]);
    assert.deepEqual(pixel(rgb, 4), [0, 0, 0]);
  });

  test('takes a custom palette and background, and names a bad palette entry', () => {
    const rgb = colourizeLabels(
      Uint8Array.from([1, 0, 2]),
      [
        [1, 2, 3],
        [4, 5, 6],
      ],
      [9, 9, 9],
    );
    assert.deepEqual(Array.from(rgb), [4, 5, 6, 1, 2, 3, 9, 9, 9]);
    assert.throws(
      () =>
        colourizeLabels(new Uint8Array(1), [
          [0, 0, 0],
          [0, 256, 0],
        ]),
      (e: unknown) => e instanceof ValidationError && /^palette\[1\]/.test(e.message),
    );
  });
});

describe('colourizeInstances', () => {
  test('paints id 0 black and every id in its own deterministic colour', () => {
    const rgb = colourizeInstances(Uint16Array.from([0, 1, 2, 1]));
    assert.equal(rgb.length, 12);
    assert.deepEqual(pixel(rgb, 0), [0, 0, 0]);
    assert.deepEqual(pixel(rgb, 1), pixel(rgb, 3));
    assert.deepEqual(pixel(rgb, 1), [...instanceColour(1)]);
    assert.deepEqual(pixel(rgb, 2), [...instanceColour(2)]);
    assert.notDeepEqual(pixel(rgb, 1), pixel(rgb, 2));
  });

  test('gives the first thousand ids pairwise different, non-black colours', () => {
    const seen = new Set<string>();
    for (let id = 1; id <= 1000; id++) {
      const colour = instanceColour(id);
      assert.ok(colour.every((c) => Number.isInteger(c) && c >= 0 && c <= 255));
      assert.ok(Math.max(...colour) >= 150, `id ${id} is too dark: ${colour.join()}`);
      seen.add(colour.join());
    }
    assert.equal(seen.size, 1000);
  });
});

describe('colourizeDisparity', () => {
  test('maps min to the first and max to the last Turbo colour; invalid pixels are black', () => {
    const d = Float32Array.from([1, 3, 2, 0, NaN, 10, -4]);
    const valid = Uint8Array.from([1, 1, 1, 0, 1, 1, 1]);
    const rgb = colourizeDisparity(d, 1, 3, { valid });
    assert.equal(rgb.length, 21);
    assert.deepEqual(pixel(rgb, 0), [48, 18, 59]);
    assert.deepEqual(pixel(rgb, 1), [122, 4, 3]);
    assert.deepEqual(pixel(rgb, 2), [...turboColour(0.5)]);
    assert.deepEqual(pixel(rgb, 3), [0, 0, 0], 'masked');
    assert.deepEqual(pixel(rgb, 4), [0, 0, 0], 'NaN');
    assert.deepEqual(pixel(rgb, 5), [122, 4, 3], 'above max: last colour');
    assert.deepEqual(pixel(rgb, 6), [48, 18, 59], 'below min: first colour');
  });

  test('defaults the range to the valid values and rejects max <= min', () => {
    const rgb = colourizeDisparity(Float32Array.from([5, 7, Infinity]));
    assert.deepEqual(pixel(rgb, 0), [48, 18, 59]);
    assert.deepEqual(pixel(rgb, 1), [122, 4, 3]);
    assert.deepEqual(pixel(rgb, 2), [0, 0, 0]);
    assert.deepEqual(pixel(colourizeDisparity(Float32Array.from([4, 4])), 1), [48, 18, 59], 'constant map');
    assert.throws(
      () => colourizeDisparity(new Float32Array(1), 2, 2),
      (e: unknown) => e instanceof ValidationError && /^max must be greater than min/.test(e.message),
    );
  });

  test('the Turbo table hits the published colours at its knots and moves smoothly between them', () => {
    assert.equal(TURBO_TABLE.length, 768);
    // Entries 0, 64, 128, 192 and 255 of the published table, in 8-bit.
    const knots: [number, number[]][] = [
      [0, [48, 18, 59]],
      [64, [40, 188, 235]],
      [128, [164, 252, 60]],
      [192, [251, 126, 33]],
      [255, [122, 4, 3]],
    ];
    for (const [i, colour] of knots)
      assert.deepEqual(Array.from(TURBO_TABLE.subarray(3 * i, 3 * i + 3)), colour);
    for (let i = 1; i < 256; i++) {
      for (let c = 0; c < 3; c++)
        assert.ok(Math.abs(TURBO_TABLE[3 * i + c]! - TURBO_TABLE[3 * i - 3 + c]!) <= 8);
    }
  });
});

describe('overlay', () => {
  test('blends (1 - alpha) * image + alpha * view, only under the mask when one is given', () => {
    const image = Uint8Array.from([100, 100, 100, 0, 0, 0]);
    const view = Uint8Array.from([200, 0, 50, 255, 255, 255]);
    assert.deepEqual(Array.from(overlay(image, view, 0.25)), [125, 75, 88, 64, 64, 64]);
    assert.deepEqual(
      Array.from(overlay(image, view, 0.25, Uint8Array.from([0, 1]))),
      [100, 100, 100, 64, 64, 64],
    );
    assert.deepEqual(overlay(image, view, 0), image);
    assert.deepEqual(overlay(image, view, 1), view);
  });

  test('rejects mismatched lengths and alpha outside [0, 1], naming the field', () => {
    const rgb = new Uint8Array(6);
    const cases: [() => unknown, RegExp][] = [
      [() => overlay(rgb, new Uint8Array(3), 0.5), /^colours must have 6 values/],
      [() => overlay(rgb, rgb, 1.5), /^alpha must be a number from 0 to 1/],
      [() => overlay(rgb, rgb, 0.5, new Uint8Array(3)), /^mask must have 2 values/],
      [() => overlay(new Uint8Array(4), new Uint8Array(4), 0.5), /^rgb must hold 3 values per pixel/],
    ];
    for (const [run, message] of cases) {
      assert.throws(run, (err: unknown) => err instanceof ValidationError && message.test(err.message));
    }
  });
});
