/**
 * Training targets at training resolution, built from a decoded sample by pure functions (DESIGN.md, "Data"):
 *
 * - **train ids**: CityScapes label ids mapped to train ids 0-18, 255 = ignore;
 * - **instance offsets**: for every pixel of a thing instance, the vector `(dx, dy)` in training-resolution
 *   pixels from the pixel to the centroid of its instance, with a mask of those pixels;
 * - **disparity**: inverse depth as stereo disparity in training-resolution pixels (`d = (p - 1) / 256` in
 *   the 16-bit map, scaled by the width ratio), with a validity mask (`p = 0` is invalid).
 *
 * Coordinates: pixel centres at integer coordinates, `(x, y)` = column, row. Resizing maps a source
 * coordinate `u` to `(u + 0.5) * s - 0.5` (half-pixel centres, as the resamplers use).
 *
 * Units follow the paper (Kendall et al. 2018): offsets and disparities are in pixels, so their losses are of
 * a different scale than the segmentation loss.
 *
 * @packageDocumentation
 */
import type { CameraParameters } from './camera.js';
import {
  IGNORE_TRAIN_ID,
  INSTANCE_ID_DIVISOR,
  IS_THING_TRAIN_ID,
  LABEL_ID_TO_TRAIN_ID,
} from './cityscapes-labels.js';
import { RasterShapeError } from './errors.js';
import { DISPARITY_ENCODING_SCALE, resizeBilinear, resizeNearest, type RasterImage } from './image-codec.js';

/** The targets of one sample at training resolution; all arrays row-major, `height * width` pixels. */
export interface SampleTargets {
  width: number;
  height: number;
  /** 8-bit RGB, interleaved (`height * width * 3`). */
  image: Uint8Array;
  /** Train id per pixel, {@link IGNORE_TRAIN_ID} = ignore. */
  trainIds: Uint8Array;
  /** `(dx, dy)` per pixel, interleaved (`height * width * 2`), training-resolution pixels; 0 outside the mask. */
  offsets: Float32Array;
  /** 1 where the pixel belongs to a thing instance (offsets defined), else 0. */
  offsetMask: Uint8Array;
  /** Disparity in training-resolution pixels; 0 where invalid. */
  disparity: Float32Array;
  /** 1 where the disparity is valid, else 0. */
  disparityMask: Uint8Array;
}

/** What {@link buildTargets} reads: a decoded sample (see `CityscapesReader.readSample`). */
export interface TargetSource {
  /** 8-bit RGB (3 channels). */
  image: RasterImage;
  /** 1-channel 8-bit label ids; absent: every pixel ignored. */
  labelIds?: RasterImage;
  /** 1-channel 16-bit instance ids; absent: no instance pixels. */
  instanceIds?: RasterImage;
  /** 1-channel 16-bit encoded disparity; absent: no valid disparity. */
  disparity?: RasterImage;
}

/** Checks a single-channel map of the given bit depth. */
function assertMap(map: RasterImage, bitDepth: 8 | 16, what: string): void {
  if (map.channels !== 1 || map.bitDepth !== bitDepth) {
    throw new RasterShapeError(
      `${what} must be 1-channel ${bitDepth}-bit, got ${map.channels}x${map.bitDepth}-bit`,
    );
  }
}

/**
 * Maps label ids to train ids with CityScapes' table (ids outside the table: 255).
 *
 * @param labelIds - 1-channel 8-bit label-id map at any resolution.
 * @returns A train-id map of the same size.
 */
export function trainIdMap(labelIds: RasterImage): Uint8Array {
  assertMap(labelIds, 8, 'labelIds');
  const src = labelIds.data;
  const out = new Uint8Array(src.length);
  for (let i = 0; i < src.length; i++) out[i] = LABEL_ID_TO_TRAIN_ID[src[i]!]!;
  return out;
}

/**
 * Whether an instance id denotes one instance of a thing training class: `id >= 1000` (CityScapes' encoding
 * `labelId * 1000 + index`) and `labelId` maps to person, rider, car, truck, bus, train, motorcycle or bicycle.
 * Instances of classes ignored in training (caravan, trailer) get no offsets.
 */
export function isThingInstanceId(id: number): boolean {
  if (id < INSTANCE_ID_DIVISOR) return false;
  const labelId = Math.floor(id / INSTANCE_ID_DIVISOR);
  return labelId < LABEL_ID_TO_TRAIN_ID.length && IS_THING_TRAIN_ID[LABEL_ID_TO_TRAIN_ID[labelId]!] === 1;
}

