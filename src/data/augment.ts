/**
 * Augmentations of {@link SampleTargets}. Each is a pure function that returns new arrays.
 *
 * @packageDocumentation
 */
import type { SampleTargets } from './targets.js';

/**
 * Mirrors a sample left-right: every map is reversed along x, and the x component of each instance offset is
 * negated (a centroid at `cx` moves to `W - 1 - cx`, the pixel at `x` to `W - 1 - x`, so `dx = cx - x` becomes
 * `-dx`). Flipping twice gives the original back exactly.
 *
 * @param t - Targets at training resolution.
 * @returns New, mirrored targets.
 */
export function flipTargets(t: SampleTargets): SampleTargets {
  const { width, height } = t;
  const image = new Uint8Array(t.image.length);
  const trainIds = new Uint8Array(t.trainIds.length);
  const offsets = new Float32Array(t.offsets.length);
  const offsetMask = new Uint8Array(t.offsetMask.length);
  const disparity = new Float32Array(t.disparity.length);
  const disparityMask = new Uint8Array(t.disparityMask.length);
  for (let y = 0; y < height; y++) {
    const row = y * width;
    for (let x = 0; x < width; x++) {
      const s = row + x;
      const d = row + width - 1 - x;
      image[3 * d] = t.image[3 * s]!;
      image[3 * d + 1] = t.image[3 * s + 1]!;
      image[3 * d + 2] = t.image[3 * s + 2]!;
      trainIds[d] = t.trainIds[s]!;
      // `0 - dx`, not `-dx`: keeps +0 (never -0) where dx is 0, so flipped arrays compare byte-equal.
      offsets[2 * d] = 0 - t.offsets[2 * s]!;
      offsets[2 * d + 1] = t.offsets[2 * s + 1]!;
      offsetMask[d] = t.offsetMask[s]!;
      disparity[d] = t.disparity[s]!;
      disparityMask[d] = t.disparityMask[s]!;
    }
  }
  return { width, height, image, trainIds, offsets, offsetMask, disparity, disparityMask };
}
