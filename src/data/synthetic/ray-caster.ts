/**
 * The renderer: one ray per pixel through a pinhole camera into the street, nearest hit wins. The hit gives
 * the pixel's label, instance slot and depth exactly; the RGB colour is the hit's material, lit by the sun
 * (with a shadow ray) and the sky.
 *
 * Speed comes from screen-space culling: every solid's bounding box is projected once, and each pixel only
 * tests the objects (then their solids) whose projection overlaps its 16x16 tile. Shadow rays only test the
 * objects listed in their cell of a grid perpendicular to the sun (`shadow-grid.ts`).
 *
 * @packageDocumentation
 */
import type { CameraIntrinsic } from './camera.js';
import { intersectGround, type GroundHit } from './ground.js';
import { intersectPrimitive, surfaceNormal, type Normal } from './intersect.js';
import { hash2 } from './noise.js';
import type { Primitive } from './primitive.js';
import { ShadowGrid, type ShadowRegion } from './shadow-grid.js';
import { applyLighting, skyColour, surfaceColour, toByte, type ColourOut } from './shading.js';
import type { StreetScene } from './street-scene.js';
import { LABEL } from './label-ids.js';

/**
 * Distance (metres) a shadow ray starts off the surface, along its normal. Why: it must clear rounding
 * errors of hit points metres away, yet stay far below any visible detail.
 */
const SHADOW_OFFSET = 2e-3;

/**
 * Log2 of the side of the screen tiles objects are bucketed into. Why 16 px: small enough that a tile holds a
 * few objects, large enough that bucketing a 2048-pixel-wide image stays cheap.
 */
const TILE_SHIFT = 4;
const TILE = 1 << TILE_SHIFT;

/** Half width (metres) the shadow grid covers. Why: the widest view at the far end of a street. */
const SHADOW_REGION_HALF_WIDTH = 150;

/** Depth (metres) below which a bounding-box corner counts as being at or behind the camera. */
const NEAR_PLANE = 1e-3;

/** The per-pixel output of {@link renderStreet}. */
export interface RenderedStreet {
  width: number;
  height: number;
  /** RGB, 8 bits per channel, interleaved. */
  rgb: Uint8Array;
  /** CityScapes label id per pixel. */
  labelIds: Uint8Array;
  /** Instance slot per pixel (see `StreetScene.instances`), 0 for stuff. */
  slots: Uint16Array;
  /** Depth along the optical axis in metres; 0 where the ray hits nothing (sky). */
  depth: Float32Array;
  /** Per instance slot: pixels where it is the nearest hit. Index 0 is unused. */
  visiblePixels: Uint32Array;
  /** Per instance slot: pixels whose ray meets it at all, occluded or not. Index 0 is unused. */
  projectedPixels: Uint32Array;
}

/** Camera frame in the world: centre, right, down and forward axes (unit vectors). */
interface CameraFrame {
  ox: number;
  oy: number;
  oz: number;
  rx: number;
  ry: number;
  rz: number;
  dx: number;
  dy: number;
  dz: number;
  fx: number;
  fy: number;
  fz: number;
}

/** The world frame of the camera pose: yaw about Y, then pitch about the camera's right axis. */
function cameraFrame(scene: StreetScene): CameraFrame {
  const { x, height, pitch, yaw } = scene.camera;
  const cy = Math.cos(yaw);
  const sy = Math.sin(yaw);
  const cp = Math.cos(pitch);
  const sp = Math.sin(pitch);
  return {
    ox: x,
    oy: height,
    oz: 0,
    rx: cy,
    ry: 0,
    rz: sy,
    dx: sy * sp,
    dy: -cp,
    dz: -cy * sp,
    fx: -sy * cp,
    fy: -sp,
    fz: cy * cp,
  };
}

/**
 * Screen rectangles of the solids: `[u0, u1, v0, v1]` per solid (inclusive pixel bounds), or v0 > v1 for a
 * solid the camera cannot see.
 */
