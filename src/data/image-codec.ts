/**
 * Image I/O through sharp: decode PNG and JPEG (8- and 16-bit; grey, grey + alpha, RGB, RGBA) into a
 * {@link RasterImage}, read a header without decoding, and encode a raster as a PNG with deterministic bytes.
 * The resamplers live in `resize.ts` and are re-exported here, so this module is the one import for image
 * work.
 *
 * ```ts
 * const img = await decodeImage('data/x/leftImg8bit/train/a/a_000000_000000_leftImg8bit.png');
 * const small = resizeBilinear(img, 256, 128);
 * await writeFile('small.png', await encodePng(small));
 * ```
 *
 * Notes:
 * - Samples are returned as stored: no colour management, no gamma, no EXIF rotation, 16-bit values are
 *   not scaled to 8 bits.
 * - Files are read with `fs.readFile` and handed to sharp as buffers, so sharp's file cache can never serve
 *   a stale copy of a file that was rewritten.
 *
 * @packageDocumentation
 */
import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import sharp, { type Metadata } from 'sharp';
import { ImageDecodeError } from './errors.js';
import { assertRasterImage, type RasterImage } from './raster-image.js';

export { type RasterImage, assertRasterImage } from './raster-image.js';
export { DISPARITY_ENCODING_SCALE, resizeBilinear, resizeDisparity, resizeNearest } from './resize.js';

/** Container formats {@link decodeImage} accepts. */
export type ImageFormat = 'png' | 'jpeg';

/** What {@link readImageHeader} reports: the stored layout, before any decoding. */
export interface ImageHeader {
  width: number;
  height: number;
  /** 1 grey, 2 grey + alpha, 3 RGB, 4 RGBA (a palette PNG reports 3 or 4, as it decodes). */
  channels: 1 | 2 | 3 | 4;
  /** Bits per sample after decoding: 16 for 16-bit PNGs, 8 for everything else (incl. 1/2/4-bit PNGs). */
  bitDepth: 8 | 16;
  format: ImageFormat;
}

/**
 * zlib level of {@link encodePng}. Why 6: zlib's own default, within ~3% of level 9's size on label maps at
 * a fraction of the time; fixed (not sharp's default) so the bytes never change with a library default.
 */
export const PNG_COMPRESSION_LEVEL = 6;

/**
 * Turns libvips' operation cache off for the whole process. Why: a server decodes each upload once, so the
 * cache (by default up to 50 MB and 100 operations) only keeps memory that the next request will not use;
 * the training pipeline reads files through its own target cache and does not need it either.
 */
export function disableDecoderCache(): void {
  sharp.cache(false);
}

/** Reads a file or passes a buffer through; `label` is what error messages call the input. */
async function loadBytes(input: Buffer | string): Promise<{ bytes: Buffer; label: string }> {
  if (typeof input !== 'string') return { bytes: input, label: 'image buffer' };
  // Only the base name goes into messages: callers (the dataset reader) add the DATA_DIR-relative path.
  const label = basename(input);
  try {
    return { bytes: await readFile(input), label };
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'EIO';
    throw new ImageDecodeError(`cannot read image file ${label}: ${code}`, { cause: error });
  }
}

/** First line of a sharp/libvips error, which is the useful part (the rest is libvips' stack of callers). */
function decoderReason(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.split('\n')[0]!.trim();
}

