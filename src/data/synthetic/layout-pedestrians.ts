/**
 * Lays out the people: walking on the sidewalks (alone or in pairs, so they overlap), and now and then
 * crossing the road between the cars.
 *
 * @packageDocumentation
 */
import { LABEL } from './label-ids.js';
import { CITYSCAPES_CAMERA } from './camera.js';
import { MATERIAL_PLAIN, Material, rgb255, type Rgb } from './material.js';
import { CLOTHES_COLOURS, SKIN_COLOURS, jittered } from './palette.js';
import { SHAPE_BOX, SHAPE_CYLINDER_Y, SHAPE_SPHERE } from './primitive.js';
import type { SeededRandom } from './random.js';
import type { StreetPlan } from './street-plan.js';
import type { StreetBuilder } from './street-scene.js';

/** Hair colours. */
const HAIR_COLOURS: readonly Rgb[] = [
  rgb255(30, 24, 20),
  rgb255(70, 50, 30),
  rgb255(150, 110, 60),
  rgb255(180, 180, 180),
];

/**
 * Tangent of the narrower half of the horizontal field of view (the right side of CityScapes' frame:
 * (2048 - u0) / fx ≈ 0.42), less a margin. Why: the first people are placed where the camera sees them.
 */
const VIEW_SLOPE = ((CITYSCAPES_CAMERA.width - CITYSCAPES_CAMERA.u0) / CITYSCAPES_CAMERA.fx) * 0.85;

/** A clothes or skin material. */
function cloth(base: Rgb, rng: SeededRandom): Material {
  const m = new Material(MATERIAL_PLAIN, base);
  m.variation = 0.05;
  m.scale = 0.15;
  m.seed = rng.int(0, 0xffff);
  return m;
}

/**
 * Adds one person standing on the ground at height `baseY`, at (x, z), facing `yaw` (0: away from the
 * camera): two legs, torso, arms, neck, head with hair, sometimes a backpack.
 */
export function addPerson(
  builder: StreetBuilder,
  rng: SeededRandom,
  x: number,
  baseY: number,
  z: number,
  yaw: number,
): void {
  const slot = builder.beginInstance(LABEL.person, 'person');
  const height = rng.range(1.5, 1.95);
  const k = height / 1.75;
  const skin = cloth(jittered(SKIN_COLOURS, rng, 0.03), rng);
  const top = cloth(jittered(CLOTHES_COLOURS, rng), rng);
  const trousers = cloth(jittered(CLOTHES_COLOURS, rng), rng);
  const hair = cloth(rng.pick(HAIR_COLOURS), rng);
  // Local axes in the world: right = (c, -s), forward = (s, c) (X, Z components).
  const c = Math.cos(yaw);
  const s = Math.sin(yaw);
  const at = (right: number, forward: number): { x: number; z: number } => ({
    x: x + c * right + s * forward,
    z: z - s * right + c * forward,
  });
  const legTop = 0.47 * height;
  const stride = rng.range(-0.18, 0.18) * k;
  for (const side of [-1, 1]) {
    const p = at(side * 0.09 * k, side * stride);
    builder.addPart(
      slot,
      {
        shape: SHAPE_CYLINDER_Y,
        x: p.x,
        y: baseY + legTop / 2,
        z: p.z,
        hx: 0.065 * k,
        hy: legTop / 2,
        hz: 0.065 * k,
      },
      trousers,
    );
  }
  const torsoRadius = rng.range(0.16, 0.2) * k;
  const torsoTop = 0.82 * height;
  builder.addPart(
    slot,
    {
      shape: SHAPE_CYLINDER_Y,
      x,
      y: baseY + (legTop + torsoTop) / 2 - 0.02,
      z,
      hx: torsoRadius,
      hy: (torsoTop - legTop) / 2 + 0.02,
      hz: torsoRadius,
    },
    top,
  );
  const sleeves = rng.chance(0.7) ? top : skin;
  const armLength = 0.33 * height;
  for (const side of [-1, 1]) {
    const p = at(side * (torsoRadius + 0.05 * k), -side * stride * 0.6);
    builder.addPart(
      slot,
      {
        shape: SHAPE_CYLINDER_Y,
        x: p.x,
        y: baseY + torsoTop - 0.03 - armLength / 2,
        z: p.z,
        hx: 0.045 * k,
        hy: armLength / 2,
        hz: 0.045 * k,
      },
      sleeves,
    );
  }
  const headRadius = 0.068 * height;
  const headY = baseY + height - headRadius;
  builder.addPart(
    slot,
    {
      shape: SHAPE_CYLINDER_Y,
      x,
      y: (baseY + torsoTop + headY) / 2,
      z,
      hx: 0.05 * k,
      hy: (headY - baseY - torsoTop) / 2,
      hz: 0.05 * k,
    },
    skin,
  );
  builder.addPart(
    slot,
    { shape: SHAPE_SPHERE, x, y: headY, z, hx: headRadius, hy: headRadius, hz: headRadius },
    skin,
  );
  const back = at(0, -0.2 * headRadius);
  builder.addPart(
    slot,
    {
      shape: SHAPE_SPHERE,
      x: back.x,
      y: headY + 0.18 * headRadius,
      z: back.z,
      hx: headRadius * 0.97,
      hy: headRadius * 0.97,
      hz: headRadius * 0.97,
    },
    hair,
  );
  if (rng.chance(0.25)) {
    const p = at(0, -(torsoRadius + 0.08 * k));
    builder.addPart(
      slot,
      {
        shape: SHAPE_BOX,
        x: p.x,
        y: baseY + torsoTop - 0.2 * k,
        z: p.z,
        hx: 0.16 * k,
        hy: 0.2 * k,
        hz: 0.09 * k,
        yaw,
      },
      cloth(jittered(CLOTHES_COLOURS, rng), rng),
    );
  }
  builder.endGroup();
}

