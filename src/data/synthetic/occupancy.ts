/**
 * Ground-plan bookkeeping for the layout: rectangles (in X and Z) already taken by an object, so that cars,
 * people, poles and trees are not placed inside each other.
 *
 * @packageDocumentation
 */

/** A set of axis-aligned rectangles on the ground plane. */
export class Occupancy {
  private readonly rects: number[] = [];

  /** Whether the rectangle [x0, x1] x [z0, z1] overlaps nothing taken so far. */
  isFree(x0: number, x1: number, z0: number, z1: number): boolean {
    const r = this.rects;
    for (let i = 0; i < r.length; i += 4) {
      if (x0 < r[i + 1]! && x1 > r[i]! && z0 < r[i + 3]! && z1 > r[i + 2]!) return false;
    }
    return true;
  }

  /** Takes the rectangle if it is free; returns whether it was. */
  reserve(x0: number, x1: number, z0: number, z1: number): boolean {
    if (!this.isFree(x0, x1, z0, z1)) return false;
    this.rects.push(x0, x1, z0, z1);
    return true;
  }
}
