/**
 * Colours used by the view helpers.
 */

/** An sRGB colour, each channel 0..255. */
export type Rgb = readonly [number, number, number];

/**
 * CityScapes' own colours for train ids 0..18 (road, sidewalk, building, wall, fence, pole, traffic light,
 * traffic sign, vegetation, terrain, sky, person, rider, car, truck, bus, train, motorcycle, bicycle).
 * Why these: anyone who has seen CityScapes reads a label picture in them at a glance.
 */
export const CITYSCAPES_PALETTE: readonly Rgb[] = Object.freeze([
  [128, 64, 128],
  [244, 35, 232],
  [70, 70, 70],
  [102, 102, 156],
  [190, 153, 153],
  [153, 153, 153],
  [250, 170, 30],
  [220, 220, 0],
  [107, 142, 35],
  [152, 251, 152],
  [70, 130, 180],
  [220, 20, 60],
  [255, 0, 0],
  [0, 0, 142],
  [0, 0, 70],
  [0, 60, 100],
  [0, 80, 100],
  [0, 0, 230],
  [119, 11, 32],
] as const);

/**
 * Colour of pixels that have nothing to show: the ignore label, no instance, unknown disparity.
 * Why black: CityScapes paints unlabelled pixels black, and it reads as "nothing here" on every colormap.
 */
export const BACKGROUND_COLOUR: Rgb = Object.freeze([0, 0, 0] as const);
