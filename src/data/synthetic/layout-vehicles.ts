/**
 * Lays out the vehicles: cars (and now and then a truck) parked along the kerbs and driving in the lanes,
 * both directions, at every distance, so that they overlap in the image.
 *
 * @packageDocumentation
 */
import { LABEL } from './label-ids.js';
import { MATERIAL_GLASS, MATERIAL_PAINT, MATERIAL_PLAIN, Material, rgb255, type Rgb } from './material.js';
import { CAR_COLOURS, jittered } from './palette.js';
import { SHAPE_BOX, SHAPE_CYLINDER_X, type PrimitiveSpec } from './primitive.js';
import type { SeededRandom } from './random.js';
import type { StreetPlan } from './street-plan.js';
import type { StreetBuilder } from './street-scene.js';

/** How far ahead (metres) vehicles are placed. Why: beyond ~100 m a car is a few pixels at 256 px width. */
const VEHICLE_MAX_Z = 100;

/**
 * Nearest centre distance of a car ahead in the camera's own lane, metres. Why: closer, its rear would fill
 * the lower image and hide the street (and its disparity would exceed what a 16-bit PNG holds at full size).
 */
const OWN_LANE_MIN_Z = 9;

/**
 * Nearest centre distance of a car in another lane, metres. Why: the camera then sees no car closer than
 * about 3 m (beside it, at the image edge), which keeps disparities at full CityScapes size below 160 px.
 */
const OTHER_LANE_MIN_Z = 5;

/**
 * Shape of one vehicle, metres, in its local frame (x right, y up, z forward, origin on the ground at its
 * centre). A car is a body box with a glass cabin on top; a truck is a cargo box behind a cab whose upper
 * part is glazed (`cabinLength` is then the cab's length and `bodyHeight` the cargo box's height).
 */
interface VehicleShape {
  kind: 'car' | 'truck';
  length: number;
  width: number;
  clearance: number;
  bodyHeight: number;
  cabinHeight: number;
  cabinLength: number;
  cabinOffset: number;
  wheelRadius: number;
}

/** A flat material. */
function flat(kind: number, base: Rgb, secondary?: Rgb): Material {
  const m = new Material(kind, base);
  m.variation = 0.02;
  if (secondary !== undefined) m.secondary = secondary;
  return m;
}

/** Draws the shape of a car (saloon, hatchback or van). */
function drawCarShape(rng: SeededRandom): VehicleShape {
  const van = rng.chance(0.15);
  const length = van ? rng.range(4.6, 5.3) : rng.range(3.7, 4.9);
  return {
    kind: 'car',
    length,
    width: van ? rng.range(1.85, 2.0) : rng.range(1.65, 1.9),
    clearance: rng.range(0.2, 0.3),
    bodyHeight: van ? rng.range(0.8, 1.0) : rng.range(0.5, 0.7),
    cabinHeight: van ? rng.range(0.8, 1.0) : rng.range(0.42, 0.58),
    cabinLength: length * (van ? rng.range(0.7, 0.8) : rng.range(0.45, 0.6)),
    cabinOffset: length * (van ? -0.08 : rng.range(-0.1, 0)),
    wheelRadius: rng.range(0.29, 0.34),
  };
}

/** Draws the shape of a truck. */
function drawTruckShape(rng: SeededRandom): VehicleShape {
  return {
    kind: 'truck',
    length: rng.range(6.5, 9),
    width: rng.range(2.3, 2.5),
    clearance: rng.range(0.45, 0.6),
    bodyHeight: rng.range(2.4, 3.2),
    cabinHeight: rng.range(2.1, 2.5),
    cabinLength: rng.range(1.9, 2.4),
    cabinOffset: 0,
    wheelRadius: rng.range(0.45, 0.52),
  };
}

/** Draws a vehicle shape: mostly cars, now and then a truck. */
function drawVehicleShape(rng: SeededRandom): VehicleShape {
  return rng.chance(0.06) ? drawTruckShape(rng) : drawCarShape(rng);
}

/**
 * Adds one vehicle (body, cabin, wheels, head and tail lights) as one instance.
 *
 * @param x - World X of the centre.
 * @param z - World Z of the centre.
 * @param yaw - Heading; 0 drives away from the camera, π towards it.
 */
