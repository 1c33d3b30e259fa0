import { encodePng, type RasterImage } from '../../data/image-codec.js';
import type { ModelManifest } from '../../model/artifacts.js';
import {
  colourizeDisparity,
  colourizeInstances,
  colourizeLabels,
  overlay,
} from '../../model/postprocess/index.js';
import { toRgbFloat, type Prediction } from '../../model/predictor.js';
import type { ViewName } from './predict-messages.js';

/** Default fixed-point scale of the 16-bit disparity PNG: 1/256 px steps, as CityScapes' disparity files. */
export const DISPARITY_PNG_SCALE = 256;
/** The 16-bit depth PNG stores centimetres: 1 cm steps up to 655 m, beyond any street scene. */
export const DEPTH_PNG_SCALE = 100;
const UINT16_MAX = 65535;

/** A PNG in a JSON answer. */
export interface EmbeddedPng {
  format: 'png';
  bitDepth: 8 | 16;
  encoding: 'base64';
  data: string;
}

/**
 * The JSON answer of POST /v1/models/{id}/predict (see openapi.yaml): image size and timings, then one
 * section per requested head, each with a PNG map at the image's size.
 */
export async function predictionBody(
  prediction: Prediction,
  manifest: ModelManifest,
  timings: { decodeMs: number },
): Promise<Record<string, unknown>> {
  const { width, height } = prediction;
  const started = performance.now();
  const body: Record<string, unknown> = { model: manifest.id, width, height };
  if (prediction.segmentation) {
    const { labels, classes } = prediction.segmentation;
    body['segmentation'] = {
      classes: classes.map(({ trainId, name, color, pixelShare }) => ({ trainId, name, color, pixelShare })),
      labelMap: await png({ width, height, channels: 1, bitDepth: 8, data: labels }, 8),
    };
  }
  if (prediction.instances) {
    const { idMap, instances } = prediction.instances;
    body['instances'] = {
      count: instances.length,
      instances: instances.map(({ id, trainId, className, area, bbox, centroid, score }) => ({
        id,
        trainId,
        className,
        area,
        bbox,
        centroid,
        score,
      })),
      idMap: await png({ width, height, channels: 1, bitDepth: 16, data: idMap }, 16),
    };
  }
  if (prediction.depth) {
    const { disparity, min, max, depth } = prediction.depth;
    const scale = max * DISPARITY_PNG_SCALE > UINT16_MAX ? UINT16_MAX / max : DISPARITY_PNG_SCALE;
    body['depth'] = {
      unit: 'px',
      min,
      max,
      disparityMap: { ...(await png(quantise(disparity, scale, width, height), 16)), scale },
      ...(depth
        ? {
            metres: {
              ...depthRange(depth),
              depthMap: {
                ...(await png(quantise(depth, DEPTH_PNG_SCALE, width, height), 16)),
                scale: DEPTH_PNG_SCALE,
              },
            },
          }
        : {}),
    };
  }
  body['timings'] = {
    decodeMs: timings.decodeMs,
    ...prediction.timings,
    encodeMs: performance.now() - started,
  };
  return body;
}

/** The coloured picture of one view, as PNG bytes. */
export async function predictionView(
  prediction: Prediction,
  manifest: ModelManifest,
  image: RasterImage,
  view: ViewName,
): Promise<Buffer> {
  const { width, height } = prediction;
  const rgb = (data: Uint8Array) => encodePng({ width, height, channels: 3, bitDepth: 8, data });
  const palette = manifest.classes.map((c) => c.color);
  switch (view) {
    case 'segmentation':
      return rgb(colourizeLabels(required(prediction.segmentation, view).labels, palette));
    case 'instances':
      return rgb(colourizeInstances(required(prediction.instances, view).idMap));
    case 'depth':
      return rgb(colourizeDisparity(required(prediction.depth, view).disparity));
    case 'overlay': {
      const colours = colourizeLabels(required(prediction.segmentation, view).labels, palette);
      const pixels = Uint8Array.from(toRgbFloat(image), (v) => Math.round(v));
      return rgb(overlay(pixels, colours, 0.5));
    }
  }
}

function required<T>(value: T | undefined, view: string): T {
  if (value === undefined) throw new Error(`view ${view}: the prediction has no such output`);
  return value;
}

async function png(image: RasterImage, bitDepth: 8 | 16): Promise<EmbeddedPng> {
  return { format: 'png', bitDepth, encoding: 'base64', data: (await encodePng(image)).toString('base64') };
}

/** values * scale rounded into a 16-bit grey image (negatives to 0, overflow to 65535). */
function quantise(values: Float32Array, scale: number, width: number, height: number): RasterImage {
  const data = new Uint16Array(values.length);
  for (let i = 0; i < values.length; i++)
    data[i] = Math.min(UINT16_MAX, Math.max(0, Math.round(values[i]! * scale)));
  return { width, height, channels: 1, bitDepth: 16, data };
}

function depthRange(depth: Float32Array): { min: number; max: number; median: number } {
  const valid = Float32Array.from(depth.filter((d) => d > 0 && Number.isFinite(d))).sort();
  if (valid.length === 0) return { min: 0, max: 0, median: 0 };
  return { min: valid[0]!, max: valid[valid.length - 1]!, median: valid[valid.length >> 1]! };
}
