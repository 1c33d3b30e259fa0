/**
 * Inverse depth (disparity) to metric depth for a calibrated stereo pair.
 *
 * Depth `Z = fx * baseline / d` for a disparity `d` in pixels measured at the resolution `fx` belongs to.
 * When the image was resized (the network runs at 128 x 256, the camera file describes 1024 x 2048),
 * disparities scale with the width ratio, since they are horizontal distances in pixels: pass
 * {@link disparityScale} of the two widths.
 */
import { assertPositive, invalid } from './validate.js';

/** The two calibration values depth needs (CityScapes' camera files hold both). */
export interface StereoCamera {
  /** Horizontal focal length in pixels, at the camera's own image width. */
  fx: number;
  /** Distance between the two cameras in metres. */
  baseline: number;
}

/**
 * Factor that turns a disparity measured on an image `fromWidth` pixels wide into one at `toWidth` pixels
 * wide: `toWidth / fromWidth` (a disparity is a horizontal length in pixels; rows do not matter).
 *
 * @param fromWidth - Width of the image the disparity was predicted on, > 0.
 * @param toWidth - Width the camera's `fx` refers to, > 0.
 * @throws ValidationError when a width is not a positive number.
 */
export function disparityScale(fromWidth: number, toWidth: number): number {
  assertPositive('fromWidth', fromWidth);
  assertPositive('toWidth', toWidth);
  return toWidth / fromWidth;
}

/**
 * Converts disparities in pixels to depths in metres.
 *
 * A disparity that is 0, negative or not finite has no depth (0 means "infinitely far" and CityScapes
 * uses it for "invalid"); its depth is **0**, not Infinity, so that the result stays finite for JSON, PNG
 * encoding and averaging, and 0 reads as "unknown" exactly as in the input.
 *
 * @param disparity - Disparities in pixels.
 * @param camera - Focal length (px) and baseline (m).
 * @param scale - Multiplies each disparity first, to bring it to the resolution of `camera.fx`; see
 *   {@link disparityScale}. Default 1.
 * @param out - Where to write the depths (at least `disparity.length` long; it may be `disparity` itself);
 *   default a new array. Lets a caller convert a map row by row into one buffer.
 * @returns Depths in metres (`out`), 0 where unknown.
 * @throws ValidationError when `camera.fx`, `camera.baseline` or `scale` is not a positive number, or
 *   `out` is too short.
 */
export function disparityToDepth(
  disparity: Float32Array,
  camera: StereoCamera,
  scale = 1,
  out?: Float32Array,
): Float32Array {
  assertPositive('camera.fx', camera.fx);
  assertPositive('camera.baseline', camera.baseline);
  assertPositive('scale', scale);
  if (out !== undefined && out.length < disparity.length) {
    invalid('out', `must hold at least ${disparity.length} values, got ${out.length}`);
  }
  const numerator = camera.fx * camera.baseline;
  const depth = out ?? new Float32Array(disparity.length);
  for (let i = 0; i < disparity.length; i++) {
    const d = disparity[i]! * scale;
    // `d > 0` is false for NaN too; `Infinity` gives 0 m, which the finiteness check turns into "unknown".
    depth[i] = d > 0 && Number.isFinite(d) ? numerator / d : 0;
  }
  return depth;
}
