/**
 * Colours used by the view helpers.
 */
import { TRAIN_ID_TO_COLOR } from '../../data/cityscapes-labels.js';

/** An sRGB colour, each channel 0..255. */
export type Rgb = readonly [number, number, number];

/**
 * CityScapes' own colours for train ids 0..18 (from the labels table in src/data). Why these: anyone who
 * has seen CityScapes reads a label picture in them at a glance.
 */
export const CITYSCAPES_PALETTE: readonly Rgb[] = TRAIN_ID_TO_COLOR;

/**
 * Colour of pixels that have nothing to show: the ignore label, no instance, unknown disparity.
 * Why black: CityScapes paints unlabelled pixels black, and it reads as "nothing here" on every colormap.
 */
export const BACKGROUND_COLOUR: Rgb = Object.freeze([0, 0, 0] as const);
