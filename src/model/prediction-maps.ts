/**
 * The outputs of one prediction at the image's size, computed on demand from the network's heads at its
 * input size: memory grows by a few bytes a pixel (the maps a caller asks for), never by a full-size
 * float copy per head beyond the one enlarged disparity map kept for images up to
 * {@link MAX_CACHED_DISPARITY_PIXELS}.
 *
 * @packageDocumentation
 */
import { resizeNearest } from '../data/resize.js';
import type { ManifestClass, ModelManifest } from './artifacts.js';
import {
  clusterInstances,
  disparityToDepth,
  type InstanceSummary,
  type StereoCamera,
} from './postprocess/index.js';
import { BilinearRows } from './postprocess/bilinear-rows.js';
import { positiveStats, type PositiveStats, type RowSource } from './postprocess/positive-stats.js';
import {
  enlargedArgmax,
  smallArgmax,
  upsampledArgmax,
  type SmallArgmax,
} from './postprocess/upsample-labels.js';
import type { Task } from './tasks.js';

/**
 * Most floats of bilinearly enlarged segmentation logits per prediction (16 Mi: up to ~880k pixels of a
 * 19-class model, e.g. 1024x820). Why: below it, class boundaries are smooth at full size; above it the
 * cost (classes x pixels interpolations) buys nothing visible, so the network-size argmax is enlarged.
 * A CPU budget: the enlargement runs row by row, so memory does not depend on it.
 */
export const MAX_UPSAMPLED_LOGITS = 16 * 1024 * 1024;

/**
 * Largest image (pixels) whose enlarged disparity (with its range) and depth in metres (with its
 * statistics) are computed once and kept, rather than enlarged and converted again row by row for each of
 * their uses (range, depth statistics in two passes, the disparity and the depth maps: five bilinear passes
 * and three conversions per answer). Why 4 Mi: up to 2048x2048 the kept maps are at most 32 MB, the size of
 * the answer's own maps; a 512x256 answer saves several ms of post-processing. Larger images keep the
 * row-by-row path, so their memory does not grow by two floats a pixel.
 */
export const MAX_CACHED_DISPARITY_PIXELS = 4 * 1024 * 1024;

/** The heads the network produced for one image, at its input size, as plain arrays. */
export interface HeadOutputs {
  /** Segmentation logits, channels last (`inputH * inputW * classes`). */
  logits?: Float32Array;
  /** Instance offsets (dx, dy) per pixel, in input pixels. */
  offsets?: Float32Array;
  /** The depth head (disparity in input pixels; may undershoot 0). */
  depth?: Float32Array;
}

/** Segmentation output at the image's size. */
export interface SegmentationPrediction {
  /** Row-major train ids. */
  labels: Uint8Array;
  /** Every class of the model with the share of pixels predicted as it (0 when absent). */
  classes: (ManifestClass & { pixelShare: number })[];
}

/** Instance output at the image's size. */
export interface InstancePrediction {
  /** Row-major instance ids at the image size; 0 = no instance, n = the instance whose `id` is n. */
  idMap: Uint16Array;
  instances: (InstanceSummary & { className: string | null })[];
}

/**
 * Full-size outputs of one prediction, each computed when first asked for. Labels are kept once computed
 * (one byte a pixel: segmentation and instances both need them); everything else is built per call, so a
 * caller that encodes one map at a time holds one map at a time.
 */
export class PredictionMaps {
  private labelCache: Uint8Array | undefined;
  private smallCache: SmallArgmax | undefined;
  private kept: KeptDepth | undefined;
  private readonly inputH: number;
  private readonly inputW: number;

  /**
   * @param heads - The network's heads at its input size (only those the outputs need).
   * @param manifest - The model's manifest (input size, classes, camera).
   * @param outputs - The outputs asked for.
   * @param width - Image width.
   * @param height - Image height.
   */
  constructor(
    private readonly heads: HeadOutputs,
    readonly manifest: ModelManifest,
    readonly outputs: readonly Task[],
    readonly width: number,
    readonly height: number,
  ) {
    [this.inputH, this.inputW] = manifest.inputSize;
  }

  /**
   * Adds heads that were computed after these maps were made (on another thread, predict-thread.ts); a
   * head the maps already hold is kept. Call it before asking for an output that needs them.
   */
  addHeads(heads: HeadOutputs): void {
    for (const key of ['logits', 'offsets', 'depth'] as const) {
      const data = heads[key];
      if (data !== undefined && this.heads[key] === undefined) this.heads[key] = data;
    }
  }

  /**
   * The argmax at the network's size (with each pixel's lead), computed once: the instances cluster on it
   * and the full-size labels are enlarged from it.
   */
  private small(logits: Float32Array): SmallArgmax {
    if (this.smallCache === undefined) {
      const classes = logits.length / (this.inputH * this.inputW);
      this.smallCache = smallArgmax({ logits, height: this.inputH, width: this.inputW, classes });
    }
    return this.smallCache;
  }

