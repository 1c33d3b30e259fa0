/**
 * The votes of one class bucketed into square cells, so that a mean shift reads only the votes near it.
 */
import type { ClassVotes } from './centroid-votes.js';

/** Votes bucketed into square cells (a counting sort), for fixed-radius neighbour queries. */
export interface VoteGrid {
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
  /** Vote coordinates in cell order (`xs[k] = votes.x[order[k]]`): the mean shift reads them contiguously. */
  xs: Float64Array;
  ys: Float64Array;
}

/** Buckets the votes of one class (at least one) into cells of side `cell` spanning their bounding box. */
export function buildVoteGrid(votes: ClassVotes, cell: number): VoteGrid {
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
  const xs = new Float64Array(n);
  const ys = new Float64Array(n);
  for (let k = 0; k < n; k++) {
    xs[k] = votes.x[order[k]!]!;
    ys[k] = votes.y[order[k]!]!;
  }
  return { cell, originX, originY, cols, rows, start, order, xs, ys };
}

/**
 * Index of the cell holding (x, y), clamped to the grid: a weighted mean of votes can overshoot their
 * bounding box by a rounding error.
 */
export function cellIndex(grid: VoteGrid, x: number, y: number): number {
  const gx = Math.min(grid.cols - 1, Math.max(0, Math.floor((x - grid.originX) / grid.cell)));
  const gy = Math.min(grid.rows - 1, Math.max(0, Math.floor((y - grid.originY) / grid.cell)));
  return gy * grid.cols + gx;
}
