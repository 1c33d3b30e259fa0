/**
 * Blending a coloured view over the input image.
 */
import { assertInRange, assertLength, invalid } from './validate.js';

/**
 * Blends `colours` over `rgb`: `out = round((1 - alpha) * rgb + alpha * colours)` per channel, only where
 * `mask` is 1 when a mask is given (elsewhere the image shows through unchanged).
 *
 * @param rgb - The image, interleaved RGB.
 * @param colours - The view (e.g. from `colourizeLabels`), interleaved RGB, same length.
 * @param alpha - Opacity of the view, 0 (image only) to 1 (view only).
 * @param mask - Optional, one value per pixel: 1 = blend, 0 = keep the image (e.g. only instance pixels).
 * @returns A new interleaved RGB array.
 * @throws ValidationError on mismatched lengths or `alpha` outside [0, 1].
 */
export function overlay(rgb: Uint8Array, colours: Uint8Array, alpha: number, mask?: Uint8Array): Uint8Array {
  if (rgb.length % 3 !== 0) invalid('rgb', `must hold 3 values per pixel, got ${rgb.length} values`);
  assertLength('colours', colours, rgb.length, 'same as rgb');
  assertInRange('alpha', alpha, 0, 1);
  if (mask !== undefined) assertLength('mask', mask, rgb.length / 3, 'one per pixel');
  const out = new Uint8Array(rgb.length);
  for (let i = 0; i < rgb.length; i++) {
    const blend = mask === undefined || mask[(i - (i % 3)) / 3] !== 0;
    out[i] = blend ? Math.round((1 - alpha) * rgb[i]! + alpha * colours[i]!) : rgb[i]!;
  }
  return out;
}
