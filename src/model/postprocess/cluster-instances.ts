/**
 * Instance segmentation by clustering centroid votes, with no preset number of instances.
 *
 * Every pixel of a thing class votes for the centroid of its instance: `vote = (x, y) + offset`. Votes of
 * one instance pile up around one point, so instances are the modes of the vote density. This module finds
 * them with a grid-accelerated mean shift, separately for each semantic class (a car and a person are never
 * merged, even when their centroids coincide):
 *
 * 1. The votes of a class are bucketed into a grid of square cells of side `bandwidth / 2`.
 * 2. A mean shift starts from the mean vote of every occupied cell. It moves to the weighted mean of the
 *    votes within `bandwidth` (weights `1 - d^2 / bandwidth^2`, i.e. the modes of a biweight kernel
 *    density), looking only at the cells that overlap that disc (at most 5 x 5), until it moves less than
 *    0.001 px, or until it enters a cell an earlier mean shift passed through (it then joins that one's mode).
 * 3. Modes are taken strongest first (support = sum of the weights); a mode closer than `mergeRadius` to a
 *    stronger one, or with support below `minVotes`, is dropped.
 * 4. Each pixel joins the nearest mode of its class if its vote lies within `assignRadius` of it; clusters
 *    with fewer than `minPixels` pixels are dissolved and their pixels join the nearest surviving mode
 *    (again within `assignRadius`), or none.
 *
 * Guarantee for exact offsets: all votes of an instance fall on one point, and a mean shift started there
 * stays there as long as no other instance of the class has its centroid within `bandwidth`. So every
 * instance with at least `max(minPixels, minVotes)` pixels whose centroid is farther than
 * `max(bandwidth, mergeRadius)` from every other same-class centroid is recovered pixel for pixel.
 * Noisy votes keep that property while the noise is small against the gap between centroids.
 *
 * Cost: O(pixels) to bucket; each mean-shift step reads only the votes in the bounding square of its disc,
 * and seeds on an earlier path are skipped; the assignment reads only the modes in the 3 x 3 cells (of side
 * `assignRadius`) around each vote. Measured at 128 x 256 on one core: about 3 ms for a street scene with
 * 48 objects, about 60 ms in the worst case (every pixel a thing, voting for a random point).
 */
import { DEFAULT_THING_TRAIN_IDS } from './train-ids.js';
import {
  assertImageSize,
  assertInteger,
  assertLength,
  assertPositive,
  invalid,
  thingLookup,
} from './validate.js';

/**
 * Default kernel radius of the mean shift, in pixels of the image. Why 3: it is about the spread of the
 * votes of a decent offset head at 128 x 256 (the paper's instance error is 3.5 px), while instances of one
 * class whose centroids are more than 3 px apart (two pedestrians side by side) stay separate.
 */
export const DEFAULT_BANDWIDTH = 3;

/**
 * Smallest bandwidth accepted, in pixels. Why 0.5: the vote grid has cells of half the bandwidth, so its
 * size grows with 1 / bandwidth^2; below half a pixel it would outgrow the image 16-fold, for a precision
 * no offset head has.
 */
export const MIN_BANDWIDTH = 0.5;

/**
 * Default distance in pixels under which two modes are one instance. Why equal to the bandwidth: modes
 * closer than the kernel radius share votes, so they are usually one noisy vote cloud, not two objects.
 */
export const DEFAULT_MERGE_RADIUS = 3;

/**
 * Default largest distance in pixels from a pixel's vote to the mode it joins. Why 12 (4 bandwidths): far
 * enough to collect the stray votes of a real prediction, close enough that a pixel voting nowhere near any
 * object (a mislabelled background pixel) does not stretch an instance across the image.
 */
export const DEFAULT_ASSIGN_RADIUS = 12;

/**
 * Default smallest instance, in pixels. Why 8: at 128 x 256 a real object is rarely smaller than 2 x 4
 * pixels, while clusters of a few pixels are mostly stray votes.
 */
