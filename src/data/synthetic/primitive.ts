/**
 * The solids a synthetic street is made of: boxes, spheres and cylinders, each with a label, an instance slot
 * and a material.
 *
 * @packageDocumentation
 */
import type { Material } from './material.js';

/** A box with half extents `(hx, hy, hz)`, turned by `yaw` about the vertical axis. */
export const SHAPE_BOX = 0;
/** A sphere of radius `hx` (= `hy` = `hz`). */
export const SHAPE_SPHERE = 1;
/** A vertical cylinder of radius `hx` (= `hz`) and half height `hy`. */
export const SHAPE_CYLINDER_Y = 2;
/** A cylinder along the local x axis (a wheel's axle): half length `hx`, radius `hy` (= `hz`). */
export const SHAPE_CYLINDER_X = 3;

/** Placement of a solid: centre in world metres (X right, Y up, Z forward along the street) and size. */
export interface PrimitiveSpec {
  /** One of the `SHAPE_*` constants. */
  shape: number;
  x: number;
  y: number;
  z: number;
  hx: number;
  hy: number;
  hz: number;
  /** Turn about the vertical axis in radians (boxes and x cylinders); > 0 turns the front to the left. */
  yaw?: number;
}

/**
 * One solid of the scene. World frame: X right, Y up (ground at 0), Z forward along the street.
 * Local frame: centred on `(cx, cy, cz)` and turned by `yaw` about Y.
 */
export class Primitive {
  readonly shape: number;
  readonly cx: number;
  readonly cy: number;
  readonly cz: number;
  readonly hx: number;
  readonly hy: number;
  readonly hz: number;
  readonly cosYaw: number;
  readonly sinYaw: number;
  /** CityScapes label id of the surface. */
  readonly labelId: number;
  /** Instance slot (1-based) for a thing, 0 for stuff. */
  readonly instance: number;
  readonly material: Material;
  /** World-axis bounding box. */
  readonly minX: number;
  readonly maxX: number;
  readonly minY: number;
  readonly maxY: number;
  readonly minZ: number;
  readonly maxZ: number;

  /**
   * @param spec - Shape, centre and size.
   * @param labelId - CityScapes label id.
   * @param instance - Instance slot, 0 for stuff.
   * @param material - Surface material.
   */
  constructor(spec: PrimitiveSpec, labelId: number, instance: number, material: Material) {
    this.shape = spec.shape;
    this.cx = spec.x;
    this.cy = spec.y;
    this.cz = spec.z;
    this.hx = spec.hx;
    this.hy = spec.hy;
    this.hz = spec.hz;
    const yaw = spec.shape === SHAPE_BOX || spec.shape === SHAPE_CYLINDER_X ? (spec.yaw ?? 0) : 0;
    this.cosYaw = Math.cos(yaw);
    this.sinYaw = Math.sin(yaw);
    this.labelId = labelId;
    this.instance = instance;
    this.material = material;
    const ex = Math.abs(this.cosYaw) * spec.hx + Math.abs(this.sinYaw) * spec.hz;
    const ez = Math.abs(this.sinYaw) * spec.hx + Math.abs(this.cosYaw) * spec.hz;
    this.minX = spec.x - ex;
    this.maxX = spec.x + ex;
    this.minY = spec.y - spec.hy;
    this.maxY = spec.y + spec.hy;
    this.minZ = spec.z - ez;
    this.maxZ = spec.z + ez;
  }
}