/** Header of `bytes`, checked to be a PNG or JPEG with 1-4 channels of 8 or 16 bits. */
async function headerOf(bytes: Buffer, label: string): Promise<ImageHeader> {
  let meta: Metadata;
  try {
    meta = await sharp(bytes).metadata();
  } catch (error) {
    throw new ImageDecodeError(`${label} is not a readable image: ${decoderReason(error)}`, { cause: error });
  }
  const format = meta.format === 'jpeg' || meta.format === 'png' ? meta.format : undefined;
  if (format === undefined) {
    throw new ImageDecodeError(
      `${label} is ${meta.format ?? 'of unknown format'}; only PNG and JPEG are read`,
    );
  }
  const { width, height, channels } = meta;
  if (width === undefined || height === undefined || width < 1 || height < 1) {
    throw new ImageDecodeError(`${label} has no valid size`);
  }
  if (channels !== 1 && channels !== 2 && channels !== 3 && channels !== 4) {
    throw new ImageDecodeError(`${label} has ${String(channels)} channels; 1 to 4 are supported`);
  }
  let bitDepth: 8 | 16;
  if (meta.depth === 'uchar') bitDepth = 8;
  else if (meta.depth === 'ushort') bitDepth = 16;
  else
    throw new ImageDecodeError(
      `${label} has sample format ${String(meta.depth)}; 8 and 16-bit are supported`,
    );
  return { width, height, channels, bitDepth, format };
}

/**
 * Reads width, height, channels, bit depth and format from the header, without decoding pixels. A file whose
 * pixel data is truncated or corrupt passes; {@link decodeImage} finds that.
 *
 * @param input - Encoded bytes, or a file path.
 * @throws {@link ImageDecodeError} when the file cannot be read, or the header is not that of a PNG/JPEG with
 *   1-4 channels of 8 or 16 bits.
 */
export async function readImageHeader(input: Buffer | string): Promise<ImageHeader> {
  const { bytes, label } = await loadBytes(input);
  return headerOf(bytes, label);
}

/**
 * Decodes a PNG or JPEG into an interleaved raster with the channels and bit depth it was stored with:
 * grey stays 1 channel, grey + alpha 2, RGB 3, RGBA 4; 16-bit PNG samples are returned unscaled in a
 * `Uint16Array` (what CityScapes' instance-id and disparity maps need). Palette PNGs decode to RGB(A); CMYK
 * JPEGs to RGB.
 *
 * @param input - Encoded bytes, or a file path.
 * @returns The decoded raster.
 * @throws {@link ImageDecodeError} for unreadable files, unsupported formats, and corrupt or truncated data.
 */
export async function decodeImage(input: Buffer | string): Promise<RasterImage> {
  const { bytes, label } = await loadBytes(input);
  const header = await headerOf(bytes, label);
  const { channels, bitDepth } = header;
  try {
    // failOn 'error': corrupt or truncated data is an error (not grey pixels), while benign decoder warnings
    // (e.g. libpng's "known incorrect sRGB profile", common in user uploads) are not, as sharp's default
    // 'warning' would make them.
    const pipeline = sharp(bytes, { failOn: 'error' });
    if (bitDepth === 16) {
      // Without a 16-bit colour space sharp would convert to 8-bit sRGB; grey16/rgb16 keep samples as stored.
      const { data, info } = await pipeline
        .toColourspace(channels <= 2 ? 'grey16' : 'rgb16')
        .raw({ depth: 'ushort' })
        .toBuffer({ resolveWithObject: true });
      // A view when the bytes are 2-byte aligned (sharp's buffer is an allocation of its own, so always in
      // practice): no second copy of a full-size 16-bit image. A copy otherwise (e.g. at an odd offset).
      const samples =
        data.byteOffset % 2 === 0
          ? new Uint16Array(data.buffer, data.byteOffset, data.length / 2)
          : new Uint16Array(Uint8Array.from(data).buffer);
      return checked({ width: info.width, height: info.height, channels, bitDepth, data: samples }, label);
    }
    if (channels === 1) {
      const { data, info } = await pipeline.toColourspace('b-w').raw().toBuffer({ resolveWithObject: true });
      return checked(
        { width: info.width, height: info.height, channels: 1, bitDepth, data: toU8(data) },
        label,
      );
    }
    const { data, info } = await pipeline.raw().toBuffer({ resolveWithObject: true });
    if (channels === 2) {
      // sharp widens grey + alpha to RGBA with R = G = B; keep grey (R) and alpha.
      const pixels = info.width * info.height;
      const out = new Uint8Array(pixels * 2);
      for (let i = 0; i < pixels; i++) {
        out[2 * i] = data[4 * i]!;
        out[2 * i + 1] = data[4 * i + 3]!;
      }
      return checked({ width: info.width, height: info.height, channels: 2, bitDepth, data: out }, label);
    }
    const outChannels = info.channels === 4 ? 4 : 3;
    return checked(
      { width: info.width, height: info.height, channels: outChannels, bitDepth, data: toU8(data) },
      label,
    );
  } catch (error) {
    if (error instanceof ImageDecodeError) throw error;
    throw new ImageDecodeError(`${label} cannot be decoded: ${decoderReason(error)}`, { cause: error });
  }
}

