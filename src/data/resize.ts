/**
 * Resampling of {@link RasterImage}s in plain TypeScript: synchronous, deterministic to the bit on every
 * machine, and independent of sharp's colour-space handling (which would otherwise touch label and 16-bit
 * maps).
 *
 * Pixel centres are at half-integer coordinates (`x + 0.5`), as in OpenCV, PIL and tfjs with
 * `halfPixelCenters`: output pixel `x` of a resize from `W` to `w` looks at source position
 * `(x + 0.5) * W / w - 0.5`.
 *
 * @packageDocumentation
 */
import { assertRasterImage, assertTargetSize, type RasterImage } from './raster-image.js';
import { RasterShapeError } from './errors.js';

/**
 * Scale of CityScapes' disparity encoding: `d = (p - 1) / 256`. Why 256: the official encoding stores
 * disparity in 1/256 pixel steps in a 16-bit PNG (max ~256 px), with `p = 0` reserved for invalid pixels.
 */
export const DISPARITY_ENCODING_SCALE = 256;

/** Largest 16-bit sample. Why: encoded disparities are clamped to it rather than wrapping around. */
const MAX_UINT16 = 65535;

/** Allocates a pixel buffer of the same element type as `like`. */
function allocLike(like: RasterImage, length: number): Uint8Array | Uint16Array {
  return like.bitDepth === 16 ? new Uint16Array(length) : new Uint8Array(length);
}

/** Source index of each output column/row for nearest-neighbour sampling with half-pixel centres. */
function nearestIndices(srcSize: number, dstSize: number): Int32Array {
  const out = new Int32Array(dstSize);
  const scale = srcSize / dstSize;
  for (let i = 0; i < dstSize; i++) out[i] = Math.min(srcSize - 1, Math.floor((i + 0.5) * scale));
  return out;
}

/**
 * Resizes with nearest-neighbour sampling: every output sample is a copy of one input sample, so label ids,
 * instance ids and other categorical maps keep only values that exist in the input.
 *
 * @param image - Any raster (any channels, 8 or 16-bit).
 * @param width - Output width in pixels.
 * @param height - Output height in pixels.
 * @returns A new raster of the same channels and bit depth (a copy even when the size is unchanged).
 * @throws {@link RasterShapeError} for an inconsistent input or a non-positive size.
 */
export function resizeNearest(image: RasterImage, width: number, height: number): RasterImage {
  assertRasterImage(image, 'resizeNearest input');
  assertTargetSize(width, height, 'resizeNearest');
  const { channels, data } = image;
  if (width === image.width && height === image.height) {
    return { width, height, channels, bitDepth: image.bitDepth, data: data.slice() };
  }
  const xs = nearestIndices(image.width, width);
  const ys = nearestIndices(image.height, height);
  const out = allocLike(image, width * height * channels);
  let o = 0;
  for (let y = 0; y < height; y++) {
    const row = ys[y]! * image.width;
    for (let x = 0; x < width; x++) {
      const s = (row + xs[x]!) * channels;
      for (let c = 0; c < channels; c++) out[o++] = data[s + c]!;
    }
  }
  return { width, height, channels, bitDepth: image.bitDepth, data: out };
}

/** Filter taps of one output position: first source index and normalised weights. */
interface Taps {
  start: Int32Array;
  count: Int32Array;
  weights: Float32Array;
  /** Stride of `weights` per output position. */
  maxTaps: number;
}

/**
 * Triangle-filter taps for resampling `srcSize` to `dstSize`. Upsampling gives plain bilinear interpolation;
 * downsampling widens the triangle by the scale factor (as PIL's bilinear does), so every source pixel
 * contributes and a 8x reduction does not alias. Taps outside the image are dropped and the rest
 * renormalised, which equals clamping at the border.
 */
function triangleTaps(srcSize: number, dstSize: number): Taps {
  const scale = srcSize / dstSize;
  const support = Math.max(1, scale);
  const maxTaps = Math.ceil(support) * 2 + 1;
  const start = new Int32Array(dstSize);
  const count = new Int32Array(dstSize);
  const weights = new Float32Array(dstSize * maxTaps);
  for (let i = 0; i < dstSize; i++) {
    const centre = (i + 0.5) * scale;
    const lo = Math.max(0, Math.floor(centre - support));
    const hi = Math.min(srcSize, Math.ceil(centre + support));
    let sum = 0;
    let n = 0;
    for (let j = lo; j < hi && n < maxTaps; j++, n++) {
      const w = Math.max(0, 1 - Math.abs((j + 0.5 - centre) / support));
      weights[i * maxTaps + n] = w;
      sum += w;
    }
    for (let k = 0; k < n; k++) weights[i * maxTaps + k]! /= sum;
    start[i] = lo;
    count[i] = n;
  }
  return { start, count, weights, maxTaps };
}

/** One row of the horizontal pass of {@link resizeBilinear}: `width` filtered pixels of any channel count. */
function filterRow(
  data: RasterImage['data'],
  srcRow: number,
  hx: Taps,
  tmp: Float32Array,
  dstRow: number,
  width: number,
  channels: number,
): void {
  for (let x = 0; x < width; x++) {
    const s0 = hx.start[x]!;
    const n = hx.count[x]!;
    const wBase = x * hx.maxTaps;
    for (let c = 0; c < channels; c++) {
      let acc = 0;
      for (let k = 0; k < n; k++) acc += hx.weights[wBase + k]! * data[srcRow + (s0 + k) * channels + c]!;
      tmp[dstRow + x * channels + c] = acc;
    }
  }
}

