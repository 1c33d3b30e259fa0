/**
 * Broad phase for shadow rays: a grid in the plane perpendicular to the sun direction.
 *
 * A shadow ray travels along the sun direction, so its projection onto that plane is a single point: only
 * objects whose projected bounding box covers that point's cell can block it. Each cell lists those objects,
 * and a query tests just them (exactly, with the analytic intersections). Objects whose projection misses
 * the grid cannot shadow any point inside it, so they are left out; points outside the grid fall back to
 * testing every object.
 *
 * @packageDocumentation
 */
import { intersectPrimitive } from './intersect.js';
import type { Primitive } from './primitive.js';

/**
 * Target number of grid cells. Why 4096: a 64x64 grid over a street of ~100 m gives cells of 1-3 m, the size
 * of a car, so a cell holds a handful of objects; building it costs well under a millisecond.
 */
const TARGET_CELLS = 4096;

/** World-space region that holds every surface a shadow query can start from. */
export interface ShadowRegion {
  minX: number;
  maxX: number;
  minY: number;
  maxY: number;
  minZ: number;
  maxZ: number;
}

/** Projects the 8 corners of a box onto (e1, e2, l); returns [minA, maxA, minB, maxB, maxL]. */
function projectBox(
  minX: number,
  maxX: number,
  minY: number,
  maxY: number,
  minZ: number,
  maxZ: number,
  basis: Float64Array,
  out: Float64Array,
): void {
  out[0] = Infinity;
  out[1] = -Infinity;
  out[2] = Infinity;
  out[3] = -Infinity;
  out[4] = -Infinity;
  for (let c = 0; c < 8; c++) {
    const x = c & 1 ? maxX : minX;
    const y = c & 2 ? maxY : minY;
    const z = c & 4 ? maxZ : minZ;
    const a = x * basis[0]! + y * basis[1]! + z * basis[2]!;
    const b = x * basis[3]! + y * basis[4]! + z * basis[5]!;
    const h = x * basis[6]! + y * basis[7]! + z * basis[8]!;
    if (a < out[0]!) out[0] = a;
    if (a > out[1]!) out[1] = a;
    if (b < out[2]!) out[2] = b;
    if (b > out[3]!) out[3] = b;
    if (h > out[4]!) out[4] = h;
  }
}

/** Shadow-ray queries against a fixed set of objects and a fixed sun direction. */
export class ShadowGrid {
  private readonly primitives: readonly Primitive[];
  private readonly groups: readonly number[];
  /** e1 (3), e2 (3), sun direction (3). */
  private readonly basis = new Float64Array(9);
  /** Per object: highest projection onto the sun direction (a ray from a point above it cannot hit it). */
  private readonly reach: Float64Array;
  private readonly a0: number;
  private readonly b0: number;
  private readonly inverseCell: number;
  private readonly cellsA: number;
  private readonly cellsB: number;
  private readonly offsets: Int32Array;
  private readonly items: Int32Array;