export const DEFAULT_MIN_PIXELS = 8;

/**
 * Default smallest mode support (sum of kernel weights, each at most 1). Why 4 (half of
 * {@link DEFAULT_MIN_PIXELS}): a genuine instance of minimum size keeps well over half its weight even with
 * noisy votes, while isolated stray votes never reach it, which keeps the number of modes small.
 */
export const DEFAULT_MIN_VOTES = 4;

/**
 * Default cap on mean-shift iterations per seed. Why 30: a biweight mean shift started inside a vote cloud
 * reaches 0.001 px in well under 20 steps; the cap only bounds the time spent on pathological inputs.
 */
export const DEFAULT_MAX_ITERATIONS = 30;

/**
 * A mean shift stops once it moves less than this, in pixels. Why 0.001: far below a pixel, so modes are
 * exact for any practical purpose, and reached in a few steps.
 */
const CONVERGENCE_PX = 1e-3;

/**
 * Most instances one id map can hold. Why 65535: ids are stored in a Uint16Array with 0 meaning "no
 * instance"; beyond it the smallest instances are dropped (far more than any real image holds).
 */
export const MAX_INSTANCES = 65535;

/** Tuning of {@link clusterInstances}; every field is optional and defaults to the `DEFAULT_*` constant. */
export interface ClusterOptions {
  /** Kernel radius of the mean shift in pixels (>= {@link MIN_BANDWIDTH}); default {@link DEFAULT_BANDWIDTH}. */
  bandwidth?: number;
  /** Modes closer than this (pixels, > 0) are merged into the stronger one; default {@link DEFAULT_MERGE_RADIUS}. */
  mergeRadius?: number;
  /** A pixel joins a mode only if its vote is within this many pixels (> 0); default {@link DEFAULT_ASSIGN_RADIUS}. */
  assignRadius?: number;
  /** Clusters with fewer pixels are dissolved (integer >= 1); default {@link DEFAULT_MIN_PIXELS}. */
  minPixels?: number;
  /** Modes with a smaller kernel-weighted vote count are ignored (>= 0); default {@link DEFAULT_MIN_VOTES}. */
  minVotes?: number;
  /** Cap on mean-shift steps per seed (integer >= 1); default {@link DEFAULT_MAX_ITERATIONS}. */
  maxIterations?: number;
}

/** One instance found by {@link clusterInstances}. */
export interface InstanceSummary {
  /** Id in the id map, 1..n, numbered in raster order of each instance's first pixel. */
  id: number;
  /** Semantic train id of the instance's pixels. */
  trainId: number;
  /** Number of pixels. */
  area: number;
  /** Bounding box `[x0, y0, x1, y1]` in pixels: x0, y0 inclusive, x1, y1 exclusive (width = x1 - x0). */
  bbox: [number, number, number, number];
  /** Mean `[x, y]` of the instance's pixel coordinates (pixel (x, y) is column x, row y). */
  centroid: [number, number];
  /** Share of the instance's pixels whose vote lies within `bandwidth` of its mode, in [0, 1]: a confidence. */
  score: number;
}

/** Result of {@link clusterInstances}. */
export interface ClusterInstancesResult {
  /** Row-major instance ids, 0 = no instance, 1..n = `instances[id - 1]`. */
  idMap: Uint16Array;
  /** The instances, ordered by id. */
  instances: InstanceSummary[];
}

/** Input of {@link clusterInstances}. */
export interface ClusterInstancesInput {
  /**
   * Predicted offsets, interleaved `(dx, dy)` per pixel (`2 * height * width` values, row-major), pointing
   * from the pixel to its instance centroid in pixels. Pixels with a non-finite offset get no instance.
   */
  offsets: Float32Array;
  /** Row-major semantic train ids (`height * width`); only pixels of `thingTrainIds` are clustered. */
  semantic: Uint8Array;
  /** Rows. */
  height: number;
  /** Columns. */
  width: number;
  /** Train ids of the thing classes; default {@link DEFAULT_THING_TRAIN_IDS} (CityScapes). */
  thingTrainIds?: readonly number[];
  /** Clustering options. */
  options?: ClusterOptions;
}

