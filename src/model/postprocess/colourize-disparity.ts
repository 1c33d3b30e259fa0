/**
 * Disparity (inverse depth) map to a colour picture.
 */
import { BACKGROUND_COLOUR, type Rgb } from './colour-palette.js';
import { TURBO_TABLE } from './turbo-colormap.js';
import { assertLength, assertRgb, invalid } from './validate.js';

/** Options of {@link colourizeDisparity}. */
export interface ColourizeDisparityOptions {
  /** 1 where the disparity is known; pixels with 0 are painted `invalidColour`. Default: every pixel. */
  valid?: Uint8Array;
  /** Colour of invalid and non-finite pixels; default black. */
  invalidColour?: Rgb;
}

/**
 * Paints disparities with the Turbo colormap: `min` (far) is dark blue, `max` (near) dark red, values
 * outside `[min, max]` get the end colours.
 *
 * @param disparity - Row-major disparities in pixels.
 * @param min - Disparity painted with the first colour; default the smallest valid finite value.
 * @param max - Disparity painted with the last colour; default the largest valid finite value. When the
 *   defaults coincide (a constant map) every valid pixel gets the first colour.
 * @param options - Validity mask and the colour of invalid pixels.
 * @returns Interleaved RGB, `3 * disparity.length` bytes.
 * @throws ValidationError when `min`/`max` are not finite or `max <= min` (given explicitly), or the mask
 *   length or colour is wrong.
 */
export function colourizeDisparity(
  disparity: Float32Array,
  min?: number,
  max?: number,
  options: ColourizeDisparityOptions = {},
): Uint8Array {
  const { valid } = options;
  const invalidColour = options.invalidColour ?? BACKGROUND_COLOUR;
  assertRgb('options.invalidColour', invalidColour);
  if (valid !== undefined) assertLength('options.valid', valid, disparity.length, 'one per disparity');
  if (min !== undefined && !Number.isFinite(min))
    invalid('min', `must be a finite number, got ${String(min)}`);
  if (max !== undefined && !Number.isFinite(max))
    invalid('max', `must be a finite number, got ${String(max)}`);
  if (min !== undefined && max !== undefined && max <= min)
    invalid('max', `must be greater than min (${min}), got ${max}`);
  const isValid = (i: number): boolean =>
    (valid === undefined || valid[i] !== 0) && Number.isFinite(disparity[i]!);

  let low = min ?? Infinity;
  let high = max ?? -Infinity;
  if (min === undefined || max === undefined) {
    for (let i = 0; i < disparity.length; i++) {
      if (!isValid(i)) continue;
      const d = disparity[i]!;
      if (min === undefined && d < low) low = d;
      if (max === undefined && d > high) high = d;
    }
  }
  // A constant map (or one with no valid pixel) has no range: everything valid maps to the first colour.
  const scale = high > low ? 255 / (high - low) : 0;

  const rgb = new Uint8Array(disparity.length * 3);
  for (let i = 0; i < disparity.length; i++) {
    if (!isValid(i)) {
      rgb.set(invalidColour, 3 * i);
      continue;
    }
    const index = Math.round(Math.min(255, Math.max(0, (disparity[i]! - low) * scale))) * 3;
    rgb[3 * i] = TURBO_TABLE[index]!;
    rgb[3 * i + 1] = TURBO_TABLE[index + 1]!;
    rgb[3 * i + 2] = TURBO_TABLE[index + 2]!;
  }
  return rgb;
}
