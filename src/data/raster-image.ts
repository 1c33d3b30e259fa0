/**
 * The in-memory image type of the data library and its consistency check.
 *
 * @packageDocumentation
 */
import { RasterShapeError } from './errors.js';

/**
 * A decoded image: interleaved channels, row-major, top row first.
 *
 * Sample `(x, y, c)` is at `data[(y * width + x) * channels + c]`. 8-bit images hold a `Uint8Array`, 16-bit
 * images a `Uint16Array` (native endianness; PNG's big-endian samples are already swapped). Channels: 1 grey,
 * 2 grey + alpha, 3 RGB, 4 RGBA.
 */
export interface RasterImage {
  width: number;
  height: number;
  channels: 1 | 2 | 3 | 4;
  bitDepth: 8 | 16;
  data: Uint8Array | Uint16Array;
}

/**
 * Checks that `image` is self-consistent: positive integer sizes, 1 to 4 channels, a bit depth of 8 or 16,
 * and a pixel buffer of the matching element type and length.
 *
 * @param image - The raster to check.
 * @param what - How to call it in the error message (e.g. `"encodePng input"`).
 * @throws {@link RasterShapeError} naming the first field that disagrees.
 */
export function assertRasterImage(image: RasterImage, what = 'image'): void {
  const { width, height, channels, bitDepth, data } = image;
  if (!Number.isInteger(width) || width < 1 || !Number.isInteger(height) || height < 1) {
    throw new RasterShapeError(`${what}: width and height must be positive integers, got ${width}x${height}`);
  }
  if (channels !== 1 && channels !== 2 && channels !== 3 && channels !== 4) {
    throw new RasterShapeError(`${what}: channels must be 1, 2, 3 or 4, got ${String(channels)}`);
  }
  if (bitDepth === 8) {
    if (!(data instanceof Uint8Array)) {
      throw new RasterShapeError(`${what}: an 8-bit image needs a Uint8Array, got ${data.constructor.name}`);
    }
  } else if (bitDepth === 16) {
    if (!(data instanceof Uint16Array)) {
      throw new RasterShapeError(`${what}: a 16-bit image needs a Uint16Array, got ${data.constructor.name}`);
    }
  } else {
    throw new RasterShapeError(`${what}: bitDepth must be 8 or 16, got ${String(bitDepth)}`);
  }
  const expected = width * height * channels;
  if (data.length !== expected) {
    throw new RasterShapeError(
      `${what}: ${width}x${height}x${channels} needs ${expected} samples, the buffer holds ${data.length}`,
    );
  }
}

/** Asserts a positive integer target size for a resampler. */
export function assertTargetSize(width: number, height: number, what: string): void {
  if (!Number.isInteger(width) || width < 1 || !Number.isInteger(height) || height < 1) {
    throw new RasterShapeError(`${what}: target size must be positive integers, got ${width}x${height}`);
  }
}
