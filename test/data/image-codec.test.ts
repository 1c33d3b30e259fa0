import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import sharp from 'sharp';
import { ImageDecodeError, RasterShapeError } from '../../src/data/errors.js';
import {
  decodeImage,
  encodePng,
  readImageHeader,
  resizeBilinear,
  resizeDisparity,
  resizeNearest,
  type RasterImage,
} from '../../src/data/image-codec.js';
import { randomRaster } from './helpers/random-raster.js';
import { manualPng, pngChunkTypes } from './helpers/manual-png.js';

const CHANNELS = [1, 2, 3, 4] as const;
const DEPTHS = [8, 16] as const;

describe('image codec', () => {
  let dir: string;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'codec-'));
  });
  after(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  for (const bitDepth of DEPTHS) {
    for (const channels of CHANNELS) {
      it(`round-trips a ${bitDepth}-bit ${channels}-channel PNG through encodePng/decodeImage`, async () => {
        const image = randomRaster(13, 7, channels, bitDepth, 100 * bitDepth + channels);
        const png = await encodePng(image);
        const file = join(dir, `rt-${bitDepth}-${channels}.png`);
        await writeFile(file, png);
        for (const input of [png, file]) {
          const decoded = await decodeImage(input);
          assert.equal(decoded.width, 13);
          assert.equal(decoded.height, 7);
          assert.equal(decoded.channels, channels);
          assert.equal(decoded.bitDepth, bitDepth);
          assert.equal(decoded.data.constructor, bitDepth === 16 ? Uint16Array : Uint8Array);
          assert.deepEqual(Array.from(decoded.data), Array.from(image.data));
        }
        assert.deepEqual(await readImageHeader(file), {
          width: 13,
          height: 7,
          channels,
          bitDepth,
          format: 'png',
        });
      });

      it(`decodes a ${bitDepth}-bit ${channels}-channel PNG written without sharp`, async () => {
        const image = randomRaster(9, 5, channels, bitDepth, 7 * bitDepth + channels);
        const png = manualPng(9, 5, channels, bitDepth, image.data);
        const decoded = await decodeImage(png);
        assert.equal(decoded.channels, channels);
        assert.equal(decoded.bitDepth, bitDepth);
        assert.deepEqual(Array.from(decoded.data), Array.from(image.data));
      });
    }
  }

  it('encodes deterministic PNGs without metadata chunks', async () => {
    for (const bitDepth of DEPTHS) {
      for (const channels of CHANNELS) {
        const image = randomRaster(16, 8, channels, bitDepth, 42);
        const a = await encodePng(image);
        const b = await encodePng({ ...image, data: image.data.slice() });
        assert.ok(a.equals(b), `${bitDepth}-bit ${channels}-channel bytes differ between runs`);
        const types = pngChunkTypes(a);
        assert.equal(types[0], 'IHDR');
        assert.equal(types.at(-1), 'IEND');
        assert.deepEqual(
          types.filter((t) => t !== 'IHDR' && t !== 'IDAT' && t !== 'IEND'),
          [],
          `unexpected chunks ${types.join(',')}`,
        );
        // IHDR: bit depth byte 24, colour type byte 25.
        assert.equal(a[24], bitDepth);
        assert.equal(a[25], { 1: 0, 2: 4, 3: 2, 4: 6 }[channels]);
      }
    }
  });

  it('decodes RGB and grey JPEGs', async () => {
    const w = 32;
    const h = 16;
    const rgb = new Uint8Array(w * h * 3);
    for (let y = 0; y < h; y++) {
      for (let x = 0; x < w; x++) {
        rgb.set([x * 8, y * 16, 128], (y * w + x) * 3);
      }
    }
    const jpeg = await sharp(rgb, { raw: { width: w, height: h, channels: 3 } })
      .jpeg({ quality: 100, chromaSubsampling: '4:4:4' })
      .toBuffer();
    const decoded = await decodeImage(jpeg);
    assert.equal(decoded.channels, 3);
    assert.equal(decoded.bitDepth, 8);
    let maxDiff = 0;
    for (let i = 0; i < rgb.length; i++) maxDiff = Math.max(maxDiff, Math.abs(decoded.data[i]! - rgb[i]!));
    assert.ok(maxDiff <= 8, `JPEG decode differs by ${maxDiff}`);
    assert.deepEqual(await readImageHeader(jpeg), {
      width: w,
      height: h,
      channels: 3,
      bitDepth: 8,
      format: 'jpeg',
    });

    const grey = new Uint8Array(w * h).fill(77);
    const greyJpeg = await sharp(grey, { raw: { width: w, height: h, channels: 1 } })
      .toColourspace('b-w')
      .jpeg({ quality: 100 })
      .toBuffer();
    const g = await decodeImage(greyJpeg);
    assert.equal(g.channels, 1);
    for (const v of g.data) assert.ok(Math.abs(v - 77) <= 1);
  });

  it('throws ImageDecodeError for data that is not an image', async () => {
    const garbage = Buffer.from('definitely not a png, just some text bytes');
    await assert.rejects(decodeImage(garbage), (e: unknown) => {
      assert.ok(e instanceof ImageDecodeError);
      assert.equal(e.code, 'IMAGE_DECODE_ERROR');
      assert.equal(e.statusCode, 422);
      return true;
    });
    await assert.rejects(readImageHeader(garbage), ImageDecodeError);
  });

  it('throws ImageDecodeError for truncated PNG and JPEG data', async () => {
    const png = await encodePng(randomRaster(64, 32, 3, 8, 5));
    const truncatedPng = png.subarray(0, Math.floor(png.length * 0.6));
    await assert.rejects(decodeImage(truncatedPng), ImageDecodeError);

    const rgb = randomRaster(64, 32, 3, 8, 6);
    const jpeg = await sharp(rgb.data, { raw: { width: 64, height: 32, channels: 3 } })
      .jpeg()
      .toBuffer();
    await assert.rejects(decodeImage(jpeg.subarray(0, Math.floor(jpeg.length * 0.6))), ImageDecodeError);
  });

  it('throws ImageDecodeError for a PNG whose image data is corrupt', async () => {
    const png = Buffer.from(await encodePng(randomRaster(64, 32, 1, 16, 9)));
    const idat = png.indexOf('IDAT');
    for (let i = idat + 20; i < idat + 60; i++) png[i] = png[i]! ^ 0xa5;
    await assert.rejects(decodeImage(png), ImageDecodeError);
  });

  it('names only the file (not its directory) when a file is missing', async () => {
    await assert.rejects(decodeImage(join(dir, 'nope.png')), (e: unknown) => {
      assert.ok(e instanceof ImageDecodeError);
      assert.match(e.message, /nope\.png/);
      assert.doesNotMatch(e.message, new RegExp(dir.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')));
      return true;
    });
  });

  it('refuses to encode an inconsistent raster', async () => {
    await assert.rejects(
      encodePng({ width: 4, height: 4, channels: 3, bitDepth: 8, data: new Uint8Array(10) }),
      RasterShapeError,
    );
    await assert.rejects(
      encodePng({ width: 2, height: 2, channels: 1, bitDepth: 16, data: new Uint8Array(4) }),
      RasterShapeError,
    );
  });
});

describe('resampling', () => {
  it('resizeNearest copies the sample whose centre is nearest', () => {
    const image: RasterImage = {
      width: 4,
      height: 2,
      channels: 1,
      bitDepth: 16,
      data: Uint16Array.from([1, 2, 3, 4, 5, 6, 7, 8]),
    };
    // Output centres at source x = 1.0 and 3.0, y = 1.0 (ties go to the right/lower pixel).
    assert.deepEqual(Array.from(resizeNearest(image, 2, 1).data), [6, 8]);
    const up = resizeNearest(image, 8, 4);
    assert.deepEqual(Array.from(up.data.subarray(0, 8)), [1, 1, 2, 2, 3, 3, 4, 4]);
    assert.deepEqual(Array.from(up.data.subarray(24, 32)), [5, 5, 6, 6, 7, 7, 8, 8]);
    assert.equal(up.bitDepth, 16);
  });

  it('resizeBilinear is exact at the same size and interpolates with half-pixel centres', () => {
    const image = randomRaster(11, 5, 3, 8, 3);
    assert.deepEqual(Array.from(resizeBilinear(image, 11, 5).data), Array.from(image.data));
    const row: RasterImage = {
      width: 2,
      height: 1,
      channels: 1,
      bitDepth: 8,
      data: Uint8Array.from([0, 200]),
    };
    // Output centres at source x = -0.25, 0.25, 0.75, 1.25 -> clamp, 0.75*0+0.25*200, ..., clamp.
    assert.deepEqual(Array.from(resizeBilinear(row, 4, 1).data), [0, 50, 150, 200]);
  });

  it('resizeBilinear equals a per-value triangle filter for every channel count and both depths', () => {
    // The filter written the plain way: each output value sums its taps in order, horizontally (kept in
    // float32) and then vertically, and rounds once.
    const reference = (image: RasterImage, width: number, height: number): number[] => {
      const taps = (src: number, dst: number) =>
        Array.from({ length: dst }, (_, i) => {
          const scale = src / dst;
          const support = Math.max(1, scale);
          const centre = (i + 0.5) * scale;
          const lo = Math.max(0, Math.floor(centre - support));
          const hi = Math.min(src, Math.ceil(centre + support));
          const ws: number[] = [];
          for (let j = lo; j < hi && ws.length < Math.ceil(support) * 2 + 1; j++)
            ws.push(Math.fround(Math.max(0, 1 - Math.abs((j + 0.5 - centre) / support))));
          const sum = ws.reduce((a, b) => a + b, 0);
          return { lo, ws: ws.map((w) => Math.fround(w / sum)) };
        });
      const hx = taps(image.width, width);
      const hy = taps(image.height, height);
      const c = image.channels;
      const max = image.bitDepth === 16 ? 65535 : 255;
      const h = (y: number, x: number, ch: number) =>
        Math.fround(
          hx[x]!.ws.reduce(
            (acc, w, k) => acc + w * image.data[(y * image.width + hx[x]!.lo + k) * c + ch]!,
            0,
          ),
        );
      const out: number[] = [];
      for (let y = 0; y < height; y++)
        for (let x = 0; x < width; x++)
          for (let ch = 0; ch < c; ch++) {
            const v = Math.round(hy[y]!.ws.reduce((acc, w, k) => acc + w * h(hy[y]!.lo + k, x, ch), 0));
            out.push(Math.min(max, Math.max(0, v)));
          }
      return out;
    };
    for (const [channels, bitDepth, width, height, outW, outH] of [
      [3, 8, 64, 32, 32, 16],
      [3, 16, 37, 23, 11, 7],
      [3, 8, 9, 5, 20, 13],
      [1, 16, 30, 20, 7, 9],
      [2, 8, 17, 9, 5, 4],
      [4, 8, 21, 13, 8, 5],
    ] as const) {
      const image = randomRaster(width, height, channels, bitDepth, width + channels);
      assert.deepEqual(
        Array.from(resizeBilinear(image, outW, outH).data),
        reference(image, outW, outH),
        `${channels} channel(s), ${bitDepth}-bit, ${width}x${height} to ${outW}x${outH}`,
      );
    }
  });

  it('resizeBilinear keeps constants and stays within the value range when shrinking', () => {
    const flat: RasterImage = {
      width: 64,
      height: 32,
      channels: 3,
      bitDepth: 8,
      data: new Uint8Array(64 * 32 * 3).fill(123),
    };
    const small = resizeBilinear(flat, 8, 4);
    for (const v of small.data) assert.equal(v, 123);
    const noisy = randomRaster(64, 32, 1, 16, 4);
    const s = resizeBilinear(noisy, 9, 5);
    assert.equal(s.data.constructor, Uint16Array);
    const min = Math.min(...noisy.data);
    const max = Math.max(...noisy.data);
    for (const v of s.data) assert.ok(v >= min && v <= max);
  });

  it('resizeDisparity scales values with the width and keeps invalid pixels at 0', () => {
    // d = (p - 1) / 256: p = 257 is 1 px, p = 2561 is 10 px, p = 0 invalid.
    const image: RasterImage = {
      width: 4,
      height: 2,
      channels: 1,
      bitDepth: 16,
      data: Uint16Array.from([257, 257, 0, 0, 2561, 2561, 0, 1]),
    };
    const half = resizeDisparity(image, 2, 1);
    // Nearest picks source columns 1 and 3 of row 1 (centre y = 1): 2561 (10 px -> 5 px) and 1 (0 px).
    assert.deepEqual(Array.from(half.data), [5 * 256 + 1, 1]);
    const top = resizeDisparity({ ...image, height: 1, data: image.data.subarray(0, 4).slice() }, 2, 1);
    assert.deepEqual(Array.from(top.data), [0.5 * 256 + 1, 0]);
    const double = resizeDisparity(image, 8, 4);
    assert.equal(double.data[0], 2 * 256 + 1);
    assert.equal(double.data[4], 0);
    assert.throws(
      () => resizeDisparity({ width: 1, height: 1, channels: 1, bitDepth: 8, data: new Uint8Array(1) }, 1, 1),
      RasterShapeError,
    );
  });
});
