/**
 * Density modes and a grid index over them for nearest-mode-within-a-radius queries.
 */

/** A density mode: position of the votes' centre and its kernel-weighted vote count. */
export interface Mode {
  x: number;
  y: number;
  support: number;
}

/**
 * Modes bucketed into square cells at least `radius` wide (linked lists over a dense grid), so that every
 * mode within `radius` of a point lies in the 3 x 3 cells around that point's cell.
 */
export class ModeIndex {
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
