/**
 * Per-pixel argmax of segmentation logits.
 */
import { assertImageSize, assertInteger, assertLength } from './validate.js';

/**
 * Largest number of classes {@link argmax} accepts. Why 255: labels are stored in a Uint8Array whose value
 * 255 is reserved for "ignore", so class ids run 0..254.
 */
export const MAX_CLASSES = 255;

/**
 * Turns channels-last logits (or probabilities) into a label map.
 *
 * Ties go to the lowest class index. NaN never wins: it is skipped like a missing value, and a pixel whose
 * logits are all NaN gets class 0.
 *
 * @param logits - `height * width * classes` values, channels last (`logits[(y * width + x) * classes + c]`).
 * @param height - Rows.
 * @param width - Columns.
 * @param classes - Channels per pixel, 1..255.
 * @returns A row-major label map of `height * width` class ids.
 * @throws ValidationError when a size is not a positive integer or `logits` has the wrong length.
 */
export function argmax(logits: Float32Array, height: number, width: number, classes: number): Uint8Array {
  const pixels = assertImageSize(height, width);
  assertInteger('classes', classes, 1, MAX_CLASSES);
  assertLength('logits', logits, pixels * classes, 'height * width * classes');
  const labels = new Uint8Array(pixels);
  for (let p = 0, base = 0; p < pixels; p++, base += classes) {
    let best = 0;
    let bestValue = logits[base]!;
    for (let c = 1; c < classes; c++) {
      const value = logits[base + c]!;
      // `x !== x` is a fast NaN test: a NaN leader is replaced by the first real value.
      if (value > bestValue || (bestValue !== bestValue && value === value)) {
        best = c;
        bestValue = value;
      }
    }
    labels[p] = best;
  }
  return labels;
}