/**
 * Fills in and checks clustering options.
 *
 * @param options - Partial options.
 * @returns Every option, defaults applied.
 * @throws ValidationError naming the first invalid option (e.g. `options.bandwidth`).
 */
export function resolveClusterOptions(options: ClusterOptions = {}): Required<ClusterOptions> {
  const resolved: Required<ClusterOptions> = {
    bandwidth: options.bandwidth ?? DEFAULT_BANDWIDTH,
    mergeRadius: options.mergeRadius ?? DEFAULT_MERGE_RADIUS,
    assignRadius: options.assignRadius ?? DEFAULT_ASSIGN_RADIUS,
    minPixels: options.minPixels ?? DEFAULT_MIN_PIXELS,
    minVotes: options.minVotes ?? DEFAULT_MIN_VOTES,
    maxIterations: options.maxIterations ?? DEFAULT_MAX_ITERATIONS,
  };
  if (!Number.isFinite(resolved.bandwidth) || resolved.bandwidth < MIN_BANDWIDTH) {
    invalid(
      'options.bandwidth',
      `must be a finite number >= ${MIN_BANDWIDTH}, got ${String(resolved.bandwidth)}`,
    );
  }
  assertPositive('options.mergeRadius', resolved.mergeRadius);
  assertPositive('options.assignRadius', resolved.assignRadius);
  assertInteger('options.minPixels', resolved.minPixels, 1);
  if (!Number.isFinite(resolved.minVotes) || resolved.minVotes < 0) {
    invalid('options.minVotes', `must be a finite number >= 0, got ${String(resolved.minVotes)}`);
  }
  assertInteger('options.maxIterations', resolved.maxIterations, 1, 10_000);
  return resolved;
}

/**
 * Groups the thing-class pixels of a predicted offset field into instances.
 *
 * @param input - Offsets, semantic map, size, thing classes and options.
 * @returns The id map and the instance list (class, area, bbox, centroid, score).
 * @throws ValidationError when a size, an array length, a thing id or an option is invalid.
 */
export function clusterInstances(input: ClusterInstancesInput): ClusterInstancesResult {
  const { offsets, semantic, height, width } = input;
  const pixels = assertImageSize(height, width);
  assertLength('offsets', offsets, pixels * 2, 'height * width * 2');
  assertLength('semantic', semantic, pixels, 'height * width');
  const isThing = thingLookup('thingTrainIds', input.thingTrainIds ?? DEFAULT_THING_TRAIN_IDS);
  const options = resolveClusterOptions(input.options);

  // Cluster index of every pixel (-1 = none), numbered across classes; the class of each cluster.
  const pixelCluster = new Int32Array(pixels).fill(-1);
  const clusterClass: number[] = [];
  const clusterNear: number[] = [];
  for (const votes of collectVotes(offsets, semantic, width, height, isThing)) {
    const grid = buildVoteGrid(votes, options.bandwidth / 2);
    const modes = findModes(votes, grid, width, height, options);
    const { labels, near } = assignVotes(votes, modes, width, height, options);
    const base = clusterClass.length;
    for (let m = 0; m < modes.length; m++) {
      clusterClass.push(votes.trainId);
      clusterNear.push(near[m]!);
    }
    for (let v = 0; v < labels.length; v++) {
      const label = labels[v]!;
      if (label >= 0) pixelCluster[votes.pixels[v]!] = base + label;
    }
  }
  if (clusterClass.length > MAX_INSTANCES) dropSmallestClusters(pixelCluster, clusterClass.length);
  return summarise(pixelCluster, width, clusterClass, clusterNear);
}

