/**
 * Segmentation labels at an image's size from logits at the network's size, row by row: either the
 * argmax of bilinearly enlarged logits (smooth class boundaries) or the network-size argmax enlarged by
 * nearest sampling (one byte a pixel of work, for images too large for the first).
 */
import { argmax } from './argmax.js';
import { BilinearRows } from './bilinear-rows.js';
import { assertImageSize, assertInteger, assertLength } from './validate.js';

/** Logits at the network's size, channels last. */
export interface LogitMap {
  logits: Float32Array;
  height: number;
  width: number;
  classes: number;
}

/**
 * Source index of each output position for nearest sampling with half-pixel centres, computed as tfjs'
 * `resizeNearestNeighbor(x, size, false, true)` does (single-precision scale and position, floor, clamp), so the
 * enlarged labels are those tfjs would give.
 */
export function nearestTaps(srcSize: number, dstSize: number): Int32Array {
  assertInteger('srcSize', srcSize, 1);
  assertInteger('dstSize', dstSize, 1);
  const scale = Math.fround(srcSize / dstSize);
  const out = new Int32Array(dstSize);
  for (let i = 0; i < dstSize; i++) {
    out[i] = Math.min(srcSize - 1, Math.floor(Math.fround(scale * (i + 0.5))));
  }
  return out;
}

/**
 * Per-pixel argmax of the logits enlarged bilinearly to `height x width` (ties go to the lowest class, as
 * in {@link argmax}). Memory: the output and one row of floats.
 *
 * @throws ValidationError when a size is invalid or `logits` has the wrong length.
 */
export function upsampledArgmax(map: LogitMap, height: number, width: number): Uint8Array {
  const { classes } = map;
  const rows = new BilinearRows(map.logits, map.height, map.width, classes, height, width);
  const labels = new Uint8Array(assertImageSize(height, width));
  const row = new Float32Array(width * classes);
  for (let y = 0; y < height; y++) {
    rows.row(y, row);
    labels.set(argmax(row, 1, width, classes), y * width);
  }
  return labels;
}

/**
 * The argmax at the logits' own size, enlarged to `height x width` by nearest sampling.
 *
 * @throws ValidationError when a size is invalid or `logits` has the wrong length.
 */
export function enlargedArgmax(map: LogitMap, height: number, width: number): Uint8Array {
  assertLength('logits', map.logits, map.height * map.width * map.classes, 'height * width * classes');
  const small = argmax(map.logits, map.height, map.width, map.classes);
  const xs = nearestTaps(map.width, width);
  const ys = nearestTaps(map.height, height);
  const labels = new Uint8Array(assertImageSize(height, width));
  const row = new Uint8Array(width);
  let previous = -1;
  for (let y = 0; y < height; y++) {
    const source = ys[y]!;
    if (source !== previous) {
      const base = source * map.width;
      for (let x = 0; x < width; x++) row[x] = small[base + xs[x]!]!;
      previous = source;
    }
    labels.set(row, y * width);
  }
  return labels;
}