  /** Train ids at the image size, or undefined without a segmentation head. */
  labels(): Uint8Array | undefined {
    const { logits } = this.heads;
    if (logits === undefined) return undefined;
    if (this.labelCache === undefined) {
      const classes = logits.length / (this.inputH * this.inputW);
      const map = { logits, height: this.inputH, width: this.inputW, classes };
      const smooth = this.width * this.height * classes <= MAX_UPSAMPLED_LOGITS;
      this.labelCache = smooth
        ? upsampledArgmax(map, this.height, this.width, this.small(logits))
        : enlargedArgmax(map, this.height, this.width);
    }
    return this.labelCache;
  }

  /** The segmentation output, when asked for. */
  segmentation(): SegmentationPrediction | undefined {
    const labels = this.outputs.includes('segmentation') ? this.labels() : undefined;
    if (labels === undefined) return undefined;
    const counts = new Float64Array(256);
    for (let i = 0; i < labels.length; i++) counts[labels[i]!]! += 1;
    return {
      labels,
      classes: this.manifest.classes.map((c) => ({ ...c, pixelShare: counts[c.trainId]! / labels.length })),
    };
  }

  /**
   * The instance output, when asked for. Clusters at the model's input size (the network's own
   * resolution, so the cost does not grow with the image), maps the id map to the image with nearest
   * sampling, keeps an instance's pixels only where the full-size segmentation agrees with its class,
   * and measures area, bbox and centroid there.
   */
  instances(): InstancePrediction | undefined {
    const { offsets, logits } = this.heads;
    if (!this.outputs.includes('instances') || offsets === undefined) return undefined;
    const { inputH, inputW, width, height } = this;
    // Without a segmentation head every pixel votes, as one class-less "thing".
    const semantic = logits ? this.small(logits).labels : new Uint8Array(inputW * inputH);
    const thingTrainIds = logits ? this.manifest.classes.filter((c) => c.isThing).map((c) => c.trainId) : [0];
    const clustered = clusterInstances({ offsets, semantic, height: inputH, width: inputW, thingTrainIds });
    const idMap = resizeNearest(
      { width: inputW, height: inputH, channels: 1, bitDepth: 16, data: clustered.idMap },
      width,
      height,
    ).data as Uint16Array;
    const labels = this.labels();
    if (labels) {
      const classOf = new Int32Array(clustered.instances.length + 1);
      for (const instance of clustered.instances) classOf[instance.id] = instance.trainId;
      for (let i = 0; i < idMap.length; i++) {
        const id = idMap[i]!;
        if (id !== 0 && labels[i] !== classOf[id]) idMap[i] = 0;
      }
    }
    const names = new Map(this.manifest.classes.map((c) => [c.trainId, c.name]));
    const byId = new Map(clustered.instances.map((instance) => [instance.id, instance]));
    const instances = measureInstances(idMap, width).map((m) => {
      const { trainId, score } = byId.get(m.id)!;
      return { ...m, trainId, score, className: logits ? (names.get(trainId) ?? null) : null };
    });
    return { idMap, instances };
  }

  /** Whether the depth output was asked for (and the model has the head). */
  hasDepth(): boolean {
    return this.outputs.includes('depth') && this.heads.depth !== undefined;
  }

  /**
   * Visits the disparity rows at the image size, in pixels of this image: the head enlarged bilinearly,
   * clamped at 0 (a regression head can undershoot) and scaled by the width ratio (a disparity is a
   * horizontal distance). Visitors must not modify the rows, nor keep them: they are views of the kept map
   * (images up to {@link MAX_CACHED_DISPARITY_PIXELS}) or one row buffer, reused.
   */
  readonly disparityRows: RowSource = (visit) => {
    const kept = this.keptDepth();
    if (kept === undefined) {
      this.enlargedDisparityRows(visit);
      return;
    }
    visitRows(kept.disparity, this.width, visit);
  };

  /**
   * The kept depth maps of an image up to {@link MAX_CACHED_DISPARITY_PIXELS} (undefined above it): the
   * enlarged disparity with its range, made in one pass, and, when asked for, the depth in metres with its
   * statistics, converted once. The values are those of the row-by-row path, to the bit.
   */
  private keptDepth(): KeptDepth | undefined {
    if (this.width * this.height > MAX_CACHED_DISPARITY_PIXELS) return undefined;
    if (this.kept === undefined) {
      const disparity = collectRows(this.enlargedDisparityRows, this.width * this.height);
      this.kept = { disparity, ...valueRange((visit) => visit(disparity)) };
    }
    return this.kept;
  }

  /** The kept depth in metres and its statistics (images up to {@link MAX_CACHED_DISPARITY_PIXELS}). */
  private keptMetres(camera: StereoCamera): { depth: Float32Array; stats: PositiveStats } | undefined {
    const kept = this.keptDepth();
    if (kept === undefined) return undefined;
    if (kept.metres === undefined) {
      const depth = disparityToDepth(kept.disparity, camera);
      kept.metres = { depth, stats: positiveStats((visit) => visit(depth)) };
    }
    return kept.metres;
  }

