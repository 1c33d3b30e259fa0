/**
 * The description of one synthetic street, independent of the image size, and the builder the layout
 * functions add solids to.
 *
 * @packageDocumentation
 */
import type { Ground } from './ground.js';
import type { Material } from './material.js';
import { Primitive, type PrimitiveSpec } from './primitive.js';
import type { Lighting, SceneStyle } from './scene-style.js';

/** Camera pose in the street frame (X right, Y up, Z forward; the road centre line is X = 0). */
export interface CameraPose {
  /** Lateral position, metres (> 0: right of the centre line). */
  x: number;
  /** Height above the road, metres. */
  height: number;
  /** Radians; > 0 looks down. */
  pitch: number;
  /** Radians; > 0 turns left. */
  yaw: number;
}

/** What kind of object an instance is. */
export type InstanceKind = 'car' | 'truck' | 'person';

/** One object instance of the street (all its solids share the slot). */
export interface InstanceSpec {
  /** 1-based slot; solids of this instance carry it in `Primitive.instance`. */
  slot: number;
  /** CityScapes label id. */
  labelId: number;
  kind: InstanceKind;
}

/** A complete street: everything the ray caster needs, in metres. */
export interface StreetScene {
  style: SceneStyle;
  camera: CameraPose;
  lighting: Lighting;
  ground: Ground;
  primitives: readonly Primitive[];
  /**
   * Objects as ranges of `primitives`: object `g` is `primitives[groups[g]]` up to (excluding)
   * `primitives[groups[g + 1]]`. The renderer culls whole objects (a car's ten parts) with one test.
   */
  groups: readonly number[];
  instances: readonly InstanceSpec[];
  /** Seed of the texture noise. */
  textureSeed: number;
}

/**
 * Collects solids and instance slots while a street is laid out, grouping the solids of one object
 * (a car, a tree, a pole with its sign) for the renderer's culling.
 */
export class StreetBuilder {
  readonly primitives: Primitive[] = [];
  readonly instances: InstanceSpec[] = [];
  /** Start index of each object in `primitives`. */
  private readonly groupStarts: number[] = [];
  private groupOpen = false;

  /** Starts an object: the solids added until {@link endGroup} are culled together. */
  beginGroup(): void {
    this.groupStarts.push(this.primitives.length);
    this.groupOpen = true;
  }

  /** Ends the current object; a solid added after it starts an object of its own. */
  endGroup(): void {
    this.groupOpen = false;
  }

  /** Adds a solid of a "stuff" class (no instance). */
  addStuff(spec: PrimitiveSpec, labelId: number, material: Material): void {
    if (!this.groupOpen) this.groupStarts.push(this.primitives.length);
    this.primitives.push(new Primitive(spec, labelId, 0, material));
  }

  /** Opens a new instance (and object group) and returns its slot, to pass to {@link addPart}. */
  beginInstance(labelId: number, kind: InstanceKind): number {
    this.beginGroup();
    const slot = this.instances.length + 1;
    this.instances.push({ slot, labelId, kind });
    return slot;
  }

  /** Adds a solid of the instance `slot`. */
  addPart(slot: number, spec: PrimitiveSpec, material: Material): void {
    const instance = this.instances[slot - 1];
    if (instance === undefined) throw new RangeError(`unknown instance slot ${slot}`);
    if (!this.groupOpen) this.groupStarts.push(this.primitives.length);
    this.primitives.push(new Primitive(spec, instance.labelId, slot, material));
  }

  /** The object ranges (see `StreetScene.groups`), closed by the total solid count. */
  groups(): number[] {
    return [...this.groupStarts, this.primitives.length];
  }
}
