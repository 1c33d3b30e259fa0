/**
 * Scene styles ("cities"): the time of day and weather of a scene, and the lighting drawn from it.
 *
 * Each style is written to its own city directory (`leftImg8bit/{split}/{city}/`), so a dataset can be
 * filtered or balanced by style the way CityScapes is by city.
 *
 * @packageDocumentation
 */
import { rgb255, type Rgb } from './material.js';
import type { SeededRandom } from './random.js';

/** The ranges a style draws a scene's lighting from. */
export interface SceneStyle {
  /** City directory name (lowercase letters and hyphens: CityScapes file names split on `_`). */
  city: string;
  /** Sun elevation range above the horizon, radians. */
  sunElevation: readonly [number, number];
  /** Sun colour and its intensity range (multiplies the Lambert term). */
  sunColour: Rgb;
  sunIntensity: readonly [number, number];
  /** Sky light reaching every surface, and its intensity range. */
  ambientColour: Rgb;
  ambientIntensity: readonly [number, number];
  /** Sky colour straight up and at the horizon. */
  skyZenith: Rgb;
  skyHorizon: Rgb;
  /** Colour of the haze distant surfaces fade into, and the range of distances (metres) of a 1/e fade. */
  haze: Rgb;
  hazeDistance: readonly [number, number];
  /** Whether the sun casts shadows (no sun disc under overcast skies). */
  shadows: boolean;
  /** Cloud cover range, 0 (clear) to 1. */
  clouds: readonly [number, number];
  /** Fraction of windows lit from inside. */
  litWindows: number;
}

/**
 * The styles, one city directory each. Why three: noon, overcast and dusk cover the lighting changes a
 * street model meets (hard shadows, flat light, low warm light with dark surfaces) without a renderer that
 * would be slower than the benchmark allows.
 */
export const SCENE_STYLES: readonly SceneStyle[] = [
  {
    city: 'synthetic-noon',
    sunElevation: [0.6, 1.1],
    sunColour: rgb255(255, 246, 228),
    sunIntensity: [0.85, 1.05],
    ambientColour: rgb255(196, 214, 255),
    ambientIntensity: [0.38, 0.5],
    skyZenith: rgb255(62, 118, 204),
    skyHorizon: rgb255(186, 212, 236),
    haze: rgb255(190, 206, 222),
    hazeDistance: [250, 600],
    shadows: true,
    clouds: [0, 0.5],
    litWindows: 0,
  },
  {
    city: 'synthetic-overcast',
    sunElevation: [0.7, 1.2],
    sunColour: rgb255(235, 235, 240),
    sunIntensity: [0.2, 0.35],
    ambientColour: rgb255(228, 232, 240),
    ambientIntensity: [0.75, 0.9],
    skyZenith: rgb255(150, 156, 168),
    skyHorizon: rgb255(208, 210, 214),
    haze: rgb255(196, 198, 204),
    hazeDistance: [120, 300],
    shadows: false,
    clouds: [0.6, 1],
    litWindows: 0.02,
  },
  {
    city: 'synthetic-dusk',
    sunElevation: [0.08, 0.3],
    sunColour: rgb255(255, 178, 110),
    sunIntensity: [0.75, 0.95],
    ambientColour: rgb255(150, 140, 190),
    ambientIntensity: [0.3, 0.4],
    skyZenith: rgb255(52, 62, 120),
    skyHorizon: rgb255(246, 164, 110),
    haze: rgb255(196, 150, 140),
    hazeDistance: [200, 450],
    shadows: true,
    clouds: [0.1, 0.6],
    litWindows: 0.25,
  },
];

/** The lighting of one scene, drawn from its style. */
export interface Lighting {
  /** Unit vector towards the sun (world frame, Y up). */
  sunX: number;
  sunY: number;
  sunZ: number;
  /** Sun colour times intensity. */
  sun: Rgb;
  /** Ambient colour times intensity. */
  ambient: Rgb;
  skyZenith: Rgb;
  skyHorizon: Rgb;
  haze: Rgb;
  /** Depth (metres) over which a surface fades to the haze colour by 1/e. */
  hazeDistance: number;
  shadows: boolean;
  clouds: number;
  litWindows: number;
}

/** Scales a colour by `k`. */
function scale(c: Rgb, k: number): Rgb {
  return { r: c.r * k, g: c.g * k, b: c.b * k };
}

/**
 * Draws the lighting of a scene from `style`: sun elevation, azimuth (any direction, so shadows fall across
 * or along the street), intensities and haze.
 */
export function drawLighting(style: SceneStyle, rng: SeededRandom): Lighting {
  const elevation = rng.range(style.sunElevation[0], style.sunElevation[1]);
  const azimuth = rng.range(0, 2 * Math.PI);
  return {
    sunX: Math.cos(elevation) * Math.sin(azimuth),
    sunY: Math.sin(elevation),
    sunZ: Math.cos(elevation) * Math.cos(azimuth),
    sun: scale(style.sunColour, rng.range(style.sunIntensity[0], style.sunIntensity[1])),
    ambient: scale(style.ambientColour, rng.range(style.ambientIntensity[0], style.ambientIntensity[1])),
    skyZenith: style.skyZenith,
    skyHorizon: style.skyHorizon,
    haze: style.haze,
    hazeDistance: rng.range(style.hazeDistance[0], style.hazeDistance[1]),
    shadows: style.shadows,
    clouds: rng.range(style.clouds[0], style.clouds[1]),
    litWindows: style.litWindows,
  };
}