/** A plain Uint8Array view of a sharp Buffer (Buffer is a subclass; callers compare constructors). */
function toU8(data: Buffer): Uint8Array {
  return new Uint8Array(data.buffer, data.byteOffset, data.length);
}

/** Re-checks a decoded raster, turning a shape surprise from sharp into a decode error. */
function checked(image: RasterImage, label: string): RasterImage {
  try {
    assertRasterImage(image, label);
  } catch (error) {
    throw new ImageDecodeError(`${label} decoded to an inconsistent raster`, { cause: error });
  }
  return image;
}

/**
 * Encodes a raster as PNG: 8 or 16 bits per sample, grey / grey + alpha / RGB / RGBA as given, no metadata
 * chunks (no time, density, profile or EXIF), fixed zlib level {@link PNG_COMPRESSION_LEVEL} and no adaptive
 * filtering, so the same raster always gives the same bytes.
 *
 * @param image - The raster to encode.
 * @param options - `compressionLevel`: zlib level 0-9 (default {@link PNG_COMPRESSION_LEVEL}); the same pixels
 *   decode from any level, only the size and the time change.
 * @returns The PNG file bytes.
 * @throws {@link RasterShapeError} when the raster is inconsistent.
 */
export async function encodePng(
  image: RasterImage,
  options: { compressionLevel?: number } = {},
): Promise<Buffer> {
  assertRasterImage(image, 'encodePng input');
  const { width, height, channels, bitDepth } = image;
  // sharp picks the raw sample type from the typed array's constructor: pass a plain Uint8Array/Uint16Array.
  const data =
    bitDepth === 16
      ? new Uint16Array(image.data.buffer, image.data.byteOffset, image.data.length)
      : new Uint8Array(image.data.buffer, image.data.byteOffset, image.data.length);
  const space = channels <= 2 ? (bitDepth === 16 ? 'grey16' : 'b-w') : bitDepth === 16 ? 'rgb16' : 'srgb';
  const png = await sharp(data, { raw: { width, height, channels } })
    .toColourspace(space)
    .png({
      compressionLevel: options.compressionLevel ?? PNG_COMPRESSION_LEVEL,
      adaptiveFiltering: false,
      palette: false,
      force: true,
    })
    .toBuffer();
  return keepCriticalChunks(png);
}

/**
 * Chunks {@link encodePng} keeps. Why: libvips always writes a `pHYs` (density) chunk, and any ancillary chunk
 * is metadata this project does not want in its files; these are the chunks needed to decode a non-palette PNG.
 */
const CRITICAL_CHUNKS = new Set(['IHDR', 'IDAT', 'IEND']);

/** PNG signature length. Why: chunks start right after the 8-byte signature. */
const PNG_SIGNATURE_BYTES = 8;

/** Copies a PNG keeping only {@link CRITICAL_CHUNKS} (each chunk: 4-byte length, 4-byte type, data, 4-byte CRC). */
function keepCriticalChunks(png: Buffer): Buffer {
  const parts: Buffer[] = [png.subarray(0, PNG_SIGNATURE_BYTES)];
  let offset = PNG_SIGNATURE_BYTES;
  while (offset + 8 <= png.length) {
    const length = png.readUInt32BE(offset);
    const end = offset + 12 + length;
    const type = png.toString('latin1', offset + 4, offset + 8);
    if (CRITICAL_CHUNKS.has(type)) parts.push(png.subarray(offset, end));
    offset = end;
  }
  return Buffer.concat(parts);
}
