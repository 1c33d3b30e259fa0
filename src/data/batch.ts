/**
 * Assembly of training batches: samples' targets are copied (and, when asked, mirrored) into one set of
 * host arrays, which become tensors in one step.
 *
 * Tensors of a {@link Batch} belong to whoever receives it: call {@link disposeBatch} (or `tf.dispose` on
 * each tensor) when done, or they leak.
 *
 * @packageDocumentation
 */
import { tf } from '../tf/index.js';
import { normaliseRgbInto } from './normalisation.js';
import type { SampleTargets } from './targets.js';

/** One batch as host arrays, NHWC, ready to become tensors. */
export interface HostBatch {
  /** Samples in the batch (B). */
  size: number;
  width: number;
  height: number;
  /** `[B, H, W, 3]` normalised RGB. */
  image: Float32Array;
  /** `[B, H, W]` train ids (255 = ignore). */
  labels: Int32Array;
  /** `[B, H, W, 2]` (dx, dy) in pixels. */
  offsets: Float32Array;
  /** `[B, H, W, 1]` 1 on thing-instance pixels. */
  offsetMask: Float32Array;
  /** `[B, H, W, 1]` disparity in pixels. */
  disparity: Float32Array;
  /** `[B, H, W, 1]` 1 where the disparity is valid. */
  disparityMask: Float32Array;
}

/** A batch of tensors; its owner must dispose it (see {@link disposeBatch}). */
export interface Batch {
  /** Samples in the batch (B); the last batch of an epoch may be smaller. */
  size: number;
  /** Sample names, in batch order. */
  names: string[];
  /** Whether each sample was mirrored. */
  flipped: boolean[];
  /** float32 `[B, H, W, 3]`, normalised (see `IMAGE_NORMALISATION`). */
  image: tf.Tensor4D;
  /** int32 `[B, H, W]`, train ids, 255 = ignore. */
  labels: tf.Tensor3D;
  /** float32 `[B, H, W, 2]`, (dx, dy) to the instance centroid, training pixels. */
  offsets: tf.Tensor4D;
  /** float32 `[B, H, W, 1]`, 1 on thing-instance pixels, else 0. */
  offsetMask: tf.Tensor4D;
  /** float32 `[B, H, W, 1]`, disparity in training pixels (0 where invalid). */
  disparity: tf.Tensor4D;
  /** float32 `[B, H, W, 1]`, 1 where the disparity is valid, else 0. */
  disparityMask: tf.Tensor4D;
}

/**
 * Copies samples into one {@link HostBatch}, mirroring those whose `flips` entry is true (maps reversed along
 * x and dx negated, exactly as `flipTargets` does).
 *
 * @param samples - Targets, all of one size.
 * @param flips - One flag per sample.
 * @param lut - From `normalisationTable()`.
 */
export function assembleHostBatch(
  samples: readonly SampleTargets[],
  flips: readonly boolean[],
  lut: Float32Array,
): HostBatch {
  const first = samples[0];
  if (first === undefined) throw new RangeError('a batch needs at least one sample');
  const { width, height } = first;
  const p = width * height;
  const b = samples.length;
  const out: HostBatch = {
    size: b,
    width,
    height,
    image: new Float32Array(b * p * 3),
    labels: new Int32Array(b * p),
    offsets: new Float32Array(b * p * 2),
    offsetMask: new Float32Array(b * p),
    disparity: new Float32Array(b * p),
    disparityMask: new Float32Array(b * p),
  };
  samples.forEach((t, k) => {
    if (t.width !== width || t.height !== height) {
      throw new RangeError(`sample ${k} is ${t.width}x${t.height}, the batch ${width}x${height}`);
    }
    const base = k * p;
    if (flips[k] === true) copyFlipped(t, out, base, lut);
    else copyStraight(t, out, base, lut);
  });
  return out;
}

/** Stride of a channel in the normalisation table. Why 256: one entry per byte value. */
const LUT_STRIDE = 256;

function copyStraight(t: SampleTargets, out: HostBatch, base: number, lut: Float32Array): void {
  normaliseRgbInto(t.image, out.image, base * 3, lut);
  // TypedArray.set converts element types natively (uint8 -> int32/float32), far faster than a JS loop.
  out.labels.set(t.trainIds, base);
  out.offsets.set(t.offsets, base * 2);
  out.offsetMask.set(t.offsetMask, base);
  out.disparity.set(t.disparity, base);
  out.disparityMask.set(t.disparityMask, base);
}

function copyFlipped(t: SampleTargets, out: HostBatch, base: number, lut: Float32Array): void {
  const { width, height } = t;
  const { image, labels, offsets, offsetMask, disparity, disparityMask } = out;
  const src = t.image;
  const srcOffsets = t.offsets;
  for (let y = 0; y < height; y++) {
    const row = y * width;
    // d walks the destination row right to left while s walks the source row left to right.
    for (let s = row, d = base + row + width - 1; s < row + width; s++, d--) {
      image[3 * d] = lut[src[3 * s]!]!;
      image[3 * d + 1] = lut[LUT_STRIDE + src[3 * s + 1]!]!;
      image[3 * d + 2] = lut[2 * LUT_STRIDE + src[3 * s + 2]!]!;
      labels[d] = t.trainIds[s]!;
      // dx negated as `0 - dx` so a zero stays +0.
      offsets[2 * d] = 0 - srcOffsets[2 * s]!;
      offsets[2 * d + 1] = srcOffsets[2 * s + 1]!;
      offsetMask[d] = t.offsetMask[s]!;
      disparity[d] = t.disparity[s]!;
      disparityMask[d] = t.disparityMask[s]!;
    }
  }
}

/**
 * Turns host arrays into tensors (6 new tensors, owned by the caller).
 *
 * @param host - From {@link assembleHostBatch}.
 * @param names - Sample names.
 * @param flipped - Whether each sample was mirrored.
 */
export function hostBatchToTensors(host: HostBatch, names: string[], flipped: boolean[]): Batch {
  const { size: b, height: h, width: w } = host;
  return {
    size: b,
    names,
    flipped,
    image: tf.tensor4d(host.image, [b, h, w, 3], 'float32'),
    labels: tf.tensor3d(host.labels, [b, h, w], 'int32'),
    offsets: tf.tensor4d(host.offsets, [b, h, w, 2], 'float32'),
    offsetMask: tf.tensor4d(host.offsetMask, [b, h, w, 1], 'float32'),
    disparity: tf.tensor4d(host.disparity, [b, h, w, 1], 'float32'),
    disparityMask: tf.tensor4d(host.disparityMask, [b, h, w, 1], 'float32'),
  };
}

/** Disposes the six tensors of a batch. Safe to call twice. */
export function disposeBatch(batch: Batch): void {
  tf.dispose([
    batch.image,
    batch.labels,
    batch.offsets,
    batch.offsetMask,
    batch.disparity,
    batch.disparityMask,
  ]);
}
