/**
 * Instance id map to a colour picture, one distinct colour per id.
 */
import { BACKGROUND_COLOUR, type Rgb } from './colour-palette.js';
import { assertInteger, assertRgb } from './validate.js';

/**
 * Step of the hue between consecutive ids, in turns. Why the golden-ratio conjugate: successive multiples
 * of it spread over the circle as evenly as any sequence can, so neighbouring ids (often neighbouring
 * objects) get far-apart hues and no two of the first few hundred ids share a colour.
 */
const HUE_STEP = 0.618033988749895;

/**
 * Saturation and value cycled by id. Why three levels: beyond a few dozen ids hues get close, and
 * varying brightness keeps close hues apart; all levels stay bright enough to stand out from black.
 */
const SATURATIONS = [0.85, 0.6, 0.95] as const;
const VALUES = [1, 0.85, 0.7] as const;

/**
 * The colour {@link colourizeInstances} gives instance `id`: deterministic (the same id always gets the
 * same colour, on every machine) and distinct between ids.
 *
 * @param id - Instance id, an integer >= 1.
 * @throws ValidationError when `id` is not an integer >= 1.
 */
export function instanceColour(id: number): Rgb {
  assertInteger('id', id, 1);
  const hue = (id * HUE_STEP) % 1;
  return hsvToRgb(hue, SATURATIONS[id % 3]!, VALUES[Math.floor(id / 3) % 3]!);
}

/**
 * Paints each instance in its own colour ({@link instanceColour}) and id 0 (or any id <= 0) in `background`.
 *
 * @param idMap - Row-major instance ids, 0 = no instance.
 * @param background - Colour of id 0; default black.
 * @returns Interleaved RGB, `3 * idMap.length` bytes.
 * @throws ValidationError when `background` is not an RGB triple.
 */
export function colourizeInstances(
  idMap: Uint16Array | Uint32Array | Int32Array,
  background: Rgb = BACKGROUND_COLOUR,
): Uint8Array {
  assertRgb('background', background);
  const rgb = new Uint8Array(idMap.length * 3);
  const cache = new Map<number, Rgb>();
  for (let p = 0; p < idMap.length; p++) {
    const id = idMap[p]!;
    let colour = id > 0 ? cache.get(id) : background;
    if (colour === undefined) {
      colour = instanceColour(id);
      cache.set(id, colour);
    }
    rgb.set(colour, 3 * p);
  }
  return rgb;
}

/** HSV (each in [0, 1]) to 8-bit sRGB. */
function hsvToRgb(h: number, s: number, v: number): Rgb {
  const sector = Math.floor(h * 6);
  const f = h * 6 - sector;
  const p = v * (1 - s);
  const q = v * (1 - f * s);
  const t = v * (1 - (1 - f) * s);
  const [r, g, b] = [
    [v, t, p],
    [q, v, p],
    [p, v, t],
    [p, q, v],
    [t, p, v],
    [v, p, q],
  ][sector % 6]!;
  return [Math.round(r! * 255), Math.round(g! * 255), Math.round(b! * 255)];
}
