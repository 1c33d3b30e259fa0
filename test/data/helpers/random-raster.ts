import type { RasterImage } from '../../../src/data/image-codec.js';
import { seededRandom } from '../../helpers/random.js';

/** A raster of seeded random samples covering the whole range of the bit depth (incl. 0 and the maximum). */
export function randomRaster(
  width: number,
  height: number,
  channels: 1 | 2 | 3 | 4,
  bitDepth: 8 | 16,
  seed: number,
): RasterImage {
  const next = seededRandom(seed);
  const n = width * height * channels;
  const max = bitDepth === 16 ? 65535 : 255;
  const data = bitDepth === 16 ? new Uint16Array(n) : new Uint8Array(n);
  for (let i = 0; i < n; i++) data[i] = Math.floor(next() * (max + 1));
  data[0] = 0;
  data[n - 1] = max;
  return { width, height, channels, bitDepth, data };
}
