/**
 * The Turbo colormap (Mikhailov, Google 2019): a rainbow-like map designed to be perceptually smooth, with
 * dark blue at 0 and dark red at 1, used for disparity pictures (near = large disparity = red).
 */
import type { Rgb } from './colour-palette.js';

/**
 * Turbo sampled at entries 0, 8, 16, ..., 248 and 255 of its published 256-entry table (Apache-2.0), in
 * 8-bit sRGB. Why knots and not the full table: linear interpolation between these 33 knots reproduces
 * every entry of the full table within 3 of 255, at a tenth of the size.
 */
const TURBO_KNOTS: readonly Rgb[] = [
  [48, 18, 59],
  [57, 42, 115],
  [64, 64, 162],
  [68, 86, 199],
  [70, 107, 227],
  [70, 128, 246],
  [66, 148, 255],
  [55, 168, 250],
  [40, 188, 235],
  [28, 205, 216],
  [24, 221, 194],
  [31, 233, 175],
  [50, 242, 152],
  [78, 249, 125],
  [109, 254, 98],
  [139, 255, 75],
  [164, 252, 60],
  [185, 246, 53],
  [205, 236, 52],
  [223, 223, 55],
  [238, 207, 58],
  [248, 190, 57],
  [253, 172, 52],
  [254, 150, 43],
  [251, 126, 33],
  [244, 102, 23],
  [235, 80, 14],
  [223, 63, 8],
  [208, 47, 5],
  [190, 33, 2],
  [169, 22, 1],
  [146, 11, 1],
  [122, 4, 3],
];

/**
 * Table index of each knot. Why 8: knots sit every 8 entries; the last one is entry 255, 7 after 248.
 */
const KNOT_STEP = 8;

/** Turbo as a 256-entry lookup table, interleaved RGB (`TURBO_TABLE[3 * i + channel]`). */
export const TURBO_TABLE: Uint8Array = buildTable();

/**
 * The Turbo colour of `t` in [0, 1] (values outside are clamped; NaN gives the colour of 0).
 *
 * @param t - Position on the map.
 */
export function turboColour(t: number): Rgb {
  const clamped = t > 0 ? Math.min(t, 1) : 0;
  const i = Math.round(clamped * 255) * 3;
  return [TURBO_TABLE[i]!, TURBO_TABLE[i + 1]!, TURBO_TABLE[i + 2]!];
}

/** Interpolates the knots linearly to 256 entries. */
function buildTable(): Uint8Array {
  const table = new Uint8Array(256 * 3);
  for (let i = 0; i < 256; i++) {
    const k = Math.min(Math.floor(i / KNOT_STEP), TURBO_KNOTS.length - 2);
    const from = k * KNOT_STEP;
    const to = k + 1 === TURBO_KNOTS.length - 1 ? 255 : from + KNOT_STEP;
    const f = (i - from) / (to - from);
    const a = TURBO_KNOTS[k]!;
    const b = TURBO_KNOTS[k + 1]!;
    for (let c = 0; c < 3; c++) table[3 * i + c] = Math.round(a[c]! + (b[c]! - a[c]!) * f);
  }
  return table;
}
