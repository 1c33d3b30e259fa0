/**
 * Colour palettes the layout draws from (sRGB 0-255, picked from typical European street scenes).
 *
 * Why palettes rather than uniform random colours: uniformly random facades and cars look like a test
 * pattern, and a segmentation model would learn nothing about which colours go with which class.
 *
 * @packageDocumentation
 */
import { rgb255, type Rgb } from './material.js';
import type { SeededRandom } from './random.js';

/** Plaster, brick, stone and concrete facades. */
export const FACADE_COLOURS: readonly Rgb[] = [
  rgb255(214, 200, 178),
  rgb255(190, 170, 150),
  rgb255(168, 92, 72),
  rgb255(142, 80, 62),
  rgb255(226, 218, 200),
  rgb255(176, 176, 170),
  rgb255(140, 138, 132),
  rgb255(220, 196, 140),
  rgb255(200, 210, 214),
  rgb255(120, 110, 104),
  rgb255(232, 228, 222),
  rgb255(184, 150, 116),
];

/** Window glass (dark, slightly blue or green). */
export const WINDOW_COLOURS: readonly Rgb[] = [
  rgb255(40, 52, 66),
  rgb255(58, 70, 80),
  rgb255(30, 38, 44),
  rgb255(70, 86, 96),
];

/** Car paints, weighted towards the greys, blacks and whites that dominate real traffic. */
export const CAR_COLOURS: readonly Rgb[] = [
  rgb255(230, 230, 228),
  rgb255(30, 30, 32),
  rgb255(150, 152, 156),
  rgb255(92, 94, 98),
  rgb255(200, 200, 204),
  rgb255(20, 36, 80),
  rgb255(150, 20, 24),
  rgb255(40, 70, 120),
  rgb255(70, 80, 60),
  rgb255(210, 180, 60),
  rgb255(240, 240, 240),
  rgb255(48, 48, 50),
];

/** Clothes (tops and trousers). */
export const CLOTHES_COLOURS: readonly Rgb[] = [
  rgb255(30, 30, 36),
  rgb255(40, 50, 90),
  rgb255(120, 30, 30),
  rgb255(200, 200, 196),
  rgb255(90, 90, 96),
  rgb255(60, 90, 60),
  rgb255(180, 140, 90),
  rgb255(200, 90, 40),
  rgb255(70, 110, 170),
  rgb255(150, 150, 160),
];

/** Skin tones. */
export const SKIN_COLOURS: readonly Rgb[] = [
  rgb255(240, 200, 170),
  rgb255(220, 170, 130),
  rgb255(180, 120, 80),
  rgb255(120, 80, 50),
  rgb255(90, 60, 40),
];

/** Leaf greens, from fresh to dark. */
export const FOLIAGE_COLOURS: readonly Rgb[] = [
  rgb255(70, 110, 40),
  rgb255(50, 90, 40),
  rgb255(90, 120, 50),
  rgb255(40, 70, 35),
];

/** A colour from `palette` with each component jittered by up to ±`amount` (0-1 scale), clamped. */
export function jittered(palette: readonly Rgb[], rng: SeededRandom, amount = 0.04): Rgb {
  const c = rng.pick(palette);
  const k = 1 + rng.range(-amount, amount) * 2;
  const clamp = (v: number): number => Math.min(1, Math.max(0, v * k + rng.range(-amount, amount)));
  return { r: clamp(c.r), g: clamp(c.g), b: clamp(c.b) };
}
