/**
 * A minimal PNG writer that does not use sharp (IHDR + one IDAT, filter type 0 on every row, zlib via
 * node:zlib), so codec tests can check sharp's decoder against bytes made independently of it.
 */
import { crc32, deflateSync } from 'node:zlib';

/** PNG colour type for a channel count: grey, grey + alpha, RGB, RGBA. */
const COLOUR_TYPE: Record<1 | 2 | 3 | 4, number> = { 1: 0, 2: 4, 3: 2, 4: 6 };

function chunk(type: string, body: Buffer): Buffer {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(body.length, 0);
  head.write(type, 4, 'ascii');
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), body])) >>> 0, 0);
  return Buffer.concat([head, body, crc]);
}

/**
 * Encodes interleaved samples as a PNG. 16-bit samples are written big-endian, as the PNG spec requires.
 */
export function manualPng(
  width: number,
  height: number,
  channels: 1 | 2 | 3 | 4,
  bitDepth: 8 | 16,
  samples: ArrayLike<number>,
): Buffer {
  const bytesPerSample = bitDepth / 8;
  const rowBytes = width * channels * bytesPerSample;
  const raw = Buffer.alloc(height * (rowBytes + 1));
  for (let y = 0; y < height; y++) {
    const rowStart = y * (rowBytes + 1);
    raw[rowStart] = 0;
    for (let i = 0; i < width * channels; i++) {
      const v = samples[y * width * channels + i]!;
      if (bitDepth === 16) raw.writeUInt16BE(v, rowStart + 1 + i * 2);
      else raw[rowStart + 1 + i] = v;
    }
  }
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = bitDepth;
  ihdr[9] = COLOUR_TYPE[channels];
  ihdr[10] = 0;
  ihdr[11] = 0;
  ihdr[12] = 0;
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(raw)),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

/** The chunk types of a PNG file, in order. */
export function pngChunkTypes(png: Buffer): string[] {
  const types: string[] = [];
  let offset = 8;
  while (offset + 8 <= png.length) {
    const length = png.readUInt32BE(offset);
    types.push(png.toString('ascii', offset + 4, offset + 8));
    offset += 12 + length;
  }
  return types;
}