function screenRects(
  primitives: readonly Primitive[],
  cam: CameraFrame,
  k: CameraIntrinsic,
  width: number,
  height: number,
): Int32Array {
  const rects = new Int32Array(primitives.length * 4);
  for (let i = 0; i < primitives.length; i++) {
    const p = primitives[i]!;
    let uMin = Infinity;
    let uMax = -Infinity;
    let vMin = Infinity;
    let vMax = -Infinity;
    let inFront = 0;
    for (let c = 0; c < 8; c++) {
      const qx = (c & 1 ? p.maxX : p.minX) - cam.ox;
      const qy = (c & 2 ? p.maxY : p.minY) - cam.oy;
      const qz = (c & 4 ? p.maxZ : p.minZ) - cam.oz;
      const zc = qx * cam.fx + qy * cam.fy + qz * cam.fz;
      if (zc <= NEAR_PLANE) continue;
      inFront++;
      const u = k.u0 + (k.fx * (qx * cam.rx + qy * cam.ry + qz * cam.rz)) / zc;
      const v = k.v0 + (k.fy * (qx * cam.dx + qy * cam.dy + qz * cam.dz)) / zc;
      if (u < uMin) uMin = u;
      if (u > uMax) uMax = u;
      if (v < vMin) vMin = v;
      if (v > vMax) vMax = v;
    }
    if (inFront === 0) {
      rects.set([0, -1, 0, -1], i * 4);
    } else if (inFront < 8) {
      // The box crosses the camera plane: its projection is unbounded, so test it everywhere.
      rects.set([0, width - 1, 0, height - 1], i * 4);
    } else {
      // One pixel of margin: a pixel's ray goes through its centre, the box edge may fall between centres.
      rects.set(
        [
          Math.max(0, Math.floor(uMin) - 1),
          Math.min(width - 1, Math.ceil(uMax) + 1),
          Math.max(0, Math.floor(vMin) - 1),
          Math.min(height - 1, Math.ceil(vMax) + 1),
        ],
        i * 4,
      );
    }
  }
  return rects;
}

/** Screen rectangles of the objects: the union of their solids' rectangles (same layout as the solids'). */
function groupRects(rects: Int32Array, groups: readonly number[]): Int32Array {
  const count = groups.length - 1;
  const out = new Int32Array(count * 4);
  for (let g = 0; g < count; g++) {
    let u0 = Infinity;
    let u1 = -Infinity;
    let v0 = Infinity;
    let v1 = -Infinity;
    for (let i = groups[g]!; i < groups[g + 1]!; i++) {
      if (rects[i * 4 + 2]! > rects[i * 4 + 3]!) continue;
      u0 = Math.min(u0, rects[i * 4]!);
      u1 = Math.max(u1, rects[i * 4 + 1]!);
      v0 = Math.min(v0, rects[i * 4 + 2]!);
      v1 = Math.max(v1, rects[i * 4 + 3]!);
    }
    if (u0 > u1) out.set([0, -1, 0, -1], g * 4);
    else out.set([u0, u1, v0, v1], g * 4);
  }
  return out;
}

/**
 * Per screen tile of {@link TILE} x {@link TILE} pixels, the indices of the objects whose screen rectangle
 * overlaps it (CSR: `offsets` has one entry per tile plus one, `items` the object indices).
 */
function tileBuckets(
  rects: Int32Array,
  count: number,
  tilesX: number,
  tilesY: number,
): { offsets: Int32Array; items: Int32Array } {
  const tiles = tilesX * tilesY;
  /** Calls `visit(tile)` for every tile object `i` overlaps. */
  const forEachTile = (i: number, visit: (tile: number) => void): void => {
    const u0 = rects[i * 4]!;
    const u1 = rects[i * 4 + 1]!;
    if (u0 > u1) return;
    const ty1 = rects[i * 4 + 3]! >> TILE_SHIFT;
    for (let ty = rects[i * 4 + 2]! >> TILE_SHIFT; ty <= ty1; ty++) {
      for (let tx = u0 >> TILE_SHIFT; tx <= u1 >> TILE_SHIFT; tx++) visit(ty * tilesX + tx);
    }
  };
  const offsets = new Int32Array(tiles + 1);
  for (let i = 0; i < count; i++) forEachTile(i, (tile) => offsets[tile + 1]!++);
  for (let t = 0; t < tiles; t++) offsets[t + 1]! += offsets[t]!;
  const items = new Int32Array(offsets[tiles]!);
  const fill = offsets.slice(0, tiles);
  for (let i = 0; i < count; i++) forEachTile(i, (tile) => (items[fill[tile]!++] = i));
  return { offsets, items };
}

