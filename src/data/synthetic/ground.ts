/**
 * The street's ground, intersected analytically: the road at height 0 between the kerbs, raised sidewalks
 * (kerb faces included) beside it, and a verge (grass or paving) beyond the sidewalks.
 *
 * @packageDocumentation
 */
import type { Material } from './material.js';

/** The road surface between the kerbs. */
export const GROUND_ROAD = 0;
/** The top of a sidewalk. */
export const GROUND_SIDEWALK = 1;
/** The vertical kerb face between road and sidewalk. */
export const GROUND_KERB = 2;
/** Ground beyond the left sidewalk. */
export const GROUND_VERGE_LEFT = 3;
/** Ground beyond the right sidewalk. */
export const GROUND_VERGE_RIGHT = 4;

/** One region of the ground: its label and material, indexed by the `GROUND_*` constants. */
export interface GroundRegion {
  labelId: number;
  material: Material;
}

/** Cross-section of the street (the same at every Z). */
export interface Ground {
  /** Half the road width, metres: the kerbs are at X = ±roadHalfWidth. */
  roadHalfWidth: number;
  /** Height of the sidewalks above the road, metres. */
  kerbHeight: number;
  /** Sidewalk widths, metres. */
  sidewalkLeft: number;
  sidewalkRight: number;
  /** Label and material of each region, indexed by `GROUND_*`. */
  regions: readonly GroundRegion[];
}

/** Where a ray meets the ground: written by {@link intersectGround}. */
export interface GroundHit {
  t: number;
  region: number;
  nx: number;
}

/**
 * Intersects the ray `o + t d` (origin above the road, between the kerbs) with the ground.
 *
 * @param out - Receives the ray parameter (`Infinity` for a ray that does not descend), the region and the
 *   normal's X component (±1 on a kerb face, 0 elsewhere; the normal is +Y except on kerbs).
 */
export function intersectGround(
  ground: Ground,
  ox: number,
  oy: number,
  dx: number,
  dy: number,
  out: GroundHit,
): void {
  out.nx = 0;
  if (dy >= 0) {
    out.t = Infinity;
    out.region = GROUND_ROAD;
    return;
  }
  const half = ground.roadHalfWidth;
  const raised = (ground.kerbHeight - oy) / dy;
  const xRaised = ox + raised * dx;
  if (xRaised <= -half || xRaised >= half) {
    out.t = raised;
    if (xRaised < -half - ground.sidewalkLeft) out.region = GROUND_VERGE_LEFT;
    else if (xRaised > half + ground.sidewalkRight) out.region = GROUND_VERGE_RIGHT;
    else out.region = GROUND_SIDEWALK;
    return;
  }
  const road = -oy / dy;
  const xRoad = ox + road * dx;
  if (xRoad > -half && xRoad < half) {
    out.t = road;
    out.region = GROUND_ROAD;
    return;
  }
  // Between the two heights the ray crossed a kerb line: it hits the kerb face.
  const side = xRoad >= half ? 1 : -1;
  out.t = (side * half - ox) / dx;
  out.region = GROUND_KERB;
  out.nx = -side;
}