/** One thing instance: its id, pixel count and centroid (pixel centres at integer coordinates). */
export interface InstanceCentroid {
  id: number;
  pixels: number;
  x: number;
  y: number;
}

/** Number of distinct 16-bit instance ids. Why 65536: instance ids are 16-bit samples. */
const INSTANCE_ID_RANGE = 65536;

/**
 * Scratch table id -> compact slot (-1 = none), shared by the functions below. Why: allocating and zeroing a
 * 65536-entry table per sample cost more than the rest of target building; every function that fills it
 * resets the entries it touched before returning, so it is all -1 between calls.
 */
const slotOf = new Int32Array(INSTANCE_ID_RANGE).fill(-1);

/**
 * Centroids of the thing instances of an instance-id map, in its own pixel coordinates, sorted by id.
 *
 * @param instanceIds - 1-channel 16-bit instance-id map.
 */
export function instanceCentroids(instanceIds: RasterImage): InstanceCentroid[] {
  assertMap(instanceIds, 16, 'instanceIds');
  const { width, height, data } = instanceIds;
  const ids: number[] = [];
  const count: number[] = [];
  const sumX: number[] = [];
  const sumY: number[] = [];
  try {
    for (let y = 0, i = 0; y < height; y++) {
      for (let x = 0; x < width; x++, i++) {
        const id = data[i]!;
        if (id < INSTANCE_ID_DIVISOR) continue;
        let slot = slotOf[id]!;
        if (slot < 0) {
          slot = ids.length;
          slotOf[id] = slot;
          ids.push(id);
          count.push(0);
          sumX.push(0);
          sumY.push(0);
        }
        count[slot]!++;
        sumX[slot]! += x;
        sumY[slot]! += y;
      }
    }
  } finally {
    for (const id of ids) slotOf[id] = -1;
  }
  const out: InstanceCentroid[] = [];
  ids.forEach((id, slot) => {
    if (!isThingInstanceId(id)) return;
    const n = count[slot]!;
    out.push({ id, pixels: n, x: sumX[slot]! / n, y: sumY[slot]! / n });
  });
  return out.sort((a, b) => a.id - b.id);
}

/**
 * Per-pixel offsets to instance centroids at training resolution.
 *
 * Centroids are computed at the source resolution (exact, even for instances that shrink to a few pixels) and
 * mapped to training coordinates; the mask and the pixel's instance come from the nearest-resized map. The
 * offset of training pixel `(x, y)` in instance `k` is `(cx_k - x, cy_k - y)`, so `pixel + offset` is the
 * centroid.
 *
 * @param instanceIds - 1-channel 16-bit instance-id map at source resolution.
 * @param width - Training width.
 * @param height - Training height.
 * @returns `offsets` (`(dx, dy)` interleaved, training pixels, 0 outside the mask) and `offsetMask`.
 */
export function instanceOffsets(
  instanceIds: RasterImage,
  width: number,
  height: number,
): { offsets: Float32Array; offsetMask: Uint8Array } {
  const centroids = instanceCentroids(instanceIds);
  const sx = width / instanceIds.width;
  const sy = height / instanceIds.height;
  const cx = new Float64Array(centroids.length);
  const cy = new Float64Array(centroids.length);
  const offsets = new Float32Array(width * height * 2);
  const offsetMask = new Uint8Array(width * height);
  const ids = resizeNearest(instanceIds, width, height).data;
  try {
    centroids.forEach((c, slot) => {
      cx[slot] = (c.x + 0.5) * sx - 0.5;
      cy[slot] = (c.y + 0.5) * sy - 0.5;
      slotOf[c.id] = slot;
    });
    for (let y = 0, i = 0; y < height; y++) {
      for (let x = 0; x < width; x++, i++) {
        const slot = slotOf[ids[i]!]!;
        if (slot < 0) continue;
        offsets[2 * i] = cx[slot]! - x;
        offsets[2 * i + 1] = cy[slot]! - y;
        offsetMask[i] = 1;
      }
    }
  } finally {
    for (const c of centroids) slotOf[c.id] = -1;
  }
  return { offsets, offsetMask };
}

