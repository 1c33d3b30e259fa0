/**
 * The one batch type of the project, {@link SceneBatch}, and its assembly: samples' targets are copied (and,
 * when asked, mirrored) into one set of host arrays, which become tensors in one step.
 *
 * The input pipeline yields batches with every target; the trainer and the evaluator take batches whose
 * targets are those of the tasks a source provides (a test source may carry fewer).
 *
 * Tensors of a {@link SceneBatch} belong to whoever receives it: call {@link disposeBatch} when done, or
 * they leak.
 *
 * @packageDocumentation
 */
import type { Tensor3D, Tensor4D } from '@tensorflow/tfjs';
import { tf } from '../tf/index.js';
import { normaliseRgbInto } from './normalisation.js';
import type { SampleTargets } from './targets.js';

/** One batch as host arrays, NHWC, ready to become tensors (field for field a {@link SceneBatch}). */
export interface HostBatch {
  /** Samples in the batch (B). */
  size: number;
  width: number;
  height: number;
  /** `[B, H, W, 3]` normalised RGB. */
  images: Float32Array;
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

/**
 * The training targets of a batch at training resolution, grouped by the task that needs them:
 * segmentation `labels`; instances `offsets` and `offsetMask`; depth `disparity` and `disparityMask`.
 */
export interface BatchTargets {
  /** int32 `[B, H, W]`, train ids, 255 = ignore. */
  labels: Tensor3D;
  /** float32 `[B, H, W, 2]`, (dx, dy) in training pixels from each pixel to its instance's centroid. */
  offsets: Tensor4D;
  /** float32 `[B, H, W, 1]`, 1 on thing-instance pixels, else 0. */
  offsetMask: Tensor4D;
  /** float32 `[B, H, W, 1]`, disparity in training pixels (0 where invalid). */
  disparity: Tensor4D;
  /** float32 `[B, H, W, 1]`, 1 where the disparity is valid, else 0. */
  disparityMask: Tensor4D;
}

/**
 * One batch of scenes as tensors, as the trainer and the evaluator consume it. Targets are present for the
 * tasks its source provides; the input pipeline provides all of them (`Required<SceneBatch>`). Its owner
 * must dispose it (see {@link disposeBatch}).
 */
export interface SceneBatch extends Partial<BatchTargets> {
  /** Samples in the batch (B); the last batch of an epoch may be smaller. */
  size: number;
  /** Sample names, in batch order. */
  names: string[];
  /** Whether each sample was mirrored. */
  flipped: boolean[];
  /** float32 `[B, H, W, 3]`, normalised (see `IMAGE_NORMALISATION`). */
  images: Tensor4D;
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
    images: new Float32Array(b * p * 3),
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
  normaliseRgbInto(t.image, out.images, base * 3, lut);
  // TypedArray.set converts element types natively (uint8 -> int32/float32), far faster than a JS loop.
  out.labels.set(t.trainIds, base);
  out.offsets.set(t.offsets, base * 2);
  out.offsetMask.set(t.offsetMask, base);
  out.disparity.set(t.disparity, base);
  out.disparityMask.set(t.disparityMask, base);
}

function copyFlipped(t: SampleTargets, out: HostBatch, base: number, lut: Float32Array): void {
  const { width, height } = t;
  const { images, labels, offsets, offsetMask, disparity, disparityMask } = out;
  const src = t.image;
  const srcOffsets = t.offsets;
  for (let y = 0; y < height; y++) {
    const row = y * width;
    // d walks the destination row right to left while s walks the source row left to right.
    for (let s = row, d = base + row + width - 1; s < row + width; s++, d--) {
      images[3 * d] = lut[src[3 * s]!]!;
      images[3 * d + 1] = lut[LUT_STRIDE + src[3 * s + 1]!]!;
      images[3 * d + 2] = lut[2 * LUT_STRIDE + src[3 * s + 2]!]!;
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
export function hostBatchToTensors(
  host: HostBatch,
  names: string[],
  flipped: boolean[],
): Required<SceneBatch> {
  const { size: b, height: h, width: w } = host;
  return {
    size: b,
    names,
    flipped,
    images: tf.tensor4d(host.images, [b, h, w, 3], 'float32'),
    labels: tf.tensor3d(host.labels, [b, h, w], 'int32'),
    offsets: tf.tensor4d(host.offsets, [b, h, w, 2], 'float32'),
    offsetMask: tf.tensor4d(host.offsetMask, [b, h, w, 1], 'float32'),
    disparity: tf.tensor4d(host.disparity, [b, h, w, 1], 'float32'),
    disparityMask: tf.tensor4d(host.disparityMask, [b, h, w, 1], 'float32'),
  };
}

/** Disposes every tensor of a batch (the images and whichever targets it carries). Safe to call twice. */
export function disposeBatch(batch: SceneBatch): void {
  const { images, labels, offsets, offsetMask, disparity, disparityMask } = batch;
  tf.dispose([images, labels, offsets, offsetMask, disparity, disparityMask].filter((t) => t !== undefined));
}
