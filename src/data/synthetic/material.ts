/**
 * Surface materials: what colour and texture a surface shows. The shading of each kind is in `shading.ts`.
 *
 * @packageDocumentation
 */

/** Plain albedo with a little low-frequency noise (paint, concrete, clothes, skin). */
export const MATERIAL_PLAIN = 0;
/** Road asphalt: dark grain plus lane markings (the `secondary` colour). */
export const MATERIAL_ASPHALT = 1;
/** Paving slabs of `scale` metres with darker joints. */
export const MATERIAL_PAVING = 2;
/** Grass and earth: two-tone noise. */
export const MATERIAL_GRASS = 3;
/** A building facade: wall colour, a grid of windows (`secondary`), some lit at dusk. */
export const MATERIAL_FACADE = 4;
/** Leaves: high-frequency two-tone noise. */
export const MATERIAL_FOLIAGE = 5;
/** Glass (car windows): dark, with a reflection of the sky that fades with the angle. */
export const MATERIAL_GLASS = 6;
/** Car paint: albedo with a sun highlight. */
export const MATERIAL_PAINT = 7;
/** A traffic light housing with its three lamps (one lit, chosen by `pattern`). */
export const MATERIAL_TRAFFIC_LIGHT = 8;
/** A sign plate: `secondary`-coloured border around the `base` face. */
export const MATERIAL_SIGN = 9;

/** RGB colour, components in [0, 1] (linear, before lighting). */
export interface Rgb {
  r: number;
  g: number;
  b: number;
}

/**
 * A surface material. One shape for every kind (unused fields keep their defaults), so that the shading code
 * stays monomorphic and fast.
 */
export class Material {
  /** One of the `MATERIAL_*` constants. */
  kind: number;
  /** Main albedo. */
  base: Rgb;
  /** Second colour: lane markings, windows, joints, leaf highlights, sign border. */
  secondary: Rgb = { r: 0, g: 0, b: 0 };
  /** Relative strength of the noise texture, 0 for a flat colour. */
  variation = 0.08;
  /** Texture scale in metres (noise cell, slab size, window spacing). */
  scale = 1;
  /** Selects independent noise fields for otherwise equal materials. */
  seed = 0;
  /** Facades: height of a storey in metres. */
  floorHeight = 3.2;
  /** Facades: window width as a fraction of `scale`; window height as a fraction of `floorHeight`. */
  windowWidth = 0.5;
  windowHeight = 0.5;
  /** Facades: fraction of windows lit from inside (dusk). */
  litFraction = 0;
  /** Asphalt: X positions (metres) of solid lane markings. */
  solidLines: readonly number[] = [];
  /** Asphalt: X positions (metres) of dashed lane markings. */
  dashedLines: readonly number[] = [];
  /** Asphalt: Z of the centre of a zebra crossing, or a negative number for none. */
  crossingZ = -1;
  /** Traffic lights: the lit lamp (0 red, 1 amber, 2 green). Facades: 1 for shop windows at street level. */
  pattern = 0;

  /**
   * @param kind - One of the `MATERIAL_*` constants.
   * @param base - Main albedo.
   */
  constructor(kind: number, base: Rgb) {
    this.kind = kind;
    this.base = base;
  }
}

/** Shorthand for an {@link Rgb} from 0-255 components. */
export function rgb255(r: number, g: number, b: number): Rgb {
  return { r: r / 255, g: g / 255, b: b / 255 };
}
