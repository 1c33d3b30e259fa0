/**
 * Colours: the texture of each material at a surface point, the sky, and the lighting (ambient sky light,
 * a directional sun with Lambertian falloff, optional hard shadows, and distance haze).
 *
 * All colours are in [0, 1] until {@link toByte}. Only the RGB image depends on this file: labels, instances
 * and depth come from the ray hit alone.
 *
 * @packageDocumentation
 */
import {
  MATERIAL_ASPHALT,
  MATERIAL_FACADE,
  MATERIAL_FOLIAGE,
  MATERIAL_GLASS,
  MATERIAL_GRASS,
  MATERIAL_PAINT,
  MATERIAL_PAVING,
  MATERIAL_SIGN,
  MATERIAL_TRAFFIC_LIGHT,
  type Material,
  type Rgb,
} from './material.js';
import { fractalNoise2, hash2, hash3, valueNoise2 } from './noise.js';
import type { Primitive } from './primitive.js';
import type { Lighting } from './scene-style.js';

/** A mutable colour the shading functions write into (no allocation per pixel). */
export interface ColourOut extends Rgb {
  /** True when the colour is emitted light (a lit window or lamp) that lighting must not change. */
  emissive: boolean;
}

/** Colour of a lit window: warm interior light. */
const LIT_WINDOW: Rgb = { r: 1, g: 0.84, b: 0.55 };
/** Colours of lit traffic-light lamps (red, amber, green) and the dimmed versions of unlit lamps. */
const LAMP_COLOURS: readonly Rgb[] = [
  { r: 1, g: 0.15, b: 0.1 },
  { r: 1, g: 0.7, b: 0.1 },
  { r: 0.2, g: 1, b: 0.45 },
];
/** Radius of a traffic-light lamp, metres. */
const LAMP_RADIUS = 0.1;
/** Dashed lane markings: dash and period lengths, metres (German urban roads: 3 m dashes every 9 m). */
const DASH_LENGTH = 3;
const DASH_PERIOD = 9;
/** Half width of a lane marking, metres. */
const LINE_HALF_WIDTH = 0.07;

/** Writes `c * k` into `out`. */
function setScaled(out: ColourOut, c: Rgb, k: number): void {
  out.r = c.r * k;
  out.g = c.g * k;
  out.b = c.b * k;
}

/** Writes `a + (b - a) * t` into `out`. */
function setMixed(out: ColourOut, a: Rgb, b: Rgb, t: number): void {
  out.r = a.r + (b.r - a.r) * t;
  out.g = a.g + (b.g - a.g) * t;
  out.b = a.b + (b.b - a.b) * t;
}

/** Positive remainder of `a / b`. */
function mod(a: number, b: number): number {
  const r = a % b;
  return r < 0 ? r + b : r;
}

/** Asphalt: patchy grain, lane markings and a zebra crossing. */
function asphalt(m: Material, x: number, z: number, out: ColourOut): void {
  for (const lx of m.solidLines) {
    if (Math.abs(x - lx) < LINE_HALF_WIDTH)
      return setScaled(out, m.secondary, 0.85 + 0.15 * valueNoise2(x, z, m.seed));
  }
  if (mod(z, DASH_PERIOD) < DASH_LENGTH) {
    for (const lx of m.dashedLines) {
      if (Math.abs(x - lx) < LINE_HALF_WIDTH) return setScaled(out, m.secondary, 0.9);
    }
  }
  if (m.crossingZ >= 0 && Math.abs(z - m.crossingZ) < 2 && mod(x, 1) < 0.5) {
    return setScaled(out, m.secondary, 0.9);
  }
  const patches = fractalNoise2(x / m.scale, z / m.scale, m.seed);
  const grain = hash2(Math.floor(x * 25), Math.floor(z * 25), m.seed);
  setScaled(out, m.base, 1 + m.variation * ((patches - 0.5) * 2 + (grain - 0.5) * 0.8));
}

/** Paving slabs with darker joints; each slab slightly different. */
function paving(m: Material, x: number, z: number, out: ColourOut): void {
  const u = x / m.scale;
  const v = z / m.scale;
  const fu = u - Math.floor(u);
  const fv = v - Math.floor(v);
  if (fu < 0.06 || fv < 0.06) return setScaled(out, m.secondary, 1);
  const tile = hash2(Math.floor(u), Math.floor(v), m.seed);
  setScaled(out, m.base, 1 + m.variation * (tile - 0.5) * 2);
}