/** A heading along the street (either way) with a little deviation. */
function walkingYaw(rng: SeededRandom): number {
  return (rng.chance(0.5) ? 0 : Math.PI) + rng.range(-0.4, 0.4);
}

/** Tries to place a person at (x, z); returns whether there was room. */
function tryPlace(
  builder: StreetBuilder,
  plan: StreetPlan,
  rng: SeededRandom,
  x: number,
  baseY: number,
  z: number,
  yaw: number,
): boolean {
  if (!plan.occupancy.reserve(x - 0.3, x + 0.3, z - 0.3, z + 0.3)) return false;
  addPerson(builder, rng, x, baseY, z, yaw);
  return true;
}

/** Adds the people of the street. */
export function layoutPedestrians(builder: StreetBuilder, plan: StreetPlan, rng: SeededRandom): void {
  const half = plan.roadHalfWidth;
  const end = Math.min(plan.farZ - 5, 70);
  for (const side of [-1, 1] as const) {
    const width = side < 0 ? plan.sidewalkLeft : plan.sidewalkRight;
    const count = rng.int(1, 5);
    for (let i = 0; i < count; i++) {
      const x = side * (half + rng.range(0.5, Math.max(0.6, width - 0.3)));
      // The first person of each side stands where the camera sees it; the others anywhere, more of
      // them near.
      const nearest = i === 0 ? Math.abs(x - plan.camera.x) / VIEW_SLOPE + 1 : 5;
      const z = nearest + (end - nearest) * rng.next() ** 1.6;
      const yaw = walkingYaw(rng);
      if (!tryPlace(builder, plan, rng, x, plan.kerbHeight, z, yaw)) continue;
      if (rng.chance(0.3)) {
        // A companion beside or just behind, so the two overlap in the image.
        const dx = side * rng.range(0.55, 0.75) * (rng.chance(0.5) ? 1 : -1);
        const cx = Math.abs(x + dx) > half + 0.3 ? x + dx : x - dx;
        tryPlace(
          builder,
          plan,
          rng,
          cx,
          plan.kerbHeight,
          z + rng.range(-0.8, 0.8),
          yaw + rng.range(-0.2, 0.2),
        );
      }
    }
  }
  if (rng.chance(0.35)) {
    const crossing = rng.int(1, 3);
    const z = rng.range(10, Math.max(12, Math.min(40, end)));
    for (let i = 0; i < crossing; i++) {
      const x = rng.range(-half + 0.5, half - 0.5);
      tryPlace(
        builder,
        plan,
        rng,
        x,
        0,
        z + rng.range(-1.5, 1.5),
        (x < 0 ? 1 : -1) * (Math.PI / 2) + rng.range(-0.2, 0.2),
      );
    }
  }
}
