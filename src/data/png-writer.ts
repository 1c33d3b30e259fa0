/**
 * A PNG writer for the maps a prediction answers with: every scanline gets PNG's Sub filter (each byte
 * minus the same byte of the pixel to its left) and the scanlines are deflated in libuv's thread pool
 * (`zlib.deflate`), so the caller's thread goes on while the bytes compress.
 *
 * Why not sharp's encoder (`encodePng`, image-codec.ts) for these maps: libvips writes them unfiltered, and a
 * smooth 16-bit disparity or depth map then barely compresses (about 190 kB for 512x256, 2.5x what the Sub
 * filter gives at the same zlib level), and its pipeline costs ~1 ms of set-up a map even for a flat label
 * map. The pixels decode the same from either; training data keeps `encodePng`.
 *
 * @packageDocumentation
 */
import { promisify } from 'node:util';
import { crc32, deflate } from 'node:zlib';
import { assertRasterImage, type RasterImage } from './raster-image.js';

const deflateAsync = promisify(deflate);

/** The 8 bytes every PNG file starts with (PNG spec, 5.2). */
const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/** PNG colour type by channel count (PNG spec, 11.2.2): grey, grey + alpha, RGB, RGBA. */
const COLOUR_TYPE_BY_CHANNELS: Readonly<Record<number, number>> = { 1: 0, 2: 4, 3: 2, 4: 6 };

/** Filter type byte of a Sub-filtered scanline (PNG spec, 9.2). */
const SUB_FILTER = 1;

/** Bytes of a chunk around its data: length, type, CRC. */
const CHUNK_OVERHEAD_BYTES = 12;

/**
 * The image's scanlines as PNG stores them before compression: each row is a filter-type byte (Sub) and
 * the row's bytes (16-bit samples big-endian, as PNG wants them) minus those one pixel to the left, modulo
 * 256. A pure function of the raster.
 *
 * @param image - A consistent raster (any channel count 1-4, 8 or 16 bits).
 * @returns `height * (1 + width * channels * bitDepth / 8)` bytes.
 */
export function subFilteredScanlines(image: RasterImage): Buffer {
  const { width, height, channels, bitDepth } = image;
  const samplesPerRow = width * channels;
  const stride = 1 + samplesPerRow * (bitDepth / 8);
  const out = Buffer.allocUnsafe(stride * height);
  if (bitDepth === 8) {
    const data = image.data as Uint8Array;
    for (let y = 0; y < height; y++) {
      const o = y * stride + 1;
      const s = y * samplesPerRow;
      out[o - 1] = SUB_FILTER;
      for (let k = 0; k < channels; k++) out[o + k] = data[s + k]!;
      for (let k = channels; k < samplesPerRow; k++)
        out[o + k] = (data[s + k]! - data[s + k - channels]!) & 0xff;
    }
    return out;
  }
  const data = image.data as Uint16Array;
  for (let y = 0; y < height; y++) {
    const o = y * stride + 1;
    const s = y * samplesPerRow;
    out[o - 1] = SUB_FILTER;
    for (let k = 0; k < channels; k++) {
      const v = data[s + k]!;
      out[o + 2 * k] = v >>> 8;
      out[o + 2 * k + 1] = v & 0xff;
    }
    for (let k = channels; k < samplesPerRow; k++) {
      const v = data[s + k]!;
      const left = data[s + k - channels]!;
      out[o + 2 * k] = ((v >>> 8) - (left >>> 8)) & 0xff;
      out[o + 2 * k + 1] = ((v & 0xff) - (left & 0xff)) & 0xff;
    }
  }
  return out;
}

/**
 * Output buffer of the deflate: room for the whole stream (zlib's worst case is the input plus 5 bytes a
 * 16 kB block and a few more). Why: zlib's asynchronous API comes back to the calling thread each time its
 * output buffer is full (16 kB by default), so a map deflated while the caller post-processes the next one
 * would wait for the caller between every 16 kB; with one buffer it is one trip to the thread pool.
 */
function outputChunkBytes(inputBytes: number): number {
  return Math.max(64, inputBytes + Math.ceil(inputBytes / 16384) * 5 + 64);
}

/** One PNG chunk's head (length and type) and tail (CRC of type and data), around `data`. */
function chunkFrame(type: string, data: Uint8Array): { head: Buffer; tail: Buffer } {
  const head = Buffer.allocUnsafe(8);
  head.writeUInt32BE(data.length, 0);
  head.write(type, 4, 'latin1');
  const tail = Buffer.allocUnsafe(4);
  tail.writeUInt32BE(crc32(data, crc32(head.subarray(4))), 0);
  return { head, tail };
}

/** The IHDR chunk's data: size, bit depth, colour type, and the only compression, filter and interlace PNG has. */
function headerData(image: RasterImage): Buffer {
  const data = Buffer.alloc(13);
  data.writeUInt32BE(image.width, 0);
  data.writeUInt32BE(image.height, 4);
  data[8] = image.bitDepth;
  data[9] = COLOUR_TYPE_BY_CHANNELS[image.channels]!;
  return data;
}

/**
 * Encodes a raster as PNG with Sub-filtered scanlines, deflated at `compressionLevel` in libuv's thread
 * pool: 8 or 16 bits, grey / grey + alpha / RGB / RGBA as given, only the IHDR, IDAT and IEND chunks (the
 * same raster always gives the same bytes).
 *
 * @param image - The raster to encode.
 * @param options - `compressionLevel`: zlib level 0-9 (default 1, what a prediction answer uses).
 * @returns The PNG file bytes.
 * @throws {@link RasterShapeError} when the raster is inconsistent.
 */
export async function encodeFilteredPng(
  image: RasterImage,
  options: { compressionLevel?: number } = {},
): Promise<Buffer> {
  assertRasterImage(image, 'encodeFilteredPng input');
  const header = headerData(image);
  const scanlines = subFilteredScanlines(image);
  const compressed = await deflateAsync(scanlines, {
    level: options.compressionLevel ?? 1,
    chunkSize: outputChunkBytes(scanlines.length),
  });
  const ihdr = chunkFrame('IHDR', header);
  const idat = chunkFrame('IDAT', compressed);
  const iend = chunkFrame('IEND', Buffer.alloc(0));
  return Buffer.concat(
    [PNG_SIGNATURE, ihdr.head, header, ihdr.tail, idat.head, compressed, idat.tail, iend.head, iend.tail],
    PNG_SIGNATURE.length + 3 * CHUNK_OVERHEAD_BYTES + header.length + compressed.length,
  );
}
