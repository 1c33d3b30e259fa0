/**
 * The cross-section and extent of a street: road, lanes, parking strips, sidewalks, verges, where the street
 * ends, and where the camera drives. The layout functions place objects relative to it.
 *
 * @packageDocumentation
 */
import { CITYSCAPES_CAMERA } from './camera.js';
import { Occupancy } from './occupancy.js';
import type { SeededRandom } from './random.js';
import type { CameraPose } from './street-scene.js';

/** One driving lane. */
export interface Lane {
  /** X of the lane centre, metres. */
  x: number;
  /** Lane width, metres. */
  width: number;
  /** +1: traffic drives away from the camera; -1: oncoming. */
  direction: 1 | -1;
}

/** The street's cross-section (the same at every Z) and its extent. */
export interface StreetPlan {
  /** Kerbs at X = ±roadHalfWidth. */
  roadHalfWidth: number;
  kerbHeight: number;
  sidewalkLeft: number;
  sidewalkRight: number;
  /** Width of the strip between sidewalk and building line, per side. */
  vergeLeft: number;
  vergeRight: number;
  /** Whether the verge is grass (terrain) rather than paving (sidewalk), per side. */
  grassLeft: boolean;
  grassRight: boolean;
  /** Whether a parking strip runs along the kerb, per side. */
  parkingLeft: boolean;
  parkingRight: boolean;
  lanes: readonly Lane[];
  /** X positions of solid and dashed lane markings. */
  solidLines: readonly number[];
  dashedLines: readonly number[];
  /** Z of the facade (or tree line) that closes the street. */
  farZ: number;
  camera: CameraPose;
  /** Ground-plan rectangles taken so far (shared by all layout functions). */
  occupancy: Occupancy;
}

/** Width of a parking strip, metres. Why: a parked car (up to 1.95 m wide) plus a little room to the kerb. */
export const PARKING_WIDTH = 2.3;

/**
 * Narrowest driving lane, metres. Why: European urban lanes are 2.75-3.5 m wide; below this the lanes would
 * be narrower than a truck.
 */
const MIN_LANE_WIDTH = 2.8;

/** Draws a street plan. */
export function drawStreetPlan(rng: SeededRandom): StreetPlan {
  const roadHalfWidth = rng.range(3.6, 8);
  const parkingLeft = roadHalfWidth > 4.6 && rng.chance(0.6);
  const parkingRight = roadHalfWidth > 4.6 && rng.chance(0.7);
  const left = -roadHalfWidth + (parkingLeft ? PARKING_WIDTH : 0);
  const right = roadHalfWidth - (parkingRight ? PARKING_WIDTH : 0);
  const count = Math.max(1, Math.floor((right - left) / MIN_LANE_WIDTH));
  const width = (right - left) / count;
  const oneWay = count === 1 || rng.chance(0.25);
  const lanes: Lane[] = [];
  for (let i = 0; i < count; i++) {
    const x = left + (i + 0.5) * width;
    lanes.push({ x, width, direction: oneWay || x > 0 ? 1 : -1 });
  }
  const solidLines: number[] = [];
  const dashedLines: number[] = [];
  for (let i = 1; i < count; i++) {
    const x = left + i * width;
    if (lanes[i - 1]!.direction !== lanes[i]!.direction) solidLines.push(x);
    else dashedLines.push(x);
  }
  if (rng.chance(0.6)) solidLines.push(left + 0.25, right - 0.25);

  const ownLanes = lanes.filter((lane) => lane.direction === 1);
  const lane = rng.pick(ownLanes);
  const camera: CameraPose = {
    x: lane.x + rng.range(-0.25, 0.25),
    height: CITYSCAPES_CAMERA.mountHeight + rng.range(-0.08, 0.12),
    pitch: rng.range(0, 0.05),
    yaw: rng.range(-0.04, 0.04),
  };
  const grassLeft = rng.chance(0.4);
  const grassRight = rng.chance(0.4);
  return {
    roadHalfWidth,
    kerbHeight: rng.range(0.1, 0.18),
    sidewalkLeft: rng.range(1.8, 4.5),
    sidewalkRight: rng.range(1.8, 4.5),
    vergeLeft: grassLeft ? rng.range(1, 5) : rng.range(0, 2),
    vergeRight: grassRight ? rng.range(1, 5) : rng.range(0, 2),
    grassLeft,
    grassRight,
    parkingLeft,
    parkingRight,
    lanes,
    solidLines,
    dashedLines,
    farZ: rng.range(90, 300),
    camera,
    occupancy: new Occupancy(),
  };
}

/** X of the outer edge of the sidewalk on `side` (-1 left, +1 right), metres from the centre line. */
export function sidewalkOuterX(plan: StreetPlan, side: -1 | 1): number {
  return side * (plan.roadHalfWidth + (side < 0 ? plan.sidewalkLeft : plan.sidewalkRight));
}

/** X of the building line on `side` (-1 left, +1 right): beyond the sidewalk and the verge. */
export function buildingLineX(plan: StreetPlan, side: -1 | 1): number {
  const verge = side < 0 ? plan.vergeLeft : plan.vergeRight;
  return sidewalkOuterX(plan, side) + side * verge;
}
