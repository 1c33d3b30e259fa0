/**
 * Lays out the street furniture and greenery: poles (bare, street lamps, signs, traffic lights) along the
 * kerbs, trees on sidewalks or verges, and hedges on grass verges.
 *
 * @packageDocumentation
 */
import { LABEL } from './label-ids.js';
import {
  MATERIAL_FOLIAGE,
  MATERIAL_PLAIN,
  MATERIAL_SIGN,
  MATERIAL_TRAFFIC_LIGHT,
  Material,
  rgb255,
  type Rgb,
} from './material.js';
import { FOLIAGE_COLOURS, jittered } from './palette.js';
import { SHAPE_BOX, SHAPE_CYLINDER_Y, SHAPE_SPHERE } from './primitive.js';
import type { SeededRandom } from './random.js';
import type { StreetPlan } from './street-plan.js';
import type { StreetBuilder } from './street-scene.js';

/**
 * How far ahead (metres) furniture and trees are placed. Why: beyond ~120 m they are below a pixel at
 * 256 px width.
 */
const ROADSIDE_MAX_Z = 120;

/** Sign plate face colours (blue information, white, yellow priority) with their borders. */
const SIGN_COLOURS: readonly (readonly [Rgb, Rgb])[] = [
  [rgb255(30, 80, 170), rgb255(240, 240, 240)],
  [rgb255(240, 240, 240), rgb255(200, 30, 30)],
  [rgb255(250, 200, 30), rgb255(240, 240, 240)],
  [rgb255(40, 120, 60), rgb255(240, 240, 240)],
];

/** A plain material with a little texture noise. */
function plain(base: Rgb, rng: SeededRandom, variation = 0.06): Material {
  const m = new Material(MATERIAL_PLAIN, base);
  m.variation = variation;
  m.scale = 0.5;
  m.seed = rng.int(0, 0xffff);
  return m;
}

/** Adds one pole at (x, z) on the sidewalk of `side`, with what it carries. */
function addPole(
  builder: StreetBuilder,
  plan: StreetPlan,
  rng: SeededRandom,
  side: -1 | 1,
  x: number,
  z: number,
): void {
  const kind = rng.pick(['bare', 'lamp', 'lamp', 'sign', 'sign', 'light'] as const);
  const radius = rng.range(0.05, 0.1);
  const height =
    kind === 'lamp' ? rng.range(6, 9) : kind === 'light' ? rng.range(3.2, 4.2) : rng.range(2.6, 4.5);
  const base = plan.kerbHeight;
  const grey = rng.range(0.3, 0.6);
  const metal = plain({ r: grey, g: grey, b: grey * 1.05 }, rng, 0.04);
  builder.beginGroup();
  builder.addStuff(
    { shape: SHAPE_CYLINDER_Y, x, y: base + height / 2, z, hx: radius, hy: height / 2, hz: radius },
    LABEL.pole,
    metal,
  );
  if (kind === 'lamp') {
    const arm = rng.range(1.2, 2.2);
    const top = base + height;
    builder.addStuff(
      { shape: SHAPE_BOX, x: x - side * (arm / 2), y: top - 0.04, z, hx: arm / 2, hy: 0.04, hz: 0.04 },
      LABEL.pole,
      metal,
    );
    builder.addStuff(
      { shape: SHAPE_BOX, x: x - side * arm, y: top - 0.1, z, hx: 0.3, hy: 0.07, hz: 0.14 },
      LABEL.pole,
      metal,
    );
  } else if (kind === 'sign') {
    const [face, border] = rng.pick(SIGN_COLOURS);
    const m = new Material(MATERIAL_SIGN, face);
    m.secondary = border;
    const half = rng.range(0.25, 0.4);
    builder.addStuff(
      {
        shape: SHAPE_BOX,
        x,
        y: base + height - half - rng.range(0, 0.4),
        z: z - radius - 0.03,
        hx: half,
        hy: half * rng.range(0.7, 1.1),
        hz: 0.02,
      },
      LABEL.trafficSign,
      m,
    );
  } else if (kind === 'light') {
    const m = new Material(MATERIAL_TRAFFIC_LIGHT, rgb255(30, 32, 30));
    m.pattern = rng.int(0, 2);
    builder.addStuff(
      { shape: SHAPE_BOX, x, y: base + height + 0.45, z: z - radius - 0.1, hx: 0.16, hy: 0.45, hz: 0.12 },
      LABEL.trafficLight,
      m,
    );
  }
  builder.endGroup();
}

