/**
 * Centroid votes: every thing pixel votes for the centroid of its instance, `vote = (x, y) + offset`,
 * grouped by semantic class so that instances of different classes are never merged.
 */

/** The votes of the pixels of one thing class. */
export interface ClassVotes {
  /** Train id of the class. */
  trainId: number;
  /** Pixel index (y * width + x) of each vote. */
  pixels: Int32Array;
  /** Vote x coordinates (columns), clipped to the image. */
  x: Float64Array;
  /** Vote y coordinates (rows), clipped to the image. */
  y: Float64Array;
}

/**
 * Computes `pixel + offset` for every thing pixel with a finite offset, grouped by class (ascending train
 * id). Votes are clipped to the image rectangle: a true centroid always lies inside it (it is a mean of
 * pixel coordinates), so clipping only moves votes that are wrong anyway.
 */
export function collectVotes(
  offsets: Float32Array,
  semantic: Uint8Array,
  width: number,
  height: number,
  isThing: Uint8Array,
): ClassVotes[] {
  const counts = new Int32Array(256);
  for (let p = 0; p < semantic.length; p++) {
    const c = semantic[p]!;
    if (isThing[c] === 1 && Number.isFinite(offsets[2 * p]!) && Number.isFinite(offsets[2 * p + 1]!)) {
      counts[c]!++;
    }
  }
  const byClass: ClassVotes[] = [];
  const slot = new Int32Array(256).fill(-1);
  for (let c = 0; c < 256; c++) {
    const n = counts[c]!;
    if (n === 0) continue;
    slot[c] = byClass.length;
    byClass.push({ trainId: c, pixels: new Int32Array(n), x: new Float64Array(n), y: new Float64Array(n) });
  }
  const fill = new Int32Array(byClass.length);
  for (let p = 0; p < semantic.length; p++) {
    const s = slot[semantic[p]!]!;
    if (s < 0) continue;
    const dx = offsets[2 * p]!;
    const dy = offsets[2 * p + 1]!;
    if (!Number.isFinite(dx) || !Number.isFinite(dy)) continue;
    const votes = byClass[s]!;
    const k = fill[s]!++;
    votes.pixels[k] = p;
    votes.x[k] = clamp((p % width) + dx, 0, width - 1);
    votes.y[k] = clamp(Math.floor(p / width) + dy, 0, height - 1);
  }
  return byClass;
}

/** `value` limited to `[low, high]`. */
function clamp(value: number, low: number, high: number): number {
  return value < low ? low : value > high ? high : value;
}