/**
 * The region shadow queries start from: the bounds of every solid, clipped laterally to what the camera can
 * see. Why clipped: the facade closing the street is 800 m wide; a grid over all of it would have coarse
 * cells. Points outside the region are still answered, by testing every object.
 */
function shadowRegion(primitives: readonly Primitive[]): ShadowRegion {
  const r: ShadowRegion = { minX: 0, maxX: 0, minY: 0, maxY: 0, minZ: 0, maxZ: 0 };
  for (const p of primitives) {
    r.minX = Math.min(r.minX, p.minX);
    r.maxX = Math.max(r.maxX, p.maxX);
    r.maxY = Math.max(r.maxY, p.maxY);
    r.minZ = Math.min(r.minZ, p.minZ);
    r.maxZ = Math.max(r.maxZ, p.maxZ);
  }
  r.minX = Math.max(r.minX, -SHADOW_REGION_HALF_WIDTH);
  r.maxX = Math.min(r.maxX, SHADOW_REGION_HALF_WIDTH);
  return r;
}

/**
 * Renders `scene` at `width` x `height` pixels with intrinsics `k`.
 *
 * @param scene - The street (from `layoutStreet`).
 * @param width - Image width in pixels.
 * @param height - Image height in pixels.
 * @param k - Camera intrinsics for this size.
 */