/** Adds one tree with its trunk base at (x, groundY, z). */
function addTree(builder: StreetBuilder, rng: SeededRandom, x: number, groundY: number, z: number): void {
  const trunkRadius = rng.range(0.12, 0.22);
  const trunkHeight = rng.range(2, 3.6);
  const bark = plain(rgb255(rng.int(70, 100), rng.int(56, 72), rng.int(40, 50)), rng, 0.1);
  builder.beginGroup();
  builder.addStuff(
    {
      shape: SHAPE_CYLINDER_Y,
      x,
      y: groundY + trunkHeight / 2,
      z,
      hx: trunkRadius,
      hy: trunkHeight / 2,
      hz: trunkRadius,
    },
    LABEL.vegetation,
    bark,
  );
  const leaves = new Material(MATERIAL_FOLIAGE, jittered(FOLIAGE_COLOURS, rng, 0.06));
  leaves.secondary = jittered(FOLIAGE_COLOURS, rng, 0.06);
  leaves.scale = rng.range(0.25, 0.45);
  leaves.variation = 0.35;
  leaves.seed = rng.int(0, 0xffff);
  const radius = rng.range(1.3, 2.6);
  const blobs = rng.int(1, 3);
  for (let i = 0; i < blobs; i++) {
    const r = i === 0 ? radius : radius * rng.range(0.6, 0.85);
    const spread = i === 0 ? 0 : radius * 0.7;
    builder.addStuff(
      {
        shape: SHAPE_SPHERE,
        x: x + rng.range(-spread, spread),
        y: groundY + trunkHeight + radius * 0.6 + rng.range(-spread, spread) * 0.5,
        z: z + rng.range(-spread, spread),
        hx: r,
        hy: r,
        hz: r,
      },
      LABEL.vegetation,
      leaves,
    );
  }
  builder.endGroup();
}

/** Adds poles, trees and hedges on both sides of the street. */
export function layoutRoadside(builder: StreetBuilder, plan: StreetPlan, rng: SeededRandom): void {
  const half = plan.roadHalfWidth;
  for (const side of [-1, 1] as const) {
    const sidewalk = side < 0 ? plan.sidewalkLeft : plan.sidewalkRight;
    const verge = side < 0 ? plan.vergeLeft : plan.vergeRight;
    const grass = side < 0 ? plan.grassLeft : plan.grassRight;
    const end = Math.min(plan.farZ, ROADSIDE_MAX_Z);

    // Poles along the kerb.
    const spacing = rng.range(12, 30);
    for (let z = rng.range(3, 15); z < end; z += spacing * rng.range(0.7, 1.3)) {
      const x = side * (half + rng.range(0.3, 0.6));
      if (plan.occupancy.reserve(x - 0.4, x + 0.4, z - 0.4, z + 0.4)) addPole(builder, plan, rng, side, x, z);
    }

    // Trees: on a grass verge if there is room, else on a wide sidewalk.
    const onVerge = grass && verge > 1.6;
    if ((onVerge || sidewalk > 2.6) && rng.chance(0.6)) {
      const x = onVerge ? side * (half + sidewalk + verge / 2) : side * (half + sidewalk * 0.7);
      const treeSpacing = rng.range(7, 14);
      for (let z = rng.range(2, 10); z < end; z += treeSpacing * rng.range(0.8, 1.25)) {
        if (rng.chance(0.15)) continue;
        const tx = x + rng.range(-0.2, 0.2);
        if (plan.occupancy.reserve(tx - 0.6, tx + 0.6, z - 0.6, z + 0.6)) {
          addTree(builder, rng, tx, plan.kerbHeight, z);
        }
      }
    }

    // Hedges on grass verges.
    if (grass && verge > 1.2 && rng.chance(0.45)) {
      const width = Math.min(verge * 0.6, rng.range(0.7, 1.3));
      const x = side * (half + sidewalk + verge / 2);
      const hedge = new Material(MATERIAL_FOLIAGE, jittered(FOLIAGE_COLOURS, rng));
      hedge.secondary = jittered(FOLIAGE_COLOURS, rng);
      hedge.scale = 0.2;
      hedge.variation = 0.3;
      hedge.seed = rng.int(0, 0xffff);
      for (let z = rng.range(-5, 10); z < end;) {
        const length = rng.range(3, 15);
        if (plan.occupancy.reserve(x - width / 2, x + width / 2, z, z + length)) {
          const height = rng.range(0.7, 1.4);
          builder.addStuff(
            {
              shape: SHAPE_BOX,
              x,
              y: plan.kerbHeight + height / 2,
              z: z + length / 2,
              hx: width / 2,
              hy: height / 2,
              hz: length / 2,
            },
            LABEL.vegetation,
            hedge,
          );
        }
        z += length + rng.range(1, 8);
      }
    }
  }
}