  /**
   * @param primitives - All solids.
   * @param groups - Object ranges of `primitives` (see `StreetScene.groups`).
   * @param sun - Unit vector towards the sun, above the horizon.
   * @param region - Where shadow queries start from (the visible street).
   */
  constructor(
    primitives: readonly Primitive[],
    groups: readonly number[],
    sun: { x: number; y: number; z: number },
    region: ShadowRegion,
  ) {
    this.primitives = primitives;
    this.groups = groups;
    const horizontal = Math.hypot(sun.x, sun.z);
    // e1 = normalise(sun x up), or X for a sun at the zenith; e2 = sun x e1.
    const e1x = horizontal > 1e-9 ? -sun.z / horizontal : 1;
    const e1z = horizontal > 1e-9 ? sun.x / horizontal : 0;
    this.basis.set([e1x, 0, e1z, sun.y * e1z, sun.z * e1x - sun.x * e1z, -sun.y * e1x, sun.x, sun.y, sun.z]);

    const box = new Float64Array(5);
    projectBox(region.minX, region.maxX, region.minY, region.maxY, region.minZ, region.maxZ, this.basis, box);
    this.a0 = box[0]!;
    this.b0 = box[2]!;
    const extentA = box[1]! - box[0]!;
    const extentB = box[3]! - box[2]!;
    const cell = Math.max(0.25, Math.sqrt((extentA * extentB) / TARGET_CELLS));
    this.inverseCell = 1 / cell;
    this.cellsA = Math.max(1, Math.ceil(extentA / cell));
    this.cellsB = Math.max(1, Math.ceil(extentB / cell));

    const count = groups.length - 1;
    this.reach = new Float64Array(count);
    const spans = new Int32Array(count * 4);
    const cellCount = this.cellsA * this.cellsB;
    const offsets = new Int32Array(cellCount + 1);
    for (let g = 0; g < count; g++) {
      let minX = Infinity;
      let maxX = -Infinity;
      let minY = Infinity;
      let maxY = -Infinity;
      let minZ = Infinity;
      let maxZ = -Infinity;
      for (let i = groups[g]!; i < groups[g + 1]!; i++) {
        const p = primitives[i]!;
        minX = Math.min(minX, p.minX);
        maxX = Math.max(maxX, p.maxX);
        minY = Math.min(minY, p.minY);
        maxY = Math.max(maxY, p.maxY);
        minZ = Math.min(minZ, p.minZ);
        maxZ = Math.max(maxZ, p.maxZ);
      }
      projectBox(minX, maxX, minY, maxY, minZ, maxZ, this.basis, box);
      this.reach[g] = box[4]!;
      const ia0 = Math.max(0, Math.floor((box[0]! - this.a0) * this.inverseCell));
      const ia1 = Math.min(this.cellsA - 1, Math.floor((box[1]! - this.a0) * this.inverseCell));
      const ib0 = Math.max(0, Math.floor((box[2]! - this.b0) * this.inverseCell));
      const ib1 = Math.min(this.cellsB - 1, Math.floor((box[3]! - this.b0) * this.inverseCell));
      spans.set([ia0, ia1, ib0, ib1], g * 4);
      for (let ib = ib0; ib <= ib1; ib++) {
        for (let ia = ia0; ia <= ia1; ia++) offsets[ib * this.cellsA + ia + 1]!++;
      }
    }
    for (let c = 0; c < cellCount; c++) offsets[c + 1]! += offsets[c]!;
    const items = new Int32Array(offsets[cellCount]!);
    const fill = offsets.slice(0, cellCount);
    for (let g = 0; g < count; g++) {
      for (let ib = spans[g * 4 + 2]!; ib <= spans[g * 4 + 3]!; ib++) {
        for (let ia = spans[g * 4]!; ia <= spans[g * 4 + 1]!; ia++) items[fill[ib * this.cellsA + ia]!++] = g;
      }
    }
    this.offsets = offsets;
    this.items = items;
  }

  /**
   * Finds a solid that blocks the ray from `(x, y, z)` towards the sun.
   *
   * @param hint - A solid to try first (the last blocker found: neighbouring pixels usually share it), or -1.
   * @returns The index of a blocking solid, or -1 when the point is in sunlight.
   */
  findOccluder(x: number, y: number, z: number, hint: number): number {
    const basis = this.basis;
    const sx = basis[6]!;
    const sy = basis[7]!;
    const sz = basis[8]!;
    const primitives = this.primitives;
    if (hint >= 0 && intersectPrimitive(primitives[hint]!, x, y, z, sx, sy, sz) < Infinity) return hint;
    const h = x * sx + y * sy + z * sz;
    const ia = Math.floor((x * basis[0]! + y * basis[1]! + z * basis[2]! - this.a0) * this.inverseCell);
    const ib = Math.floor((x * basis[3]! + y * basis[4]! + z * basis[5]! - this.b0) * this.inverseCell);
    const groups = this.groups;
    if (ia < 0 || ib < 0 || ia >= this.cellsA || ib >= this.cellsB) {
      for (let g = 0; g < groups.length - 1; g++) {
        const hit = this.testGroup(g, h, x, y, z, hint);
        if (hit >= 0) return hit;
      }
      return -1;
    }
    const cell = ib * this.cellsA + ia;
    for (let j = this.offsets[cell]!; j < this.offsets[cell + 1]!; j++) {
      const hit = this.testGroup(this.items[j]!, h, x, y, z, hint);
      if (hit >= 0) return hit;
    }
    return -1;
  }

  /** Tests the solids of object `g` (skipping it if it lies entirely behind the point, seen from the sun). */
  private testGroup(g: number, h: number, x: number, y: number, z: number, hint: number): number {
    if (this.reach[g]! <= h) return -1;
    const sx = this.basis[6]!;
    const sy = this.basis[7]!;
    const sz = this.basis[8]!;
    for (let i = this.groups[g]!; i < this.groups[g + 1]!; i++) {
      if (i !== hint && intersectPrimitive(this.primitives[i]!, x, y, z, sx, sy, sz) < Infinity) return i;
    }
    return -1;
  }
}
