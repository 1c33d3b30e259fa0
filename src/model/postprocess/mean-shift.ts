/**
 * Grid-accelerated mean shift over the votes of one class: finds the distinct, well-supported modes of the
 * vote density (steps 2 and 3 of `clusterInstances`).
 */
import type { ClassVotes } from './centroid-votes.js';
import type { ClusterOptions } from './cluster-options.js';
import { ModeIndex, type Mode } from './mode-index.js';
import { cellIndex, type VoteGrid } from './vote-grid.js';

/**
 * A mean shift stops once it moves less than this, in pixels. Why 0.001: far below a pixel, so modes are
 * exact for any practical purpose, and reached in a few steps.
 */
const CONVERGENCE_PX = 1e-3;

/**
 * Runs a mean shift from the mean vote of every occupied cell and keeps the distinct, well-supported modes,
 * strongest first.
 *
 * Speed-up: the cells a mean shift passes through are marked with the mode it reaches; a seed in a marked
 * cell is skipped, and a mean shift that enters a marked cell stops there and joins that mode. Cells are
 * `bandwidth / 2` wide, so this only joins positions that share most of their kernel. Exact votes never
 * move (a seed on a vote pile is already a mode), so the recovery guarantee is unaffected.
 */
export function findModes(
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
      sx += grid.xs[k]!;
      sy += grid.ys[k]!;
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
  const { cell, originX, originY, cols, rows, start, xs, ys } = grid;
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
    // The cells gx0..gx1 of one grid row are consecutive, so their votes are one contiguous run of the
    // cell-ordered coordinates: one loop per row, in the same order (and sums) as cell by cell.
    for (let gy = Math.max(0, Math.floor((my - bandwidth - originY) / cell)); gy <= gy1; gy++) {
      const end = start[gy * cols + gx1 + 1]!;
      for (let k = start[gy * cols + gx0]!; k < end; k++) {
        const dx = xs[k]! - mx;
        const dy = ys[k]! - my;
        const d2 = dx * dx + dy * dy;
        if (d2 < b2) {
          const w = 1 - d2 / b2;
          sw += w;
          sx += w * xs[k]!;
          sy += w * ys[k]!;
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
