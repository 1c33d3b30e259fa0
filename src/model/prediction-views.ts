/**
 * The coloured pictures of a prediction, for people: segmentation in the classes' colours, instances,
 * disparity through a colour map, and the segmentation over the image. The API answers them to
 * `Accept: image/png` with `?view=`, and the worker renders them for a job's pictures per epoch.
 *
 * @packageDocumentation
 */
import type { RasterImage } from '../data/image-codec.js';
import { encodeFilteredPng } from '../data/png-writer.js';
import { colourizeDisparity, colourizeInstances, colourizeLabels, overlay } from './postprocess/index.js';
import { collectRows, type PredictionMaps } from './prediction-maps.js';
import { toRgb8 } from './predictor.js';

/**
 * zlib level of the PNG maps and pictures of a prediction answer (written by png-writer.ts, Sub-filtered).
 * Why 1: on a 512x256 answer level 6 took ~30 ms (as long as the post-processing) for maps that are a few
 * hundred kB either way; level 1 is several times faster for a somewhat larger answer on loopback (level 3
 * took a 512x256 disparity map from 3.1 to 5.2 ms for 12% fewer bytes), and the pixels are the same.
 * Training data keeps level 6.
 */
export const PREDICTION_PNG_LEVEL = 1;

/** The coloured pictures a prediction can answer with (`Accept: image/png` + `?view=`). */
export const VIEWS = ['segmentation', 'instances', 'depth', 'overlay'] as const;

/** One coloured picture of a prediction. */
export type ViewName = (typeof VIEWS)[number];

/** The coloured picture of one view, as PNG bytes; `image` is needed by the overlay only. */
export async function predictionView(
  maps: PredictionMaps,
  image: RasterImage,
  view: ViewName,
): Promise<Buffer> {
  const { width, height } = maps;
  const rgb = (data: Uint8Array) =>
    encodeFilteredPng(
      { width, height, channels: 3, bitDepth: 8, data },
      { compressionLevel: PREDICTION_PNG_LEVEL },
    );
  const palette = maps.manifest.classes.map((c) => c.color);
  switch (view) {
    case 'segmentation':
      return rgb(colourizeLabels(required(maps.segmentation(), view).labels, palette));
    case 'instances':
      return rgb(colourizeInstances(required(maps.instances(), view).idMap));
    case 'depth':
      if (!maps.hasDepth()) throw new Error('view depth: the prediction has no such output');
      return rgb(colourizeDisparity(collectRows(maps.disparityRows, width * height)));
    case 'overlay': {
      const colours = colourizeLabels(required(maps.segmentation(), view).labels, palette);
      return rgb(overlay(toRgb8(image), colours, 0.5));
    }
  }
}

function required<T>(value: T | undefined, view: string): T {
  if (value === undefined) throw new Error(`view ${view}: the prediction has no such output`);
  return value;
}