export function renderStreet(
  scene: StreetScene,
  width: number,
  height: number,
  k: CameraIntrinsic,
): RenderedStreet {
  const { primitives, lighting, ground } = scene;
  const cam = cameraFrame(scene);
  const { groups } = scene;
  const rects = screenRects(primitives, cam, k, width, height);
  const objectRects = groupRects(rects, groups);
  const tilesX = Math.ceil(width / TILE);
  const { offsets, items } = tileBuckets(objectRects, groups.length - 1, tilesX, Math.ceil(height / TILE));
  const sunUp = lighting.sunY > 0;
  const shadows =
    lighting.shadows && sunUp
      ? new ShadowGrid(
          primitives,
          groups,
          { x: lighting.sunX, y: lighting.sunY, z: lighting.sunZ },
          shadowRegion(primitives),
        )
      : null;
  const slotCount = scene.instances.length + 1;
  const out: RenderedStreet = {
    width,
    height,
    rgb: new Uint8Array(width * height * 3),
    labelIds: new Uint8Array(width * height),
    slots: new Uint16Array(width * height),
    depth: new Float32Array(width * height),
    visiblePixels: new Uint32Array(slotCount),
    projectedPixels: new Uint32Array(slotCount),
  };
  const lastSeen = new Int32Array(slotCount).fill(-1);
  const groundHit: GroundHit = { t: Infinity, region: 0, nx: 0 };
  const normal: Normal = { x: 0, y: 0, z: 0 };
  const colour: ColourOut = { r: 0, g: 0, b: 0, emissive: false };
  let occluderHint = -1;

  const { rgb, labelIds, slots, depth, visiblePixels, projectedPixels } = out;

  for (let v = 0; v < height; v++) {
    const yc = (v - k.v0) / k.fy;
    const tileRow = (v >> TILE_SHIFT) * tilesX;
    for (let u = 0; u < width; u++) {
      const pixel = v * width + u;
      const xc = (u - k.u0) / k.fx;
      // Ray direction with a unit component along the optical axis: the ray parameter is the depth Z.
      const dx = cam.fx + cam.rx * xc + cam.dx * yc;
      const dy = cam.fy + cam.ry * xc + cam.dy * yc;
      const dz = cam.fz + cam.rz * xc + cam.dz * yc;
      const tile = tileRow + (u >> TILE_SHIFT);
      const listEnd = offsets[tile + 1]!;
      let bestT = Infinity;
      let best = -1;
      for (let j = offsets[tile]!; j < listEnd; j++) {
        const g = items[j]!;
        const gr = g * 4;
        if (
          u < objectRects[gr]! ||
          u > objectRects[gr + 1]! ||
          v < objectRects[gr + 2]! ||
          v > objectRects[gr + 3]!
        ) {
          continue;
        }
        const groupEnd = groups[g + 1]!;
        for (let i = groups[g]!; i < groupEnd; i++) {
          const r = i * 4;
          if (u < rects[r]! || u > rects[r + 1]! || v < rects[r + 2]! || v > rects[r + 3]!) continue;
          const p = primitives[i]!;
          const t = intersectPrimitive(p, cam.ox, cam.oy, cam.oz, dx, dy, dz);
          if (t === Infinity) continue;
          const slot = p.instance;
          if (slot > 0 && lastSeen[slot] !== pixel) {
            lastSeen[slot] = pixel;
            projectedPixels[slot]!++;
          }
          if (t < bestT) {
            bestT = t;
            best = i;
          }
        }
      }
      intersectGround(ground, cam.ox, cam.oy, dx, dy, groundHit);

      let labelId: number;
      let slot = 0;
      if (groundHit.t < bestT) {
        bestT = groundHit.t;
        const region = ground.regions[groundHit.region]!;
        labelId = region.labelId;
        normal.x = groundHit.nx;
        normal.y = groundHit.nx === 0 ? 1 : 0;
        normal.z = 0;
        const hx = cam.ox + bestT * dx;
        const hy = cam.oy + bestT * dy;
        const hz = cam.oz + bestT * dz;
        surfaceColour(region.material, null, hx, hy, hz, normal.x, normal.y, normal.z, lighting, colour);
      } else if (best >= 0) {
        const hitPrimitive = primitives[best]!;
        labelId = hitPrimitive.labelId;
        slot = hitPrimitive.instance;
        const hx = cam.ox + bestT * dx;
        const hy = cam.oy + bestT * dy;
        const hz = cam.oz + bestT * dz;
        surfaceNormal(hitPrimitive, hx, hy, hz, normal);
        surfaceColour(
          hitPrimitive.material,
          hitPrimitive,
          hx,
          hy,
          hz,
          normal.x,
          normal.y,
          normal.z,
          lighting,
          colour,
        );
      } else {
        labelId = LABEL.sky;
        bestT = 0;
        skyColour(lighting, dx, dy, dz, scene.textureSeed, colour);
      }

      if (bestT > 0) {
        let visibility = 1;
        const facing = normal.x * lighting.sunX + normal.y * lighting.sunY + normal.z * lighting.sunZ;
        if (shadows !== null && facing > 0 && !colour.emissive) {
          const sx = cam.ox + bestT * dx + normal.x * SHADOW_OFFSET;
          const sy = cam.oy + bestT * dy + normal.y * SHADOW_OFFSET;
          const sz = cam.oz + bestT * dz + normal.z * SHADOW_OFFSET;
          const blocker = shadows.findOccluder(sx, sy, sz, occluderHint);
          if (blocker >= 0) {
            visibility = 0;
            occluderHint = blocker;
          }
        }
        applyLighting(lighting, normal.x, normal.y, normal.z, visibility, bestT, colour);
      }
      if (slot > 0) visiblePixels[slot]!++;
      labelIds[pixel] = labelId;
      slots[pixel] = slot;
      depth[pixel] = bestT;
      // Sensor-like noise of ±1.5 levels, keyed to the pixel: breaks up banding in smooth gradients.
      const n = hash2(u, v, scene.textureSeed);
      rgb[pixel * 3] = toByte(colour.r, (n - 0.5) * 3);
      rgb[pixel * 3 + 1] = toByte(colour.g, (hash2(v, u, scene.textureSeed) - 0.5) * 3);
      rgb[pixel * 3 + 2] = toByte(colour.b, (n - 0.5) * 3);
    }
  }
  return out;
}
