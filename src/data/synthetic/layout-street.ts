/**
 * Lays out a complete street from a seed: style and lighting, cross-section, buildings, vehicles, street
 * furniture, trees and people. The result depends on the seed only (not on the image size), so one seed
 * renders the same street at every resolution.
 *
 * @packageDocumentation
 */
import {
  GROUND_KERB,
  GROUND_ROAD,
  GROUND_SIDEWALK,
  GROUND_VERGE_LEFT,
  GROUND_VERGE_RIGHT,
  type Ground,
  type GroundRegion,
} from './ground.js';
import { LABEL } from './label-ids.js';
import { layoutBuildings } from './layout-buildings.js';
import { layoutPedestrians } from './layout-pedestrians.js';
import { layoutRoadside } from './layout-roadside.js';
import { layoutVehicles } from './layout-vehicles.js';
import {
  MATERIAL_ASPHALT,
  MATERIAL_GRASS,
  MATERIAL_PAVING,
  MATERIAL_PLAIN,
  Material,
  rgb255,
  type Rgb,
} from './material.js';
import { SeededRandom } from './random.js';
import { drawLighting, SCENE_STYLES } from './scene-style.js';
import { drawStreetPlan, type StreetPlan } from './street-plan.js';
import { StreetBuilder, type StreetScene } from './street-scene.js';

/** Paving colours: grey concrete, beige, red brick. */
const PAVING_COLOURS: readonly Rgb[] = [rgb255(150, 148, 144), rgb255(176, 166, 150), rgb255(150, 100, 90)];

/** Grey of `level` with a slight tint. */
function grey(level: number, rng: SeededRandom): Rgb {
  const tint = rng.range(-0.015, 0.015);
  return { r: level + tint, g: level, b: level - tint };
}

/** A paving material in one of the paving colours. */
function paving(rng: SeededRandom): Material {
  const c = rng.pick(PAVING_COLOURS);
  const k = rng.range(0.9, 1.1);
  const m = new Material(MATERIAL_PAVING, { r: c.r * k, g: c.g * k, b: c.b * k });
  m.secondary = { r: c.r * k * 0.72, g: c.g * k * 0.72, b: c.b * k * 0.72 };
  m.scale = rng.range(0.3, 0.6);
  m.variation = 0.08;
  m.seed = rng.int(0, 0xffff);
  return m;
}

/** The ground's regions (road, sidewalks, kerbs, verges) with their labels and materials. */
function drawGround(plan: StreetPlan, rng: SeededRandom): Ground {
  const road = new Material(MATERIAL_ASPHALT, grey(rng.range(0.26, 0.4), rng));
  road.secondary = rng.chance(0.85) ? rgb255(225, 225, 220) : rgb255(230, 200, 80);
  road.scale = rng.range(2, 5);
  road.variation = rng.range(0.06, 0.14);
  road.solidLines = plan.solidLines;
  road.dashedLines = plan.dashedLines;
  road.seed = rng.int(0, 0xffff);
  const sidewalk = paving(rng);
  const kerb = new Material(MATERIAL_PLAIN, grey(rng.range(0.5, 0.65), rng));
  kerb.scale = 0.3;
  const verge = (grass: boolean): GroundRegion => {
    if (!grass) return { labelId: LABEL.sidewalk, material: paving(rng) };
    const m = new Material(MATERIAL_GRASS, rgb255(rng.int(80, 110), rng.int(110, 140), rng.int(50, 70)));
    m.secondary = rgb255(rng.int(110, 140), rng.int(100, 120), rng.int(70, 90));
    m.scale = rng.range(0.5, 1.5);
    m.variation = 0.3;
    m.seed = rng.int(0, 0xffff);
    return { labelId: LABEL.terrain, material: m };
  };
  const regions: GroundRegion[] = [];
  regions[GROUND_ROAD] = { labelId: LABEL.road, material: road };
  regions[GROUND_SIDEWALK] = { labelId: LABEL.sidewalk, material: sidewalk };
  regions[GROUND_KERB] = { labelId: LABEL.sidewalk, material: kerb };
  regions[GROUND_VERGE_LEFT] = plan.grassLeft ? verge(true) : { labelId: LABEL.sidewalk, material: sidewalk };
  regions[GROUND_VERGE_RIGHT] = plan.grassRight
    ? verge(true)
    : { labelId: LABEL.sidewalk, material: sidewalk };
  return {
    roadHalfWidth: plan.roadHalfWidth,
    kerbHeight: plan.kerbHeight,
    sidewalkLeft: plan.sidewalkLeft,
    sidewalkRight: plan.sidewalkRight,
    regions,
  };
}

/**
 * Lays out the street of `seed`.
 *
 * Each part draws from its own forked generator, so that changing how one part is laid out does not change
 * the others.
 *
 * @param seed - 32-bit scene seed (see `sceneSeed`).
 */
export function layoutStreet(seed: number): StreetScene {
  const rng = new SeededRandom(seed);
  const style = rng.pick(SCENE_STYLES);
  const lighting = drawLighting(style, rng.fork());
  const plan = drawStreetPlan(rng.fork());
  const ground = drawGround(plan, rng.fork());
  const builder = new StreetBuilder();
  layoutBuildings(builder, plan, rng.fork(), lighting.litWindows);
  layoutVehicles(builder, plan, rng.fork());
  layoutRoadside(builder, plan, rng.fork());
  layoutPedestrians(builder, plan, rng.fork());
  return {
    style,
    camera: plan.camera,
    lighting,
    ground,
    primitives: builder.primitives,
    groups: builder.groups(),
    instances: builder.instances,
    textureSeed: rng.int(0, 0x7fffffff),
  };
}
