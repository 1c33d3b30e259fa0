/**
 * Segmentation labels at an image's size from logits at the network's size, row by row: either the
 * argmax of bilinearly enlarged logits (smooth class boundaries) or the network-size argmax enlarged by
 * nearest sampling (one byte a pixel of work, for images too large for the first).
 */
import { argmax, MAX_CLASSES } from './argmax.js';
import { halfPixelTaps } from './bilinear-rows.js';

const f32 = Math.fround;
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
 * A class wins an enlarged pixel without interpolating its logits when it leads by more than this share of
 * the largest logit magnitude at all four source pixels. Why 1e-4: a bilinear blend in single precision is
 * off by a few units in the last place (~1e-7 relative), so a lead 1000x larger cannot be overturned by
 * rounding; below it the pixel is interpolated exactly, so the labels are those of the full interpolation.
 */
const SAFE_LEAD = 1e-4;

/** Argmax at the network's size with each pixel's lead over the runner-up (see {@link upsampledArgmax}). */
export interface SmallArgmax {
  labels: Uint8Array;
  /** Best minus second-best logit (Infinity with one class; -1 when a NaN is involved: never trusted). */
  lead: Float32Array;
  /** Largest |logit| in the map (1 at least). */
  scale: number;
}

/**
 * The argmax at the logits' own size, each pixel's lead over its runner-up, and the map's magnitude: what
 * {@link upsampledArgmax} needs to skip the interpolation inside regions of one class.
 *
 * @throws ValidationError when a size is invalid or `logits` has the wrong length.
 */
export function smallArgmax(map: LogitMap): SmallArgmax {
  const { logits, height, width, classes } = map;
  const pixels = assertImageSize(height, width);
  assertInteger('classes', classes, 1, MAX_CLASSES);
  assertLength('logits', logits, pixels * classes, 'height * width * classes');
  const labels = new Uint8Array(pixels);
  const lead = new Float32Array(pixels);
  let scale = 1;
  // One walk over each pixel's logits: the winner by argmax's rule (the first maximum, NaN never wins),
  // the best of the others (a dethroned leader becomes a candidate), the magnitude, and whether all are real.
  for (let p = 0, base = 0; p < pixels; p++, base += classes) {
    let best = 0;
    let bestValue = logits[base]!;
    let second = -Infinity;
    let finite = bestValue === bestValue;
    if (Math.abs(bestValue) > scale) scale = Math.abs(bestValue);
    for (let c = 1; c < classes; c++) {
      const value = logits[base + c]!;
      if (value !== value) {
        finite = false;
        continue;
      }
      const magnitude = value < 0 ? -value : value;
      if (magnitude > scale) scale = magnitude;
      if (value > bestValue || bestValue !== bestValue) {
        if (bestValue > second) second = bestValue;
        best = c;
        bestValue = value;
      } else if (value > second) {
        second = value;
      }
    }
    labels[p] = best;
    lead[p] = finite ? bestValue - second : -1;
  }
  return { labels, lead, scale: Number.isFinite(scale) ? scale : Infinity };
}

/**
 * Per-pixel argmax of the logits enlarged bilinearly to `height x width` (ties go to the lowest class, as
 * in {@link argmax}): the labels of interpolating every class at every pixel, computed without doing so
 * where they are certain. The argmax runs once at the network's size; an output pixel whose four source
 * pixels share a class that leads there by a safe margin ({@link SAFE_LEAD}) takes it directly, any other
 * is interpolated class by class with the same single-precision arithmetic as {@link BilinearRows} (so the
 * same values, the same winner). Memory: the output and the network-size argmax.
 *
 * @param small - {@link smallArgmax} of `map`, when the caller already has it.
 * @throws ValidationError when a size is invalid or `logits` has the wrong length.
 */
export function upsampledArgmax(
  map: LogitMap,
  height: number,
  width: number,
  small: SmallArgmax = smallArgmax(map),
): Uint8Array {
  const { logits, classes } = map;
  assertLength('logits', logits, map.height * map.width * classes, 'height * width * classes');
  const labels = new Uint8Array(assertImageSize(height, width));
  const xs = halfPixelTaps(map.width, width);
  const ys = halfPixelTaps(map.height, height);
  const threshold = SAFE_LEAD * small.scale;
  const srcW = map.width;
  for (let y = 0, o = 0; y < height; y++) {
    const top = ys.lo[y]! * srcW;
    const bottom = ys.hi[y]! * srcW;
    const fy = ys.frac[y]!;
    for (let x = 0; x < width; x++, o++) {
      const p00 = top + xs.lo[x]!;
      const p01 = top + xs.hi[x]!;
      const p10 = bottom + xs.lo[x]!;
      const p11 = bottom + xs.hi[x]!;
      const c = small.labels[p00]!;
      if (
        small.labels[p01] === c &&
        small.labels[p10] === c &&
        small.labels[p11] === c &&
        small.lead[p00]! > threshold &&
        small.lead[p01]! > threshold &&
        small.lead[p10]! > threshold &&
        small.lead[p11]! > threshold
      ) {
        labels[o] = c;
        continue;
      }
      const fx = xs.frac[x]!;
      // Each value rounded to single precision where BilinearRows stores it (its row buffers are float32).
      let best = 0;
      let bestValue = NaN;
      for (let k = 0; k < classes; k++) {
        const tl = logits[p00 * classes + k]!;
        const bl = logits[p10 * classes + k]!;
        const t = f32(tl + f32(f32(logits[p01 * classes + k]! - tl) * fx));
        const b = f32(bl + f32(f32(logits[p11 * classes + k]! - bl) * fx));
        const value = f32(t + f32(f32(b - t) * fy));
        // argmax's rule: the first maximum wins, NaN never does (all NaN: class 0).
        if (value > bestValue || (bestValue !== bestValue && value === value)) {
          best = k;
          bestValue = value;
        }
      }
      labels[o] = best;
    }
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