/**
 * {@link filterRow} for RGB, the common case (every image the predictor gets): the three channels in one
 * walk over the taps, with the same sums in the same order.
 */
function filterRgbRow(
  data: RasterImage['data'],
  srcRow: number,
  hx: Taps,
  tmp: Float32Array,
  dstRow: number,
  width: number,
): void {
  const { start, count, weights, maxTaps } = hx;
  for (let x = 0, o = dstRow; x < width; x++, o += 3) {
    const n = count[x]!;
    const wBase = x * maxTaps;
    let r = 0;
    let g = 0;
    let b = 0;
    for (let k = 0, s = srcRow + start[x]! * 3; k < n; k++, s += 3) {
      const w = weights[wBase + k]!;
      r += w * data[s]!;
      g += w * data[s + 1]!;
      b += w * data[s + 2]!;
    }
    tmp[o] = r;
    tmp[o + 1] = g;
    tmp[o + 2] = b;
  }
}

/**
 * Resizes with a (separable) bilinear filter, antialiased when shrinking: for RGB images. Integer outputs are
 * rounded to the nearest value and clamped to the range of the bit depth. Channels are filtered
 * independently (alpha is not premultiplied).
 *
 * Same size in and out returns an exact copy.
 *
 * @param image - Any raster (any channels, 8 or 16-bit).
 * @param width - Output width in pixels.
 * @param height - Output height in pixels.
 * @returns A new raster of the same channels and bit depth.
 * @throws {@link RasterShapeError} for an inconsistent input or a non-positive size.
 */
export function resizeBilinear(image: RasterImage, width: number, height: number): RasterImage {
  assertRasterImage(image, 'resizeBilinear input');
  assertTargetSize(width, height, 'resizeBilinear');
  const { channels, data } = image;
  if (width === image.width && height === image.height) {
    return { width, height, channels, bitDepth: image.bitDepth, data: data.slice() };
  }
  const srcW = image.width;
  const srcH = image.height;
  const maxValue = image.bitDepth === 16 ? MAX_UINT16 : 255;
  const hx = triangleTaps(srcW, width);
  const hy = triangleTaps(srcH, height);
  // Horizontal pass: srcH rows of `width` pixels, kept in float so the vertical pass does not round twice.
  const tmp = new Float32Array(width * srcH * channels);
  for (let y = 0; y < srcH; y++) {
    if (channels === 3) filterRgbRow(data, y * srcW * 3, hx, tmp, y * width * 3, width);
    else filterRow(data, y * srcW * channels, hx, tmp, y * width * channels, width, channels);
  }
  const out = allocLike(image, width * height * channels);
  const rowLen = width * channels;
  // Vertical pass, a source row at a time: each output value sums the same products in the same order
  // (taps ascending, in double precision) as a per-value loop would, with contiguous reads.
  const acc = new Float64Array(rowLen);
  for (let y = 0; y < height; y++) {
    const s0 = hy.start[y]!;
    const n = hy.count[y]!;
    const wBase = y * hy.maxTaps;
    acc.fill(0);
    for (let k = 0; k < n; k++) {
      const w = hy.weights[wBase + k]!;
      const src = (s0 + k) * rowLen;
      for (let i = 0; i < rowLen; i++) acc[i]! += w * tmp[src + i]!;
    }
    const dstRow = y * rowLen;
    for (let i = 0; i < rowLen; i++) {
      const v = Math.round(acc[i]!);
      out[dstRow + i] = v < 0 ? 0 : v > maxValue ? maxValue : v;
    }
  }
  return { width, height, channels, bitDepth: image.bitDepth, data: out };
}

/**
 * Resizes a CityScapes-encoded 16-bit disparity map (`d = (p - 1) / 256` pixels, `p = 0` invalid) and
 * rescales its values to the new width: a disparity is a horizontal distance in pixels, so it shrinks with
 * the image (`d' = d * width / image.width`). Sampling is nearest-neighbour, so invalid pixels stay exactly
 * 0, valid ones stay valid, and no disparity is invented by averaging across a depth edge. Encoded values are
 * rounded to the nearest 1/256 px (never below `p = 1`, so a valid pixel stays valid) and clamped to 65535.
 *
 * @param image - A 1-channel, 16-bit disparity map.
 * @param width - Output width in pixels (sets the value scale).
 * @param height - Output height in pixels.
 * @returns A new 1-channel, 16-bit disparity map in the same encoding.
 * @throws {@link RasterShapeError} when `image` is not 1-channel 16-bit or a size is not positive.
 */
export function resizeDisparity(image: RasterImage, width: number, height: number): RasterImage {
  assertRasterImage(image, 'resizeDisparity input');
  if (image.channels !== 1 || image.bitDepth !== 16) {
    throw new RasterShapeError(
      `resizeDisparity input must be 1-channel 16-bit, got ${image.channels} channel(s) at ${image.bitDepth}-bit`,
    );
  }
  const sampled = resizeNearest(image, width, height);
  const scale = width / image.width;
  if (scale === 1) return sampled;
  const d = sampled.data;
  for (let i = 0; i < d.length; i++) {
    const p = d[i]!;
    if (p === 0) continue;
    const encoded = Math.round((p - 1) * scale) + 1;
    d[i] = encoded > MAX_UINT16 ? MAX_UINT16 : encoded;
  }
  return sampled;
}
