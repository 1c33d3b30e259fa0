import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import sharp from 'sharp';
import { RasterShapeError } from '../../src/data/errors.js';
import { decodeImage, encodePng, type RasterImage } from '../../src/data/image-codec.js';
import { encodeFilteredPng, subFilteredScanlines } from '../../src/data/png-writer.js';
import { randomRaster } from './helpers/random-raster.js';
import { pngChunkTypes } from './helpers/manual-png.js';

describe('encodeFilteredPng', () => {
  for (const channels of [1, 2, 3, 4] as const) {
    for (const bitDepth of [8, 16] as const) {
      it(`round-trips ${channels} channel(s) at ${bitDepth} bits through sharp's decoder (odd sizes, 1x1)`, async () => {
        for (const [width, height] of [
          [7, 5],
          [1, 1],
          [33, 2],
        ] as const) {
          const image = randomRaster(width, height, channels, bitDepth, width * 10 + height);
          const png = await encodeFilteredPng(image);
          const decoded = await decodeImage(png);
          assert.equal(decoded.width, width);
          assert.equal(decoded.height, height);
          assert.equal(decoded.channels, channels);
          assert.equal(decoded.bitDepth, bitDepth);
          assert.deepEqual(decoded.data, image.data);
          // libpng itself accepts it (sharp's own reader, not this project's decode path).
          const meta = await sharp(png).metadata();
          assert.equal(meta.format, 'png');
          assert.equal(meta.channels, channels);
        }
      });
    }
  }

  it('writes only the critical chunks, the same bytes for the same raster, and any zlib level decodes the same', async () => {
    const image = randomRaster(20, 9, 1, 16, 5);
    const png = await encodeFilteredPng(image);
    assert.deepEqual(pngChunkTypes(png), ['IHDR', 'IDAT', 'IEND']);
    assert.deepEqual(await encodeFilteredPng(image), png);
    for (const compressionLevel of [0, 6, 9]) {
      const other = await encodeFilteredPng(image, { compressionLevel });
      assert.deepEqual((await decodeImage(other)).data, image.data);
    }
  });

  it('compresses a smooth 16-bit map to well under half the bytes of the unfiltered encodePng at the same level', async () => {
    const width = 256;
    const height = 128;
    const data = new Uint16Array(width * height);
    for (let y = 0; y < height; y++)
      for (let x = 0; x < width; x++)
        data[y * width + x] = Math.round(256 * (4 + 20 * Math.sin(x / 40) + y / 7));
    const image: RasterImage = { width, height, channels: 1, bitDepth: 16, data };
    const filtered = await encodeFilteredPng(image, { compressionLevel: 1 });
    const unfiltered = await encodePng(image, { compressionLevel: 1 });
    assert.ok(filtered.length * 2 < unfiltered.length, `${filtered.length} vs ${unfiltered.length} bytes`);
  });

  it('rejects an inconsistent raster with a RasterShapeError naming the buffer', async () => {
    await assert.rejects(
      encodeFilteredPng({ width: 4, height: 4, channels: 1, bitDepth: 16, data: new Uint16Array(15) }),
      (error: unknown) => error instanceof RasterShapeError && /encodeFilteredPng input/.test(error.message),
    );
    await assert.rejects(
      encodeFilteredPng({
        width: 4,
        height: 4,
        channels: 1,
        bitDepth: 16,
        data: new Uint8Array(16),
      } as never),
      RasterShapeError,
    );
  });
});

describe('subFilteredScanlines', () => {
  it('starts each row with filter type 1 and stores each byte minus the one a pixel to its left, mod 256', () => {
    const grey8: RasterImage = {
      width: 3,
      height: 2,
      channels: 1,
      bitDepth: 8,
      data: Uint8Array.of(10, 12, 9, 0, 255, 1),
    };
    assert.deepEqual([...subFilteredScanlines(grey8)], [1, 10, 2, 253, 1, 0, 255, 2]);
    // 16 bits: big-endian samples, the high and low bytes each minus their own of the pixel to the left.
    const grey16: RasterImage = {
      width: 2,
      height: 1,
      channels: 1,
      bitDepth: 16,
      data: Uint16Array.of(0x0102, 0x0301),
    };
    assert.deepEqual([...subFilteredScanlines(grey16)], [1, 0x01, 0x02, 0x02, 0xff]);
    // RGB: each channel against the same channel of the previous pixel.
    const rgb: RasterImage = {
      width: 2,
      height: 1,
      channels: 3,
      bitDepth: 8,
      data: Uint8Array.of(1, 2, 3, 5, 5, 5),
    };
    assert.deepEqual([...subFilteredScanlines(rgb)], [1, 1, 2, 3, 4, 3, 2]);
  });
});