/**
 * Disparity in training-resolution pixels from a CityScapes-encoded 16-bit map: nearest sampling (no value is
 * averaged across a depth edge), `d = (p - 1) / 256 * width / source width`, `p = 0` invalid.
 *
 * @param disparity - 1-channel 16-bit encoded disparity at source resolution.
 * @param width - Training width.
 * @param height - Training height.
 * @returns `disparity` (0 where invalid) and `disparityMask`.
 */
export function disparityTargets(
  disparity: RasterImage,
  width: number,
  height: number,
): { disparity: Float32Array; disparityMask: Uint8Array } {
  assertMap(disparity, 16, 'disparity');
  const sampled = resizeNearest(disparity, width, height).data;
  const scale = width / disparity.width / DISPARITY_ENCODING_SCALE;
  const out = new Float32Array(width * height);
  const mask = new Uint8Array(width * height);
  for (let i = 0; i < sampled.length; i++) {
    const p = sampled[i]!;
    if (p === 0) continue;
    out[i] = (p - 1) * scale;
    mask[i] = 1;
  }
  return { disparity: out, disparityMask: mask };
}

/**
 * Builds every target of a sample at training resolution: the image resized bilinearly (antialiased), label
 * ids resized nearest and mapped to train ids, instance offsets and disparity as above.
 *
 * @param source - The decoded sample (image 8-bit RGB; maps 1-channel, same size as the image).
 * @param width - Training width.
 * @param height - Training height.
 * @throws {@link RasterShapeError} when a map has the wrong channels, bit depth or size.
 */
export function buildTargets(source: TargetSource, width: number, height: number): SampleTargets {
  const { image } = source;
  if (image.channels !== 3 || image.bitDepth !== 8) {
    throw new RasterShapeError(
      `image must be 8-bit RGB, got ${image.channels} channel(s) at ${image.bitDepth}-bit`,
    );
  }
  for (const [name, map] of Object.entries({
    labelIds: source.labelIds,
    instanceIds: source.instanceIds,
    disparity: source.disparity,
  })) {
    if (map !== undefined && (map.width !== image.width || map.height !== image.height)) {
      throw new RasterShapeError(
        `${name} is ${map.width}x${map.height}, the image ${image.width}x${image.height}`,
      );
    }
  }
  const pixels = width * height;
  const resized = resizeBilinear(image, width, height).data as Uint8Array;
  const trainIds =
    source.labelIds === undefined
      ? new Uint8Array(pixels).fill(IGNORE_TRAIN_ID)
      : trainIdMap(resizeNearest(source.labelIds, width, height));
  const inst =
    source.instanceIds === undefined
      ? { offsets: new Float32Array(pixels * 2), offsetMask: new Uint8Array(pixels) }
      : instanceOffsets(source.instanceIds, width, height);
  const disp =
    source.disparity === undefined
      ? { disparity: new Float32Array(pixels), disparityMask: new Uint8Array(pixels) }
      : disparityTargets(source.disparity, width, height);
  return {
    width,
    height,
    image: resized,
    trainIds,
    offsets: inst.offsets,
    offsetMask: inst.offsetMask,
    disparity: disp.disparity,
    disparityMask: disp.disparityMask,
  };
}

/**
 * Depth in metres of a disparity in pixels: `fx * baseline / d` (`Infinity` for `d <= 0`). `camera` must be
 * the camera of the resolution the disparity is measured at (see `scaleCamera`).
 */
export function depthFromDisparity(disparity: number, camera: CameraParameters): number {
  return disparity > 0 ? (camera.fx * camera.baseline) / disparity : Infinity;
}

/** Disparity in pixels of a point at `depth` metres: `fx * baseline / depth` (0 for an infinite depth). */
export function disparityFromDepth(depth: number, camera: CameraParameters): number {
  return depth > 0 && Number.isFinite(depth) ? (camera.fx * camera.baseline) / depth : 0;
}

/**
 * Depth map in metres from a disparity map: `fx * baseline / d` where the mask is set and `d > 0`, 0
 * elsewhere (0 = unknown).
 */
export function depthMap(disparity: Float32Array, mask: Uint8Array, camera: CameraParameters): Float32Array {
  const out = new Float32Array(disparity.length);
  const k = camera.fx * camera.baseline;
  for (let i = 0; i < disparity.length; i++) {
    const d = disparity[i]!;
    if (mask[i] === 1 && d > 0) out[i] = k / d;
  }
  return out;
}
