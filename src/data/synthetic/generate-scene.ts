/**
 * One synthetic scene in memory: lays out the street of a seed and scene index, renders it at the requested
 * size, and derives the CityScapes-style maps (instance ids, disparity) and the camera file.
 *
 * @packageDocumentation
 */
import { INSTANCE_ID_DIVISOR } from '../cityscapes-labels.js';
import { CITYSCAPES_CAMERA, scaledIntrinsic, type CameraFile } from './camera.js';
import { layoutStreet } from './layout-street.js';
import { hashSeed } from './random.js';
import { renderStreet } from './ray-caster.js';
import { assertIntegerOption, assertSceneSize, MAX_SEED } from './scene-options.js';
import type { InstanceKind } from './street-scene.js';

/** What {@link generateScene} needs. */
export interface SceneOptions {
  /** Image width in pixels (1-4096). */
  width: number;
  /** Image height in pixels (1-4096). */
  height: number;
  /** Dataset seed, an integer from 0 to 2^32 - 1. */
  seed: number;
  /** Scene index within the dataset, an integer from 0 to 2^32 - 1. */
  index: number;
}

/** One object instance visible in a scene. */
export interface SceneInstance {
  /** Its value in `instanceIds`: `labelId * 1000 + index`, indices counting from 0 per class. */
  id: number;
  /** CityScapes label id. */
  labelId: number;
  kind: InstanceKind;
  /** Pixels where it is the nearest surface. */
  visiblePixels: number;
  /** Pixels it would cover with nothing in front; `1 - visible / projected` is its occluded fraction. */
  projectedPixels: number;
}

/** A rendered scene: the images of a CityScapes sample, in memory, plus exact depth. */
export interface Scene {
  width: number;
  height: number;
  /** CityScapes city directory of the scene's style, e.g. `synthetic-noon`. */
  city: string;
  /** RGB, 8 bits per channel, interleaved, row-major. */
  rgb: Uint8Array;
  /** CityScapes label id per pixel. */
  labelIds: Uint8Array;
  /** `labelId * 1000 + index` on thing pixels (person, car, truck), the label id elsewhere. */
  instanceIds: Uint16Array;
  /** Depth along the optical axis, metres; 0 on sky. */
  depth: Float32Array;
  /** Disparity `fx * baseline / depth` in pixels; 0 on sky. */
  disparity: Float32Array;
  /** Camera of the scene, as written to its `_camera.json`. */
  camera: CameraFile;
  /** The visible instances, in `instanceIds` order of creation. */
  instances: SceneInstance[];
}

/**
 * The seed a scene's street is laid out from. Why hashed: scenes `i` and `i + 1` (and seeds `s` and `s + 1`)
 * must be unrelated, and each scene must not depend on the others, so any one can be generated alone.
 */
export function sceneSeed(seed: number, index: number): number {
  return hashSeed(seed, index);
}

/**
 * Generates scene `index` of the dataset `seed` at `width` x `height`.
 *
 * The street depends only on `seed` and `index`; the size only changes the resolution it is rendered at.
 * Same options, same bytes.
 *
 * @throws {@link ValidationError} naming the first invalid option.
 */
export function generateScene(options: SceneOptions): Scene {
  const { width, height, seed, index } = options;
  assertSceneSize(width, height);
  assertIntegerOption('seed', seed, 0, MAX_SEED);
  assertIntegerOption('index', index, 0, MAX_SEED);
  const street = layoutStreet(sceneSeed(seed, index));
  const intrinsic = scaledIntrinsic(width, height);
  const rendered = renderStreet(street, width, height, intrinsic);
  const camera: CameraFile = {
    extrinsic: {
      baseline: CITYSCAPES_CAMERA.baseline,
      pitch: street.camera.pitch,
      roll: 0,
      yaw: street.camera.yaw,
      x: 0,
      y: -street.camera.x,
      z: street.camera.height,
    },
    intrinsic,
  };

  // Instance ids: the visible instances of each class numbered from 0, in creation order.
  const idOfSlot = new Uint16Array(street.instances.length + 1);
  const nextIndex = new Map<number, number>();
  const instances: SceneInstance[] = [];
  for (const spec of street.instances) {
    const visiblePixels = rendered.visiblePixels[spec.slot]!;
    if (visiblePixels === 0) continue;
    const n = nextIndex.get(spec.labelId) ?? 0;
    nextIndex.set(spec.labelId, n + 1);
    const id = spec.labelId * INSTANCE_ID_DIVISOR + n;
    idOfSlot[spec.slot] = id;
    instances.push({
      id,
      labelId: spec.labelId,
      kind: spec.kind,
      visiblePixels,
      projectedPixels: rendered.projectedPixels[spec.slot]!,
    });
  }
  const pixels = width * height;
  const instanceIds = new Uint16Array(pixels);
  const disparity = new Float32Array(pixels);
  const focalBaseline = intrinsic.fx * CITYSCAPES_CAMERA.baseline;
  for (let i = 0; i < pixels; i++) {
    const slot = rendered.slots[i]!;
    instanceIds[i] = slot > 0 ? idOfSlot[slot]! : rendered.labelIds[i]!;
    const z = rendered.depth[i]!;
    disparity[i] = z > 0 ? focalBaseline / z : 0;
  }
  return {
    width,
    height,
    city: street.style.city,
    rgb: rendered.rgb,
    labelIds: rendered.labelIds,
    instanceIds,
    depth: rendered.depth,
    disparity,
    camera,
    instances,
  };
}
