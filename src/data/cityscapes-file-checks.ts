/**
 * Checks of the image files of a CityScapes sample (bit depth, channels, size against the sample's image),
 * from a header or a decoded raster, with errors that name the file.
 *
 * @packageDocumentation
 */
import { DatasetError } from '../errors.js';
import { ImageDecodeError } from './errors.js';
import type { RasterImage } from './image-codec.js';

/** Width, height, channels and bit depth, from a header or a decoded raster. */
export interface ImageFormat {
  width: number;
  height: number;
  channels: number;
  bitDepth: number;
}

/** Turns a codec error into a dataset error naming `file`; passes dataset errors through. */
export function asDatasetError(error: unknown, file: string): DatasetError {
  if (error instanceof DatasetError) return error;
  const reason = error instanceof ImageDecodeError ? error.message : String(error);
  return new DatasetError(`unreadable image: ${reason}`, file, { cause: error });
}

/**
 * Expected channels and bit depth of each image kind, with the words used when it is wrong. Why these: the
 * CityScapes formats (RGB photos, 8-bit label ids, 16-bit instance ids and disparities, whose values exceed 255).
 */
const EXPECTED_FORMAT: Record<
  'image' | 'labelIds' | 'instanceIds' | 'disparity',
  { channels: number[]; bitDepth: number; what: string }
> = {
  image: { channels: [3, 4], bitDepth: 8, what: 'an 8-bit RGB image' },
  labelIds: { channels: [1], bitDepth: 8, what: 'a 1-channel 8-bit label-id map' },
  instanceIds: { channels: [1], bitDepth: 16, what: 'a 1-channel 16-bit instance-id map' },
  disparity: { channels: [1], bitDepth: 16, what: 'a 1-channel 16-bit disparity map' },
};

/** Checks bit depth, channels and size of one file against its kind and its image; errors name `file`. */
export function checkImageFormat(
  kind: keyof typeof EXPECTED_FORMAT,
  format: ImageFormat,
  image: ImageFormat,
  file: string,
  imageFile: string,
): void {
  const e = EXPECTED_FORMAT[kind];
  if (format.bitDepth !== e.bitDepth) {
    const where = e.bitDepth === 16 ? '16-bit is required' : `${e.bitDepth}-bit is required`;
    throw new DatasetError(`expected ${e.what}, found ${format.bitDepth}-bit samples (${where})`, file);
  }
  if (!e.channels.includes(format.channels)) {
    throw new DatasetError(`expected ${e.what}, found ${format.channels} channel(s)`, file);
  }
  if (format.width !== image.width || format.height !== image.height) {
    throw new DatasetError(
      `size ${format.width}x${format.height} does not match its image ${imageFile} (${image.width}x${image.height})`,
      file,
    );
  }
}

/** RGBA to RGB: the reader hands out 3-channel images. */
export function dropAlpha(image: RasterImage): RasterImage {
  const pixels = image.width * image.height;
  const out = new Uint8Array(pixels * 3);
  const d = image.data;
  for (let i = 0; i < pixels; i++) {
    out[3 * i] = d[4 * i]!;
    out[3 * i + 1] = d[4 * i + 1]!;
    out[3 * i + 2] = d[4 * i + 2]!;
  }
  return { width: image.width, height: image.height, channels: 3, bitDepth: 8, data: out };
}
