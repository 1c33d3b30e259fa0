import assert from 'node:assert/strict';
import { test } from 'node:test';
import sharp from 'sharp';
import { sniffImage } from '../../src/data/image-sniff.js';

test('reads PNG and JPEG sizes from their headers, and nothing from other bytes', async () => {
  const raw = { raw: { width: 37, height: 21, channels: 3 as const } };
  const pixels = Buffer.alloc(37 * 21 * 3, 90);
  assert.deepEqual(sniffImage(await sharp(pixels, raw).png().toBuffer()), {
    format: 'png',
    width: 37,
    height: 21,
  });
  assert.deepEqual(sniffImage(await sharp(pixels, raw).jpeg().toBuffer()), {
    format: 'jpeg',
    width: 37,
    height: 21,
  });
  assert.deepEqual(sniffImage(await sharp(pixels, raw).jpeg({ progressive: true }).toBuffer()), {
    format: 'jpeg',
    width: 37,
    height: 21,
  });
  assert.equal(sniffImage(Buffer.from('GIF89a........')), undefined);
  assert.equal(sniffImage(Buffer.alloc(0)), undefined);
  assert.equal(sniffImage(Buffer.from([0xff, 0xd8, 0xff])), undefined, 'truncated JPEG: no size');
});