/** A facade: stained wall, a grid of windows (some lit), shop windows at street level, a plain roof. */
function facade(
  m: Material,
  p: Primitive | null,
  x: number,
  y: number,
  z: number,
  ny: number,
  nz: number,
  out: ColourOut,
): void {
  if (ny > 0.5) return setScaled(out, m.base, 0.7);
  const along = Math.abs(nz) > 0.5 ? x : z;
  const stain = fractalNoise2(along / 3, y / 3, m.seed);
  const wall = 1 + m.variation * (stain - 0.5) * 2;
  const top = p === null ? Infinity : p.maxY;
  const column = Math.floor(along / m.scale);
  const fa = along / m.scale - column;
  const storey = Math.floor(y / m.floorHeight);
  const fh = y / m.floorHeight - storey;
  const shop = storey === 0 && m.pattern === 1;
  const halfW = shop ? 0.44 : m.windowWidth / 2;
  const halfH = shop ? 0.36 : m.windowHeight / 2;
  const centreH = shop ? 0.45 : 0.55;
  const inWindow = Math.abs(fa - 0.5) < halfW && Math.abs(fh - centreH) < halfH && y < top - 0.8;
  if (!inWindow) {
    // A lighter frame just around each window.
    const frame = Math.abs(fa - 0.5) < halfW + 0.04 && Math.abs(fh - centreH) < halfH + 0.03 && y < top - 0.8;
    return setScaled(out, m.base, frame ? wall * 1.12 : wall);
  }
  if (m.litFraction > 0 && hash3(column, storey, m.seed, 7) < m.litFraction) {
    setScaled(out, LIT_WINDOW, 0.85 + 0.15 * hash2(column, storey, m.seed));
    out.emissive = true;
    return;
  }
  // Glass: darker towards the bottom of the pane (sky reflected in the upper part).
  const reflect = 0.8 + (0.5 * (fh - centreH + halfH)) / (2 * halfH);
  setScaled(out, m.secondary, reflect * (0.9 + 0.2 * hash2(column, storey, m.seed)));
}

/** Leaves: clumps of light and dark green. */
function foliage(m: Material, x: number, y: number, z: number, out: ColourOut): void {
  const s = 1 / m.scale;
  const clump = valueNoise2((x + z * 0.7) * s, y * s, m.seed);
  const leaf = hash3(Math.floor(x * s * 3), Math.floor(y * s * 3), Math.floor(z * s * 3), m.seed);
  setMixed(out, m.base, m.secondary, clump);
  const k = 1 + m.variation * ((clump - 0.5) * 1.2 + (leaf - 0.5));
  out.r *= k;
  out.g *= k;
  out.b *= k;
}

/**
 * The albedo of material `m` at the surface point `(x, y, z)` with normal `(nx, ny, nz)`, written into `out`
 * (with `out.emissive` set for light sources).
 *
 * @param p - The solid hit (null for the ground); some materials place their pattern relative to it.
 */
export function surfaceColour(
  m: Material,
  p: Primitive | null,
  x: number,
  y: number,
  z: number,
  nx: number,
  ny: number,
  nz: number,
  lighting: Lighting,
  out: ColourOut,
): void {
  out.emissive = false;
  switch (m.kind) {
    case MATERIAL_ASPHALT:
      return asphalt(m, x, z, out);
    case MATERIAL_PAVING:
      return paving(m, x, z, out);
    case MATERIAL_GRASS: {
      const n = fractalNoise2(x / m.scale, z / m.scale, m.seed);
      setMixed(out, m.base, m.secondary, n);
      const k = 0.9 + 0.2 * hash2(Math.floor(x * 20), Math.floor(z * 20), m.seed);
      out.r *= k;
      out.g *= k;
      out.b *= k;
      return;
    }
    case MATERIAL_FACADE:
      return facade(m, p, x, y, z, ny, nz, out);
    case MATERIAL_FOLIAGE:
      return foliage(m, x, y, z, out);
    case MATERIAL_GLASS:
      // The roof of a cabin is painted; the panes reflect some sky.
      if (ny > 0.7) return setScaled(out, m.secondary, 1);
      return setMixed(out, m.base, lighting.skyHorizon, 0.18 + 0.12 * Math.max(0, ny + 0.3));
    case MATERIAL_PAINT:
      return setScaled(out, m.base, 1 + 0.06 * Math.max(0, ny));
    case MATERIAL_TRAFFIC_LIGHT: {
      if (p !== null && nz < -0.5) {
        const ly = (y - p.cy) / p.hy;
        const lamp = Math.round((0.6 - ly) / 0.6);
        const distance = Math.hypot(x - p.cx, (ly - (0.6 - 0.6 * lamp)) * p.hy);
        if (lamp >= 0 && lamp <= 2 && distance < LAMP_RADIUS) {
          const colour = LAMP_COLOURS[lamp]!;
          if (lamp === m.pattern) {
            setScaled(out, colour, 1);
            out.emissive = true;
          } else setScaled(out, colour, 0.15);
          return;
        }
      }
      return setScaled(out, m.base, 1);
    }
    case MATERIAL_SIGN: {
      if (p !== null && Math.abs(nz) > 0.5) {
        const edge = Math.max(Math.abs(x - p.cx) / p.hx, Math.abs(y - p.cy) / p.hy);
        if (nz > 0) return setScaled(out, { r: 0.55, g: 0.56, b: 0.58 }, 1);
        return setScaled(out, edge > 0.8 ? m.secondary : m.base, 1);
      }
      return setScaled(out, { r: 0.55, g: 0.56, b: 0.58 }, 1);
    }
    default: {
      const n = valueNoise2((x + z * 0.6) / m.scale, (y - z * 0.4) / m.scale, m.seed);
      return setScaled(out, m.base, 1 + m.variation * (n - 0.5) * 2);
    }
  }
}