  /** {@link PredictionMaps.disparityRows} computed afresh, row by row into one reused buffer. */
  private readonly enlargedDisparityRows: RowSource = (visit) => {
    const { depth } = this.heads;
    if (depth === undefined) throw new Error('the prediction has no depth head');
    const rows = new BilinearRows(depth, this.inputH, this.inputW, 1, this.height, this.width);
    const ratio = Math.fround(this.width / this.inputW);
    const row = new Float32Array(this.width);
    for (let y = 0; y < this.height; y++) {
      rows.row(y, row);
      for (let x = 0; x < row.length; x++) row[x] = Math.max(0, row[x]!) * ratio;
      visit(row);
    }
  };

  /** The stereo camera at this image's size, when the model knows its training camera. */
  camera(): StereoCamera | undefined {
    const camera = this.manifest.camera;
    if (camera === undefined) return undefined;
    // The camera is stored at the input size; disparity here is in this image's pixels, so scale fx too.
    return { fx: camera.fx * (this.width / this.inputW), baseline: camera.baseline };
  }

  /** Visits the depth rows in metres (0 = unknown); needs {@link PredictionMaps.camera}. */
  readonly depthRows: RowSource = (visit) => {
    const camera = this.camera();
    if (camera === undefined) throw new Error('the model has no camera: no depth in metres');
    const metres = this.keptMetres(camera);
    if (metres !== undefined) {
      visitRows(metres.depth, this.width, visit);
      return;
    }
    const depth = new Float32Array(this.width);
    this.disparityRows((row) => visit(disparityToDepth(row, camera, 1, depth)));
  };

  /** Smallest and largest disparity (px of this image). */
  disparityRange(): { min: number; max: number } {
    const kept = this.keptDepth();
    if (kept !== undefined) return { min: kept.min, max: kept.max };
    return valueRange(this.disparityRows);
  }

  /** Smallest, largest and median known depth in metres (all 0 when none is known). */
  depthStats(): PositiveStats {
    const camera = this.camera();
    const metres = camera === undefined ? undefined : this.keptMetres(camera);
    return metres?.stats ?? positiveStats(this.depthRows);
  }
}

/** The depth outputs {@link PredictionMaps} keeps for an image up to {@link MAX_CACHED_DISPARITY_PIXELS}. */
interface KeptDepth {
  disparity: Float32Array;
  min: number;
  max: number;
  metres?: { depth: Float32Array; stats: PositiveStats };
}

/** Smallest and largest value of the rows (Infinity and -Infinity without any). */
function valueRange(rows: RowSource): { min: number; max: number } {
  let min = Infinity;
  let max = -Infinity;
  rows((row) => {
    for (let i = 0; i < row.length; i++) {
      const d = row[i]!;
      if (d < min) min = d;
      if (d > max) max = d;
    }
  });
  return { min, max };
}

/** Visits a full map's rows as views (visitors must not modify or keep them). */
function visitRows(map: Float32Array, width: number, visit: (row: Float32Array) => void): void {
  for (let offset = 0; offset < map.length; offset += width) visit(map.subarray(offset, offset + width));
}

/** Writes every row of `rows` into one full-size array. */
export function collectRows(rows: RowSource, length: number): Float32Array {
  const out = new Float32Array(length);
  let offset = 0;
  rows((row) => {
    out.set(row, offset);
    offset += row.length;
  });
  return out;
}

/** Area, bbox [x0, y0, x1, y1) and centroid of every id present in a row-major id map (0 = none), by id. */
export function measureInstances(
  idMap: Uint16Array,
  width: number,
): { id: number; area: number; bbox: [number, number, number, number]; centroid: [number, number] }[] {
  // Per id: area, x0, y0, x1, y1, sum x, sum y (ids are < 2^16, so arrays beat a Map on 16M pixels).
  let top = 0;
  for (let i = 0; i < idMap.length; i++) if (idMap[i]! > top) top = idMap[i]!;
  const area = new Float64Array(top + 1);
  const box = new Int32Array((top + 1) * 4);
  const sums = new Float64Array((top + 1) * 2);
  for (let i = 0, x = 0, y = 0; i < idMap.length; i++, x++) {
    if (x === width) {
      x = 0;
      y++;
    }
    const id = idMap[i]!;
    if (id === 0) continue;
    const b = id * 4;
    if (area[id] === 0) {
      box[b] = x;
      box[b + 1] = y;
      box[b + 2] = x + 1;
      box[b + 3] = y + 1;
    } else {
      if (x < box[b]!) box[b] = x;
      if (x + 1 > box[b + 2]!) box[b + 2] = x + 1;
      box[b + 3] = y + 1; // raster order: rows only grow
    }
    area[id]! += 1;
    sums[id * 2]! += x;
    sums[id * 2 + 1]! += y;
  }
  const out: ReturnType<typeof measureInstances> = [];
  for (let id = 1; id <= top; id++) {
    const n = area[id]!;
    if (n === 0) continue;
    const b = id * 4;
    out.push({
      id,
      area: n,
      bbox: [box[b]!, box[b + 1]!, box[b + 2]!, box[b + 3]!],
      centroid: [sums[id * 2]! / n, sums[id * 2 + 1]! / n],
    });
  }
  return out;
}