/** The votes of the pixels of one thing class. */
interface ClassVotes {
  trainId: number;
  /** Pixel index (y * width + x) of each vote. */
  pixels: Int32Array;
  /** Vote coordinates, clipped to the image. */
  x: Float64Array;
  y: Float64Array;
}

/**
 * Computes `pixel + offset` for every thing pixel with a finite offset, grouped by class (ascending train
 * id). Votes are clipped to the image rectangle: a true centroid always lies inside it (it is a mean of
 * pixel coordinates), so clipping only moves votes that are wrong anyway.
 */
function collectVotes(
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

/** Votes bucketed into square cells (a counting sort), for fixed-radius neighbour queries. */
interface VoteGrid {
  /** Side of a cell in pixels. */
  cell: number;
  /** Top-left corner of cell 0 (the smallest vote coordinates): the grid spans only the votes. */
  originX: number;
  originY: number;
  cols: number;
  rows: number;
  /** Votes of cell `c` are `order[start[c]] .. order[start[c + 1] - 1]`. */
  start: Int32Array;
  order: Int32Array;
}

/** Buckets the votes of one class (at least one) into cells of side `cell` spanning their bounding box. */
function buildVoteGrid(votes: ClassVotes, cell: number): VoteGrid {
  const n = votes.x.length;
  let originX = Infinity;
  let originY = Infinity;
  let maxX = -Infinity;
  let maxY = -Infinity;
  for (let v = 0; v < n; v++) {
    originX = Math.min(originX, votes.x[v]!);
    originY = Math.min(originY, votes.y[v]!);
    maxX = Math.max(maxX, votes.x[v]!);
    maxY = Math.max(maxY, votes.y[v]!);
  }
  const cols = Math.floor((maxX - originX) / cell) + 1;
  const rows = Math.floor((maxY - originY) / cell) + 1;
  const cellOf = new Int32Array(n);
  const start = new Int32Array(cols * rows + 1);
  for (let v = 0; v < n; v++) {
    const c = Math.floor((votes.y[v]! - originY) / cell) * cols + Math.floor((votes.x[v]! - originX) / cell);
    cellOf[v] = c;
    start[c + 1]!++;
  }
  for (let c = 0; c < cols * rows; c++) start[c + 1]! += start[c]!;
  const next = start.slice(0, cols * rows);
  const order = new Int32Array(n);
  for (let v = 0; v < n; v++) order[next[cellOf[v]!]!++] = v;
  return { cell, originX, originY, cols, rows, start, order };
}

/**
 * Index of the cell holding (x, y), clamped to the grid: a weighted mean of votes can overshoot their
 * bounding box by a rounding error.
 */
function cellIndex(grid: VoteGrid, x: number, y: number): number {
  const gx = Math.min(grid.cols - 1, Math.max(0, Math.floor((x - grid.originX) / grid.cell)));
  const gy = Math.min(grid.rows - 1, Math.max(0, Math.floor((y - grid.originY) / grid.cell)));
  return gy * grid.cols + gx;
}

/** A density mode: position of the votes' centre and its kernel-weighted vote count. */
interface Mode {
  x: number;
  y: number;
  support: number;
}

/**
 * Runs a mean shift from the mean vote of every occupied cell and keeps the distinct, well-supported modes,
 * strongest first.
 *
 * Speed-up: the cells a mean shift passes through are marked with the mode it reaches; a seed in a marked
 * cell is skipped, and a mean shift that enters a marked cell stops there and joins that mode. Cells are
 * `bandwidth / 2` wide, so this only joins positions that share most of their kernel. Exact votes never
 * move (a seed on a vote pile is already a mode), so the recovery guarantee is unaffected.
 */
function findModes(
  votes: ClassVotes,
  grid: VoteGrid,
  width: number,
  height: number,
  options: Required<ClusterOptions>,
): Mode[] {
  const found: Mode[] = [];
  const basin = new Int32Array(grid.cols * grid.rows).fill(-1);
  const path: number[] = [];
  for (let c = 0; c < grid.cols * grid.rows; c++) {
    const from = grid.start[c]!;
    const to = grid.start[c + 1]!;
    if (to === from || basin[c]! >= 0) continue;
    let sx = 0;
    let sy = 0;
    for (let k = from; k < to; k++) {
      sx += votes.x[grid.order[k]!]!;
      sy += votes.y[grid.order[k]!]!;
    }
    const { mode, joined } = meanShift(votes, grid, sx / (to - from), sy / (to - from), options, basin, path);
    const index = joined >= 0 ? joined : found.push(mode) - 1;
    for (const cell of path) if (basin[cell]! < 0) basin[cell] = index;
  }
  const strongest = found
    .filter((mode) => mode.support >= options.minVotes)
    .sort((a, b) => b.support - a.support || a.y - b.y || a.x - b.x);
  const kept: Mode[] = [];
  const index = new ModeIndex(kept, options.mergeRadius, width, height);
  for (const mode of strongest) {
    if (index.nearest(mode.x, mode.y) < 0) index.add(kept.push(mode) - 1);
  }
  return kept;
}

/**
 * Moves from `(x, y)` to the weighted mean of the votes within `bandwidth` (weight `1 - d^2 / bandwidth^2`)
 * until the step is below {@link CONVERGENCE_PX}, or until it enters a cell of `basin` already marked
 * with a mode (then `joined` is that mode). Only the cells overlapping the bounding square of the disc of
 * radius `bandwidth` are read: at most 5 x 5 with cells of side `bandwidth / 2`.
 *
 * @param path - Filled with the cells visited, the last one included.
 */
function meanShift(
  votes: ClassVotes,
  grid: VoteGrid,
  x: number,
  y: number,
  options: Required<ClusterOptions>,
  basin: Int32Array,
  path: number[],
): { mode: Mode; joined: number } {
  const { cell, originX, originY, cols, rows, start, order } = grid;
  const bandwidth = options.bandwidth;
  const b2 = bandwidth * bandwidth;
  let mx = x;
  let my = y;
  let support = 0;
  path.length = 0;
  for (let iteration = 0; iteration < options.maxIterations; iteration++) {
    const here = cellIndex(grid, mx, my);
    if (basin[here]! >= 0) return { mode: { x: mx, y: my, support }, joined: basin[here]! };
    if (path[path.length - 1] !== here) path.push(here);
    let sw = 0;
    let sx = 0;
    let sy = 0;
    const gx0 = Math.max(0, Math.floor((mx - bandwidth - originX) / cell));
    const gx1 = Math.min(cols - 1, Math.floor((mx + bandwidth - originX) / cell));
    const gy1 = Math.min(rows - 1, Math.floor((my + bandwidth - originY) / cell));
    for (let gy = Math.max(0, Math.floor((my - bandwidth - originY) / cell)); gy <= gy1; gy++) {
      for (let gx = gx0; gx <= gx1; gx++) {
        const c = gy * cols + gx;
        for (let k = start[c]!; k < start[c + 1]!; k++) {
          const v = order[k]!;
          const vx = votes.x[v]!;
          const vy = votes.y[v]!;
          const d2 = (vx - mx) * (vx - mx) + (vy - my) * (vy - my);
          if (d2 < b2) {
            const w = 1 - d2 / b2;
            sw += w;
            sx += w * vx;
            sy += w * vy;
          }
        }
      }
    }
    support = sw;
    if (sw === 0) break;
    const nx = sx / sw;
    const ny = sy / sw;
    const step2 = (nx - mx) * (nx - mx) + (ny - my) * (ny - my);
    mx = nx;
    my = ny;
    if (step2 < CONVERGENCE_PX * CONVERGENCE_PX) break;
  }
  const last = cellIndex(grid, mx, my);
  if (basin[last]! >= 0) return { mode: { x: mx, y: my, support }, joined: basin[last]! };
  if (path[path.length - 1] !== last) path.push(last);
  return { mode: { x: mx, y: my, support }, joined: -1 };
}

/**
 * Modes bucketed into square cells at least `radius` wide (linked lists over a dense grid), so that every
 * mode within `radius` of a point lies in the 3 x 3 cells around that point's cell.
 */
class ModeIndex {
  private readonly cell: number;
  private readonly cols: number;
  private readonly rows: number;
  /** First mode of each cell, -1 if none; `next[m]` is the mode after `m` in its cell. */
  private readonly head: Int32Array;
  private readonly next: number[] = [];

  /**
   * @param modes - The modes the indices refer to (may grow after construction).
   * @param radius - Query radius in pixels.
   * @param width - Image width: modes lie in `[0, width - 1]`.
   * @param height - Image height: modes lie in `[0, height - 1]`.
   */
  constructor(
    private readonly modes: readonly Mode[],
    private readonly radius: number,
    width: number,
    height: number,
  ) {
    // Cells of at least 1 px keep the grid no larger than the image for tiny radii.
    this.cell = Math.max(radius, 1);
    this.cols = Math.floor((width - 1) / this.cell) + 1;
    this.rows = Math.floor((height - 1) / this.cell) + 1;
    this.head = new Int32Array(this.cols * this.rows).fill(-1);
  }

  /** Adds mode `m` (an index into `modes`). */
  add(m: number): void {
    const mode = this.modes[m]!;
    const key = Math.floor(mode.y / this.cell) * this.cols + Math.floor(mode.x / this.cell);
    this.next[m] = this.head[key]!;
    this.head[key] = m;
  }

  /** Index of the added mode nearest to (x, y) within `radius` (ties: the lowest index), or -1. */
  nearest(x: number, y: number): number {
    const cx = Math.floor(x / this.cell);
    const cy = Math.floor(y / this.cell);
    const r2 = this.radius * this.radius;
    let best = -1;
    let bestD2 = Infinity;
    for (let gy = Math.max(0, cy - 1); gy <= Math.min(this.rows - 1, cy + 1); gy++) {
      for (let gx = Math.max(0, cx - 1); gx <= Math.min(this.cols - 1, cx + 1); gx++) {
        for (let m = this.head[gy * this.cols + gx]!; m >= 0; m = this.next[m]!) {
          const mode = this.modes[m]!;
          const d2 = (x - mode.x) * (x - mode.x) + (y - mode.y) * (y - mode.y);
          if (d2 <= r2 && (d2 < bestD2 || (d2 === bestD2 && m < best))) {
            best = m;
            bestD2 = d2;
          }
        }
      }
    }
    return best;
  }
}

/**
 * Gives each vote the index of its nearest mode within `assignRadius` (-1 if none), dissolves clusters
 * smaller than `minPixels` into the nearest surviving mode, and drops their modes from `modes` (in place).
 *
 * Dissolving needs one pass only: a surviving cluster's votes were already nearest to it among all modes,
 * so they stay; survivors only gain pixels.
 *
 * @returns Per vote the index into the surviving `modes`, and per mode how many of its votes lie within
 *   `bandwidth` of it.
 */
function assignVotes(
  votes: ClassVotes,
  modes: Mode[],
  width: number,
  height: number,
  options: Required<ClusterOptions>,
): { labels: Int32Array; near: Int32Array } {
  const n = votes.x.length;
  const labels = new Int32Array(n).fill(-1);
  const everyMode = new ModeIndex(modes, options.assignRadius, width, height);
  for (let m = 0; m < modes.length; m++) everyMode.add(m);
  for (let v = 0; v < n; v++) labels[v] = everyMode.nearest(votes.x[v]!, votes.y[v]!);

  const area = new Int32Array(modes.length);
  for (let v = 0; v < n; v++) if (labels[v]! >= 0) area[labels[v]!]!++;
  const survivors = modes.map((_, m) => m).filter((m) => area[m]! >= options.minPixels);
  if (survivors.length < modes.length) {
    const kept = survivors.map((m) => modes[m]!);
    const renumber = new Int32Array(modes.length).fill(-1);
    survivors.forEach((m, i) => (renumber[m] = i));
    const survivorIndex = new ModeIndex(kept, options.assignRadius, width, height);
    for (let m = 0; m < kept.length; m++) survivorIndex.add(m);
    for (let v = 0; v < n; v++) {
      const label = labels[v]!;
      if (label < 0) continue;
      labels[v] = renumber[label]! >= 0 ? renumber[label]! : survivorIndex.nearest(votes.x[v]!, votes.y[v]!);
    }
    modes.length = 0;
    modes.push(...kept);
  }

  const near = new Int32Array(modes.length);
  const b2 = options.bandwidth * options.bandwidth;
  for (let v = 0; v < n; v++) {
    const label = labels[v]!;
    if (label < 0) continue;
    const mode = modes[label]!;
    if ((votes.x[v]! - mode.x) ** 2 + (votes.y[v]! - mode.y) ** 2 <= b2) near[label]!++;
  }
  return { labels, near };
}

/** Keeps the {@link MAX_INSTANCES} largest clusters (ties: lower cluster index) and unlabels the rest. */
function dropSmallestClusters(pixelCluster: Int32Array, clusters: number): void {
  const area = new Int32Array(clusters);
  for (const c of pixelCluster) if (c >= 0) area[c]!++;
  const ranked = Array.from({ length: clusters }, (_, i) => i).sort((a, b) => area[b]! - area[a]! || a - b);
  const keep = new Uint8Array(clusters);
  for (const c of ranked.slice(0, MAX_INSTANCES)) keep[c] = 1;
  for (let p = 0; p < pixelCluster.length; p++) {
    const c = pixelCluster[p]!;
    if (c >= 0 && keep[c] === 0) pixelCluster[p] = -1;
  }
}

/** Numbers the clusters in raster order of their first pixel and computes each one's statistics. */
function summarise(
  pixelCluster: Int32Array,
  width: number,
  clusterClass: readonly number[],
  clusterNear: readonly number[],
): ClusterInstancesResult {
  const idMap = new Uint16Array(pixelCluster.length);
  const idOf = new Int32Array(clusterClass.length);
  const instances: InstanceSummary[] = [];
  const sums: { x: number; y: number }[] = [];
  for (let p = 0; p < pixelCluster.length; p++) {
    const c = pixelCluster[p]!;
    if (c < 0) continue;
    const x = p % width;
    const y = (p - x) / width;
    let id = idOf[c]!;
    if (id === 0) {
      id = instances.length + 1;
      idOf[c] = id;
      instances.push({
        id,
        trainId: clusterClass[c]!,
        area: 0,
        bbox: [x, y, x + 1, y + 1],
        centroid: [0, 0],
        score: 0,
      });
      sums.push({ x: 0, y: 0 });
    }
    idMap[p] = id;
    const instance = instances[id - 1]!;
    const sum = sums[id - 1]!;
    instance.area++;
    sum.x += x;
    sum.y += y;
    const bbox = instance.bbox;
    if (x < bbox[0]) bbox[0] = x;
    if (x + 1 > bbox[2]) bbox[2] = x + 1;
    bbox[3] = y + 1; // raster order: rows only grow
  }
  for (let c = 0; c < clusterClass.length; c++) {
    const id = idOf[c]!;
    if (id === 0) continue;
    const instance = instances[id - 1]!;
    const sum = sums[id - 1]!;
    instance.centroid = [sum.x / instance.area, sum.y / instance.area];
    instance.score = Math.min(1, clusterNear[c]! / instance.area);
  }
  return { idMap, instances };
}

/** `value` limited to `[low, high]`. */
function clamp(value: number, low: number, high: number): number {
  return value < low ? low : value > high ? high : value;
}
