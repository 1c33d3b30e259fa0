/**
 * Analytic ray intersections with the scene's solids, and their surface normals.
 *
 * A ray is `o + t d` with `d` not necessarily unit length; every function returns the ray parameter `t` of
 * the nearest hit beyond {@link T_EPSILON}, or `Infinity`. Camera rays use `d = (x, y, 1)` in the camera
 * frame, so `t` is the depth along the optical axis.
 *
 * @packageDocumentation
 */
import { type Primitive, SHAPE_BOX, SHAPE_CYLINDER_X, SHAPE_CYLINDER_Y, SHAPE_SPHERE } from './primitive.js';

/**
 * Smallest accepted ray parameter. Why: a shadow ray starts on the surface it leaves; without a margin it
 * would hit that surface again through rounding.
 */
export const T_EPSILON = 1e-6;

/**
 * `[tNear, tFar]` of the slab test, reused across calls. Why a module-level scratch: the box test runs for
 * every ray and candidate primitive, and the same fold as a closure over two locals made a whole scene
 * render 2-3 times slower.
 */
const slabSpan = new Float64Array(2);

/**
 * Narrows `span` (`[tNear, tFar]`) to the parameters where the ray `o + t d` lies in the slab `|x| <= h`
 * of one axis.
 *
 * @returns False when the ray runs parallel to the slab outside it (a miss).
 */
function clipToSlab(span: Float64Array, o: number, d: number, h: number): boolean {
  if (d === 0) return !(o < -h || o > h);
  const inv = 1 / d;
  const a = (-h - o) * inv;
  const b = (h - o) * inv;
  span[0] = Math.max(span[0]!, Math.min(a, b));
  span[1] = Math.min(span[1]!, Math.max(a, b));
  return true;
}

/** Nearest hit of a ray with a box of half extents (hx, hy, hz) centred at the origin (slab test). */
function intersectBoxLocal(
  ox: number,
  oy: number,
  oz: number,
  dx: number,
  dy: number,
  dz: number,
  hx: number,
  hy: number,
  hz: number,
): number {
  const span = slabSpan;
  span[0] = -Infinity;
  span[1] = Infinity;
  if (!clipToSlab(span, ox, dx, hx) || !clipToSlab(span, oy, dy, hy) || !clipToSlab(span, oz, dz, hz)) {
    return Infinity;
  }
  const tNear = span[0]!;
  const tFar = span[1]!;
  if (tFar < tNear || tFar <= T_EPSILON) return Infinity;
  return tNear > T_EPSILON ? tNear : tFar;
}

/**
 * Nearest hit of a ray with a cylinder centred at the origin whose axis is the first coordinate `a`
 * (half length `h`) and whose cross-section lies in the (b, c) plane (radius `r`).
 */
function intersectCylinderLocal(
  oa: number,
  ob: number,
  oc: number,
  da: number,
  db: number,
  dc: number,
  h: number,
  r: number,
): number {
  let best = Infinity;
  const qa = db * db + dc * dc;
  if (qa > 0) {
    const qb = ob * db + oc * dc;
    const qc = ob * ob + oc * oc - r * r;
    const disc = qb * qb - qa * qc;
    if (disc < 0) return Infinity;
    const root = Math.sqrt(disc);
    const t0 = (-qb - root) / qa;
    const t1 = (-qb + root) / qa;
    if (t0 > T_EPSILON) {
      const a = oa + t0 * da;
      if (a >= -h && a <= h) return t0;
    } else if (t1 > T_EPSILON) {
      const a = oa + t1 * da;
      if (a >= -h && a <= h) best = t1;
    }
  } else if (ob * ob + oc * oc > r * r) return Infinity;
  if (da !== 0) {
    // The cap facing the ray origin is the only one that can be an entry point.
    const t = ((da > 0 ? -h : h) - oa) / da;
    if (t > T_EPSILON && t < best) {
      const b = ob + t * db;
      const c = oc + t * dc;
      if (b * b + c * c <= r * r) best = t;
    }
  }
  return best;
}

/**
 * The nearest intersection of the ray `o + t d` with `p`.
 *
 * @returns The ray parameter of the hit, or `Infinity` for a miss.
 */
