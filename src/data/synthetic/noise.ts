/**
 * Procedural texture noise: integer hashes and smooth value noise on world coordinates.
 *
 * Textures are functions of the hit point in metres (not of the pixel), so the same scene rendered at two
 * sizes shows the same surfaces. Everything is integer hashing and arithmetic: deterministic on every
 * platform.
 *
 * @packageDocumentation
 */

/** Hashes two integers and a seed to a number in [0, 1). */
export function hash2(x: number, y: number, seed: number): number {
  let h = Math.imul(x | 0, 0x27d4eb2d) ^ Math.imul(y | 0, 0x165667b1) ^ Math.imul(seed | 0, 0x9e3779b1);
  h = Math.imul(h ^ (h >>> 15), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return ((h ^ (h >>> 16)) >>> 0) / 4294967296;
}

/** Hashes three integers and a seed to a number in [0, 1). */
export function hash3(x: number, y: number, z: number, seed: number): number {
  return hash2(x, Math.imul(y | 0, 0x3c6ef372) ^ (z | 0), seed);
}

/** Smoothstep weight `t^2 (3 - 2t)`: continuous first derivative, so no visible grid creases. */
function fade(t: number): number {
  return t * t * (3 - 2 * t);
}

/**
 * Smooth 2-D value noise in [0, 1): bilinear interpolation of hashed lattice values with smoothstep weights.
 *
 * @param x - First coordinate in lattice units.
 * @param y - Second coordinate in lattice units.
 * @param seed - Selects an independent noise field.
 */
export function valueNoise2(x: number, y: number, seed: number): number {
  const xi = Math.floor(x);
  const yi = Math.floor(y);
  const fx = fade(x - xi);
  const fy = fade(y - yi);
  const a = hash2(xi, yi, seed);
  const b = hash2(xi + 1, yi, seed);
  const c = hash2(xi, yi + 1, seed);
  const d = hash2(xi + 1, yi + 1, seed);
  const top = a + (b - a) * fx;
  const bottom = c + (d - c) * fx;
  return top + (bottom - top) * fy;
}

/**
 * Two octaves of {@link valueNoise2} (the second at twice the frequency and half the weight), in [0, 1).
 * Why two: one octave looks blotchy, more cost time at every pixel for detail a 128x256 image cannot show.
 */
export function fractalNoise2(x: number, y: number, seed: number): number {
  return (valueNoise2(x, y, seed) * 2 + valueNoise2(x * 2.03, y * 2.03, seed + 1)) / 3;
}
