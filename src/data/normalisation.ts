/**
 * Input normalisation of RGB images for the network: `x = (pixel / 255 - mean[c]) / std[c]` per channel.
 *
 * The same constants go into every model manifest and are used by the predictor, so a model always sees
 * inputs scaled the way it was trained.
 *
 * @packageDocumentation
 */

/** Normalisation parameters, in [0, 1] units of an 8-bit channel. */
export interface ImageNormalisation {
  /** Per-channel mean (R, G, B) subtracted after scaling to [0, 1]. */
  mean: readonly [number, number, number];
  /** Per-channel standard deviation (R, G, B) divided by. */
  std: readonly [number, number, number];
}

/**
 * ImageNet mean and standard deviation. Why: the standard for CityScapes models (DeepLab, Panoptic-DeepLab),
 * and close enough to street-scene statistics to centre inputs near 0 with unit spread, which keeps the
 * first layer's activations in range without a data-dependent pass over the dataset.
 */
export const IMAGE_NORMALISATION: ImageNormalisation = Object.freeze({
  mean: Object.freeze([0.485, 0.456, 0.406]) as unknown as readonly [number, number, number],
  std: Object.freeze([0.229, 0.224, 0.225]) as unknown as readonly [number, number, number],
});

/** Levels of an 8-bit channel. Why: lookup tables are indexed by the byte. */
const LEVELS = 256;

/**
 * A lookup table `lut[c * 256 + v]` = normalised value of byte `v` in channel `c`, so normalising a pixel is a
 * load instead of a subtract and a divide.
 */
export function normalisationTable(n: ImageNormalisation = IMAGE_NORMALISATION): Float32Array {
  const lut = new Float32Array(3 * LEVELS);
  for (let c = 0; c < 3; c++) {
    for (let v = 0; v < LEVELS; v++) lut[c * LEVELS + v] = (v / 255 - n.mean[c]!) / n.std[c]!;
  }
  return lut;
}

/**
 * Normalises interleaved 8-bit RGB into `out` starting at `outOffset`.
 *
 * @param rgb - `pixels * 3` bytes.
 * @param out - Destination (at least `outOffset + rgb.length` floats).
 * @param outOffset - First index written.
 * @param lut - From {@link normalisationTable}.
 */
export function normaliseRgbInto(
  rgb: Uint8Array,
  out: Float32Array,
  outOffset: number,
  lut: Float32Array,
): void {
  for (let i = 0; i < rgb.length; i += 3) {
    out[outOffset + i] = lut[rgb[i]!]!;
    out[outOffset + i + 1] = lut[LEVELS + rgb[i + 1]!]!;
    out[outOffset + i + 2] = lut[2 * LEVELS + rgb[i + 2]!]!;
  }
}