export function intersectPrimitive(
  p: Primitive,
  ox: number,
  oy: number,
  oz: number,
  dx: number,
  dy: number,
  dz: number,
): number {
  const rx = ox - p.cx;
  const ry = oy - p.cy;
  const rz = oz - p.cz;
  switch (p.shape) {
    case SHAPE_SPHERE: {
      const a = dx * dx + dy * dy + dz * dz;
      const b = rx * dx + ry * dy + rz * dz;
      const c = rx * rx + ry * ry + rz * rz - p.hx * p.hx;
      const disc = b * b - a * c;
      if (disc < 0) return Infinity;
      const root = Math.sqrt(disc);
      const t0 = (-b - root) / a;
      if (t0 > T_EPSILON) return t0;
      const t1 = (-b + root) / a;
      return t1 > T_EPSILON ? t1 : Infinity;
    }
    case SHAPE_CYLINDER_Y:
      return intersectCylinderLocal(ry, rx, rz, dy, dx, dz, p.hy, p.hx);
    case SHAPE_BOX:
    case SHAPE_CYLINDER_X: {
      const c = p.cosYaw;
      const s = p.sinYaw;
      const lx = c * rx - s * rz;
      const lz = s * rx + c * rz;
      const ldx = c * dx - s * dz;
      const ldz = s * dx + c * dz;
      if (p.shape === SHAPE_BOX) return intersectBoxLocal(lx, ry, lz, ldx, dy, ldz, p.hx, p.hy, p.hz);
      return intersectCylinderLocal(lx, ry, lz, ldx, dy, ldz, p.hx, p.hy);
    }
    default:
      return Infinity;
  }
}

/** A unit surface normal, written by {@link surfaceNormal}. */
export interface Normal {
  x: number;
  y: number;
  z: number;
}

/**
 * The outward unit normal of `p` at the surface point `(x, y, z)`: the face (or side, or cap) the point lies
 * closest to.
 *
 * @param out - Receives the normal (no allocation: this runs once per pixel).
 */
export function surfaceNormal(p: Primitive, x: number, y: number, z: number, out: Normal): void {
  const rx = x - p.cx;
  const ry = y - p.cy;
  const rz = z - p.cz;
  if (p.shape === SHAPE_SPHERE) {
    const inv = 1 / Math.hypot(rx, ry, rz);
    out.x = rx * inv;
    out.y = ry * inv;
    out.z = rz * inv;
    return;
  }
  if (p.shape === SHAPE_CYLINDER_Y) {
    const radial = Math.hypot(rx, rz);
    if (Math.abs(Math.abs(ry) - p.hy) < Math.abs(radial - p.hx) || radial === 0) {
      out.x = 0;
      out.y = ry >= 0 ? 1 : -1;
      out.z = 0;
    } else {
      out.x = rx / radial;
      out.y = 0;
      out.z = rz / radial;
    }
    return;
  }
  const c = p.cosYaw;
  const s = p.sinYaw;
  const lx = c * rx - s * rz;
  const lz = s * rx + c * rz;
  let nx = 0;
  let ny = 0;
  let nz = 0;
  if (p.shape === SHAPE_CYLINDER_X) {
    const radial = Math.hypot(ry, lz);
    if (Math.abs(Math.abs(lx) - p.hx) < Math.abs(radial - p.hy) || radial === 0) nx = lx >= 0 ? 1 : -1;
    else {
      ny = ry / radial;
      nz = lz / radial;
    }
  } else {
    const fx = Math.abs(Math.abs(lx) - p.hx);
    const fy = Math.abs(Math.abs(ry) - p.hy);
    const fz = Math.abs(Math.abs(lz) - p.hz);
    if (fx <= fy && fx <= fz) nx = lx >= 0 ? 1 : -1;
    else if (fy <= fz) ny = ry >= 0 ? 1 : -1;
    else nz = lz >= 0 ? 1 : -1;
  }
  // Local to world: the inverse of the yaw rotation above.
  out.x = c * nx + s * nz;
  out.y = ny;
  out.z = -s * nx + c * nz;
}
