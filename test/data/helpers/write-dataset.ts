/**
 * Writes small CityScapes-layout datasets of real PNGs (through sharp) for the data tests: a sky band, a
 * building band, road below, a few car and person instances (and one caravan, a class with instances that
 * training ignores), and a disparity map that grows towards the bottom (sky invalid).
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { encodePng, type RasterImage } from '../../../src/data/image-codec.js';
import { labelIdsOf } from '../../helpers/cityscapes-ids.js';
import { seededRandom } from '../../helpers/random.js';

/** The arrays written for one sample, for independent checks. */
export interface WrittenSample {
  split: string;
  city: string;
  name: string;
  width: number;
  height: number;
  rgb: Uint8Array;
  labelIds: Uint8Array;
  instanceIds: Uint16Array;
  disparity: Uint16Array;
  camera: { baseline: number; fx: number; fy: number; u0: number; v0: number };
}

/** Label ids used (CityScapes' table). */
const LABEL_ID = labelIdsOf('sky', 'building', 'road', 'car', 'person', 'caravan');

/** Raster arrays of one synthetic sample, drawn from `seed`. */
export function makeSample(
  width: number,
  height: number,
  seed: number,
): Omit<WrittenSample, 'split' | 'city' | 'name'> {
  const rand = seededRandom(seed);
  const p = width * height;
  const labelIds = new Uint8Array(p);
  const instanceIds = new Uint16Array(p);
  const disparity = new Uint16Array(p);
  const rgb = new Uint8Array(p * 3);
  const skyRows = Math.floor(height * 0.25);
  const buildingRows = Math.floor(height * 0.5);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = y * width + x;
      const label = y < skyRows ? LABEL_ID.sky : y < buildingRows ? LABEL_ID.building : LABEL_ID.road;
      labelIds[i] = label;
      instanceIds[i] = label;
      // Sky invalid (0); elsewhere disparity grows downwards, in 1/256 px steps (p = d * 256 + 1).
      disparity[i] = y < skyRows ? 0 : Math.round(((y + 1) / height) * 40 * 256) + 1 + (x % 3);
    }
  }
  const rect = (labelId: number, index: number, x0: number, y0: number, w: number, h: number): void => {
    for (let y = y0; y < Math.min(height, y0 + h); y++) {
      for (let x = x0; x < Math.min(width, x0 + w); x++) {
        const i = y * width + x;
        labelIds[i] = labelId;
        instanceIds[i] = labelId * 1000 + index;
        disparity[i] = Math.round((20 + index) * 256) + 1;
      }
    }
  };
  const things = 2 + Math.floor(rand() * 3);
  for (let k = 0; k < things; k++) {
    const w = 3 + Math.floor(rand() * (width / 4));
    const h = 3 + Math.floor(rand() * (height / 4));
    const x0 = Math.floor(rand() * (width - w));
    const y0 = buildingRows - Math.floor(h / 2) + Math.floor(rand() * (height - buildingRows - h / 2));
    rect(k % 2 === 0 ? LABEL_ID.car : LABEL_ID.person, k, x0, y0, w, h);
  }
  rect(LABEL_ID.caravan, 0, 0, height - 3, 4, 3);
  for (let i = 0; i < p; i++) {
    rgb[3 * i] = (labelIds[i]! * 9 + Math.floor(rand() * 20)) & 255;
    rgb[3 * i + 1] = (instanceIds[i]! * 7 + (i % 13)) & 255;
    rgb[3 * i + 2] = Math.floor(rand() * 256);
  }
  const camera = {
    baseline: 0.209313,
    fx: (2262.52 * width) / 2048,
    fy: (2265.30179 * height) / 1024,
    u0: width / 2,
    v0: height / 2,
  };
  return { width, height, rgb, labelIds, instanceIds, disparity, camera };
}

/** Writes one sample's five files under `root` (the dataset root). */
export async function writeSample(root: string, s: WrittenSample): Promise<void> {
  const dir = (folder: string): string => join(root, folder, s.split, s.city);
  await Promise.all(
    ['leftImg8bit', 'gtFine', 'disparity', 'camera'].map((f) => mkdir(dir(f), { recursive: true })),
  );
  const img = (channels: 1 | 3, bitDepth: 8 | 16, data: Uint8Array | Uint16Array): RasterImage => ({
    width: s.width,
    height: s.height,
    channels,
    bitDepth,
    data,
  });
  await writeFile(join(dir('leftImg8bit'), `${s.name}_leftImg8bit.png`), await encodePng(img(3, 8, s.rgb)));
  await writeFile(
    join(dir('gtFine'), `${s.name}_gtFine_labelIds.png`),
    await encodePng(img(1, 8, s.labelIds)),
  );
  await writeFile(
    join(dir('gtFine'), `${s.name}_gtFine_instanceIds.png`),
    await encodePng(img(1, 16, s.instanceIds)),
  );
  await writeFile(
    join(dir('disparity'), `${s.name}_disparity.png`),
    await encodePng(img(1, 16, s.disparity)),
  );
  const { baseline, fx, fy, u0, v0 } = s.camera;
  await writeFile(
    join(dir('camera'), `${s.name}_camera.json`),
    JSON.stringify({
      extrinsic: { baseline, pitch: 0.04, roll: 0, yaw: 0, x: 1.7, y: 0.1, z: 1.2 },
      intrinsic: { fx, fy, u0, v0 },
    }),
  );
}

/** Options of {@link writeDataset}. */
export interface DatasetSpec {
  /** Samples per split, e.g. `{ train: 6, val: 2 }`. */
  splits: Record<string, number>;
  /** Cities samples are spread over (round-robin). */
  cities?: string[];
  width: number;
  height: number;
  seed?: number;
}

/** Writes a dataset and returns what was written, per split, in the reader's order (city, then name). */
export async function writeDataset(
  root: string,
  spec: DatasetSpec,
): Promise<Record<string, WrittenSample[]>> {
  const cities = spec.cities ?? ['aachen', 'bochum'];
  const out: Record<string, WrittenSample[]> = {};
  let seed = spec.seed ?? 1;
  for (const [split, count] of Object.entries(spec.splits)) {
    const samples: WrittenSample[] = [];
    for (let i = 0; i < count; i++) {
      const city = cities[i % cities.length]!;
      const name = `${city}_${String(i).padStart(6, '0')}_000019`;
      const s = { split, city, name, ...makeSample(spec.width, spec.height, seed++) };
      await writeSample(root, s);
      samples.push(s);
    }
    samples.sort((a, b) => (a.city === b.city ? (a.name < b.name ? -1 : 1) : a.city < b.city ? -1 : 1));
    out[split] = samples;
  }
  return out;
}
