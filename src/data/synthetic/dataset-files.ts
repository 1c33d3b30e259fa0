/**
 * How a synthetic scene becomes the files of a CityScapes sample: names, paths and the images to encode.
 *
 * ```
 * leftImg8bit/{split}/{city}/{name}_leftImg8bit.png        RGB, 8-bit
 * gtFine/{split}/{city}/{name}_gtFine_labelIds.png         grey, 8-bit, label ids
 * gtFine/{split}/{city}/{name}_gtFine_instanceIds.png      grey, 16-bit, labelId * 1000 + index on things
 * disparity/{split}/{city}/{name}_disparity.png            grey, 16-bit, p = d * 256 + 1, 0 = invalid (sky)
 * camera/{split}/{city}/{name}_camera.json                 baseline, pitch, ..., fx, fy, u0, v0
 * ```
 *
 * @packageDocumentation
 */
import { cityscapesFile } from '../cityscapes-layout.js';
import { DISPARITY_ENCODING_SCALE, type RasterImage } from '../image-codec.js';
import type { Scene } from './generate-scene.js';

/**
 * Frame number in every scene name. Why 19: CityScapes' annotated frame is the 20th of each 30-frame
 * snippet (`aachen_000000_000019`), so names look exactly like the real ones.
 */
export const SYNTHETIC_FRAME = 19;

/** Largest 16-bit sample: encoded disparities are clamped to it rather than wrapping around. */
const MAX_UINT16 = 65535;

/** The paths (relative to the dataset root, `/`-separated) of one sample's files. */
export interface SamplePaths {
  leftImg8bit: string;
  labelIds: string;
  instanceIds: string;
  disparity: string;
  camera: string;
}

/** The CityScapes-style name of scene `index` in `city`: `{city}_{index:06}_000019`. */
export function sampleName(city: string, index: number): string {
  return `${city}_${String(index).padStart(6, '0')}_${String(SYNTHETIC_FRAME).padStart(6, '0')}`;
}

/** The paths of the sample `name` of `city` in `split`, in the layout the reader reads (cityscapes-layout.ts). */
export function samplePaths(split: string, city: string, name: string): SamplePaths {
  return {
    leftImg8bit: cityscapesFile('image', split, city, name),
    labelIds: cityscapesFile('labelIds', split, city, name),
    instanceIds: cityscapesFile('instanceIds', split, city, name),
    disparity: cityscapesFile('disparity', split, city, name),
    camera: cityscapesFile('camera', split, city, name),
  };
}

/**
 * CityScapes' disparity encoding of a disparity map in pixels: `p = round(d * 256) + 1` where `d > 0`
 * (clamped to 65535), `p = 0` where `d = 0` (sky, invalid). Decoding `(p - 1) / 256` is within 1/512 px.
 */
export function encodeDisparity(disparity: Float32Array): Uint16Array {
  const out = new Uint16Array(disparity.length);
  for (let i = 0; i < disparity.length; i++) {
    const d = disparity[i]!;
    out[i] = d > 0 ? Math.min(MAX_UINT16, Math.round(d * DISPARITY_ENCODING_SCALE) + 1) : 0;
  }
  return out;
}

/** The four images of a sample, ready for `encodePng`. */
export interface SampleImages {
  leftImg8bit: RasterImage;
  labelIds: RasterImage;
  instanceIds: RasterImage;
  disparity: RasterImage;
}

/** The images of `scene` as CityScapes stores them. */
export function sampleImages(scene: Scene): SampleImages {
  const { width, height } = scene;
  return {
    leftImg8bit: { width, height, channels: 3, bitDepth: 8, data: scene.rgb },
    labelIds: { width, height, channels: 1, bitDepth: 8, data: scene.labelIds },
    instanceIds: { width, height, channels: 1, bitDepth: 16, data: scene.instanceIds },
    disparity: { width, height, channels: 1, bitDepth: 16, data: encodeDisparity(scene.disparity) },
  };
}

/** The `_camera.json` text of `scene`: CityScapes' layout, indented by 4 spaces as their files are. */
export function cameraJson(scene: Scene): string {
  return `${JSON.stringify(scene.camera, null, 4)}\n`;
}