/**
 * Lights the albedo in `out` in place: ambient sky light (stronger on faces that look up) plus the sun's
 * Lambertian term times `sunVisibility` (0 in shadow), then fades it into the haze with depth.
 */
export function applyLighting(
  lighting: Lighting,
  nx: number,
  ny: number,
  nz: number,
  sunVisibility: number,
  depth: number,
  out: ColourOut,
): void {
  if (!out.emissive) {
    const sky = 0.65 + 0.35 * (ny * 0.5 + 0.5);
    const lambert = Math.max(0, nx * lighting.sunX + ny * lighting.sunY + nz * lighting.sunZ) * sunVisibility;
    out.r *= lighting.ambient.r * sky + lighting.sun.r * lambert;
    out.g *= lighting.ambient.g * sky + lighting.sun.g * lambert;
    out.b *= lighting.ambient.b * sky + lighting.sun.b * lambert;
  }
  const f = 1 - Math.exp(-depth / lighting.hazeDistance);
  out.r += (lighting.haze.r - out.r) * f;
  out.g += (lighting.haze.g - out.g) * f;
  out.b += (lighting.haze.b - out.b) * f;
}

/** The sky seen along the (world) direction `(dx, dy, dz)`: gradient, sun glow, clouds. */
export function skyColour(
  lighting: Lighting,
  dx: number,
  dy: number,
  dz: number,
  seed: number,
  out: ColourOut,
): void {
  const len = Math.hypot(dx, dy, dz);
  const e = Math.max(0, dy / len);
  setMixed(out, lighting.skyHorizon, lighting.skyZenith, Math.sqrt(e));
  out.emissive = true;
  if (lighting.shadows) {
    const cos = (dx * lighting.sunX + dy * lighting.sunY + dz * lighting.sunZ) / len;
    if (cos > 0) {
      const glow = cos > 0.9995 ? 1 : 0.35 * cos ** 48;
      out.r += (1 - out.r) * glow;
      out.g += (0.97 - out.g) * glow;
      out.b += (0.9 - out.b) * glow;
    }
  }
  if (lighting.clouds > 0 && dy > 0) {
    // Clouds on a plane: project the direction onto it, so they shrink towards the horizon.
    const u = (dx / dy) * 0.8;
    const v = (dz / dy) * 0.8;
    const n = fractalNoise2(u, v, seed);
    const threshold = 1 - lighting.clouds;
    const amount = Math.min(1, Math.max(0, (n - threshold * 0.8) * 2.5)) * Math.min(1, e * 6);
    const shade = 0.78 + 0.22 * valueNoise2(u * 2.5, v * 2.5, seed + 3);
    const cr = (lighting.skyHorizon.r * 0.3 + 0.7) * shade;
    const cg = (lighting.skyHorizon.g * 0.3 + 0.7) * shade;
    const cb = (lighting.skyHorizon.b * 0.3 + 0.7) * shade;
    out.r += (cr - out.r) * amount;
    out.g += (cg - out.g) * amount;
    out.b += (cb - out.b) * amount;
  }
}

/** A colour component in [0, 1] (or a little beyond) as a byte, plus `dither` levels of noise. */
export function toByte(value: number, dither: number): number {
  const v = Math.round(value * 255 + dither);
  return v < 0 ? 0 : v > 255 ? 255 : v;
}
