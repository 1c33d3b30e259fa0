/**
 * Lays out the buildings: a row of facades on each side of the street (varying length, height, setback and
 * window pattern, with occasional gaps) and the facade or tree line that closes the street.
 *
 * @packageDocumentation
 */
import { LABEL } from './label-ids.js';
import { MATERIAL_FACADE, MATERIAL_FOLIAGE, Material } from './material.js';
import { FACADE_COLOURS, FOLIAGE_COLOURS, WINDOW_COLOURS, jittered } from './palette.js';
import { SHAPE_BOX, type PrimitiveSpec } from './primitive.js';
import type { SeededRandom } from './random.js';
import { buildingLineX, type StreetPlan } from './street-plan.js';
import type { StreetBuilder } from './street-scene.js';

/**
 * Where the building rows start, metres behind the camera. Why behind: the first facades must already fill
 * the image edges, and they cast shadows forward.
 */
const ROW_START_Z = -40;

/** A facade material with a random colour and window grid. */
export function facadeMaterial(rng: SeededRandom, litWindows: number): Material {
  const m = new Material(MATERIAL_FACADE, jittered(FACADE_COLOURS, rng));
  m.secondary = jittered(WINDOW_COLOURS, rng, 0.03);
  m.variation = rng.range(0.04, 0.12);
  m.scale = rng.range(1.8, 3.4);
  m.floorHeight = rng.range(2.9, 3.8);
  m.windowWidth = rng.range(0.35, 0.65);
  m.windowHeight = rng.range(0.4, 0.65);
  m.litFraction = litWindows;
  m.pattern = rng.chance(0.5) ? 1 : 0;
  m.seed = rng.int(0, 0xffff);
  return m;
}

/** Adds both building rows and the street's far end. */
export function layoutBuildings(
  builder: StreetBuilder,
  plan: StreetPlan,
  rng: SeededRandom,
  litWindows: number,
): void {
  for (const side of [-1, 1] as const) {
    const line = Math.abs(buildingLineX(plan, side));
    let z = ROW_START_Z;
    while (z < plan.farZ) {
      if (z > 0 && rng.chance(0.15)) {
        z += rng.range(3, 12);
        continue;
      }
      const length = Math.min(rng.range(8, 30), plan.farZ - z);
      const setback = rng.chance(0.6) ? 0 : rng.range(0.5, 3);
      const depth = rng.range(10, 20);
      const height = rng.range(7, 30);
      const x0 = line + setback;
      builder.addStuff(
        {
          shape: SHAPE_BOX,
          x: side * (x0 + depth / 2),
          y: height / 2,
          z: z + length / 2,
          hx: depth / 2,
          hy: height / 2,
          hz: length / 2,
        },
        LABEL.building,
        facadeMaterial(rng, litWindows),
      );
      z += length;
    }
  }

  // The far end: a facade across the street, or (less often) a tree line with the sky above it.
  if (rng.chance(0.25)) {
    const m = new Material(MATERIAL_FOLIAGE, jittered(FOLIAGE_COLOURS, rng));
    m.secondary = jittered(FOLIAGE_COLOURS, rng);
    m.scale = 1.5;
    m.variation = 0.3;
    m.seed = rng.int(0, 0xffff);
    builder.addStuff(farEndBox(plan, rng.range(6, 14)), LABEL.vegetation, m);
  } else {
    // Height before material: the order of the draws fixes a seed's dataset, byte for byte.
    const height = rng.range(6, 22);
    builder.addStuff(farEndBox(plan, height), LABEL.building, facadeMaterial(rng, litWindows));
  }
}

/** The block across the street's far end, `height` metres tall, standing on the ground. */
function farEndBox(plan: StreetPlan, height: number): PrimitiveSpec {
  const depth = 30;
  return {
    shape: SHAPE_BOX,
    x: 0,
    y: height / 2,
    z: plan.farZ + depth / 2,
    hx: 400,
    hy: height / 2,
    hz: depth / 2,
  };
}