function addVehicle(
  builder: StreetBuilder,
  rng: SeededRandom,
  shape: VehicleShape,
  x: number,
  z: number,
  yaw: number,
): void {
  const slot = builder.beginInstance(shape.kind === 'car' ? LABEL.car : LABEL.truck, shape.kind);
  const c = Math.cos(yaw);
  const s = Math.sin(yaw);
  const paintColour = jittered(CAR_COLOURS, rng, 0.03);
  const paint = flat(MATERIAL_PAINT, paintColour);
  // Glass with the paint as "secondary": the roof (an upward face of the glass box) is painted.
  const glass = flat(MATERIAL_GLASS, rgb255(28, 34, 40), paintColour);
  const tyre = flat(MATERIAL_PLAIN, rgb255(22, 22, 24));
  const headLight = flat(MATERIAL_PLAIN, rgb255(235, 235, 220));
  const tailLight = flat(MATERIAL_PLAIN, rgb255(170, 20, 20));
  /** Adds a part given in the vehicle's local frame. */
  const part = (
    kind: number,
    lx: number,
    ly: number,
    lz: number,
    hx: number,
    hy: number,
    hz: number,
    m: Material,
  ) => {
    const spec: PrimitiveSpec = {
      shape: kind,
      x: x + c * lx + s * lz,
      y: ly,
      z: z - s * lx + c * lz,
      hx,
      hy,
      hz,
      yaw,
    };
    builder.addPart(slot, spec, m);
  };
  const { length, width, clearance, bodyHeight, cabinHeight, cabinLength, cabinOffset, wheelRadius } = shape;
  let lightY: number;
  if (shape.kind === 'car') {
    part(SHAPE_BOX, 0, clearance + bodyHeight / 2, 0, width / 2, bodyHeight / 2, length / 2, paint);
    const cabinY = clearance + bodyHeight + cabinHeight / 2;
    part(SHAPE_BOX, 0, cabinY, cabinOffset, width / 2 - 0.08, cabinHeight / 2, cabinLength / 2, glass);
    lightY = clearance + bodyHeight * 0.72;
  } else {
    const cargoLength = length - cabinLength - 0.15;
    const cargoZ = -length / 2 + cargoLength / 2;
    part(SHAPE_BOX, 0, clearance + bodyHeight / 2, cargoZ, width / 2, bodyHeight / 2, cargoLength / 2, paint);
    const cabZ = length / 2 - cabinLength / 2;
    const lower = cabinHeight * 0.55;
    part(SHAPE_BOX, 0, clearance + lower / 2, cabZ, width / 2 - 0.05, lower / 2, cabinLength / 2, paint);
    const upper = cabinHeight - lower;
    const upperY = clearance + lower + upper / 2;
    part(SHAPE_BOX, 0, upperY, cabZ - 0.05, width / 2 - 0.08, upper / 2, cabinLength / 2 - 0.05, glass);
    lightY = clearance + 0.35;
  }
  const axle = length / 2 - Math.max(0.75, length * 0.17);
  for (const lz of [-axle, axle]) {
    part(SHAPE_CYLINDER_X, 0, wheelRadius, lz, width / 2 - 0.02, wheelRadius, wheelRadius, tyre);
  }
  for (const lx of [-(width / 2 - 0.25), width / 2 - 0.25]) {
    part(SHAPE_BOX, lx, lightY, length / 2 + 0.01, 0.16, 0.06, 0.02, headLight);
    part(SHAPE_BOX, lx, lightY, -length / 2 - 0.01, 0.16, 0.06, 0.02, tailLight);
  }
  builder.endGroup();
}

/** Heading of traffic driving in `direction` (+1 away from the camera), with a small random deviation. */
function heading(direction: 1 | -1, rng: SeededRandom, jitter: number): number {
  return (direction > 0 ? 0 : Math.PI) + rng.range(-jitter, jitter);
}

/** Adds parked and driving vehicles. */
export function layoutVehicles(builder: StreetBuilder, plan: StreetPlan, rng: SeededRandom): void {
  const half = plan.roadHalfWidth;
  const end = Math.min(plan.farZ - 10, VEHICLE_MAX_Z);
  const twoWay = plan.lanes.some((lane) => lane.direction < 0);

  // Driving traffic first, starting with a car ahead in the camera's own lane.
  for (const lane of plan.lanes) {
    const own = Math.abs(lane.x - plan.camera.x) < lane.width / 2;
    let count = rng.int(0, 3);
    if (own && count === 0 && rng.chance(0.8)) count = 1;
    for (let i = 0; i < count; i++) {
      const shape = drawVehicleShape(rng);
      const z = own ? rng.range(OWN_LANE_MIN_Z, 45) + i * rng.range(8, 25) : rng.range(OTHER_LANE_MIN_Z, end);
      const x = lane.x + rng.range(-0.3, 0.3);
      const halfL = shape.length / 2 + 0.5;
      const halfW = shape.width / 2 + 0.2;
      if (z < end && plan.occupancy.reserve(x - halfW, x + halfW, z - halfL, z + halfL)) {
        addVehicle(builder, rng, shape, x, z, heading(lane.direction, rng, 0.03));
      }
    }
  }

  // Parked rows along the kerbs, nose to tail with small gaps.
  for (const side of [-1, 1] as const) {
    if (!(side < 0 ? plan.parkingLeft : plan.parkingRight)) continue;
    const direction: 1 | -1 = side < 0 && twoWay ? -1 : 1;
    let z = rng.range(-6, 6);
    while (z < end) {
      if (rng.chance(0.25)) {
        z += rng.range(2, 10);
        continue;
      }
      // Only cars park: a truck is wider than the parking strip and would stand in the lane.
      const shape = drawCarShape(rng);
      const x = side * (half - 0.25 - shape.width / 2 - rng.range(0, 0.15));
      const zc = z + shape.length / 2;
      if (plan.occupancy.reserve(x - shape.width / 2, x + shape.width / 2, z, z + shape.length)) {
        addVehicle(builder, rng, shape, x, zc, heading(direction, rng, 0.05));
      }
      z += shape.length + rng.range(0.5, 3);
    }
  }
}
