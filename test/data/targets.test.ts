import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { flipTargets } from '../../src/data/augment.js';
import { scaleCamera } from '../../src/data/camera.js';
import { CityscapesReader, type DecodedSample } from '../../src/data/cityscapes-reader.js';
import {
  buildTargets,
  depthFromDisparity,
  depthMap,
  disparityFromDepth,
  disparityTargets,
  instanceOffsets,
  isThingInstanceId,
  trainIdMap,
  type SampleTargets,
} from '../../src/data/targets.js';
import { writeDataset, type WrittenSample } from './helpers/write-dataset.js';

const W = 64;
const H = 32;

/** Label ids of the eight thing training classes, typed in independently of the labels module. */
const THING_LABEL_IDS = new Set([24, 25, 26, 27, 28, 31, 32, 33]);

/** Centroids recomputed here from the raw instance map: mean pixel coordinates per thing instance id. */
function referenceCentroids(ids: Uint16Array, width: number): Map<number, { x: number; y: number }> {
  const acc = new Map<number, { sx: number; sy: number; n: number }>();
  ids.forEach((id, i) => {
    if (id < 1000 || !THING_LABEL_IDS.has(Math.floor(id / 1000))) return;
    const a = acc.get(id) ?? { sx: 0, sy: 0, n: 0 };
    a.sx += i % width;
    a.sy += Math.floor(i / width);
    a.n += 1;
    acc.set(id, a);
  });
  return new Map([...acc].map(([id, a]) => [id, { x: a.sx / a.n, y: a.sy / a.n }]));
}

const close = (a: number, b: number, tol = 1e-4): boolean => Math.abs(a - b) <= tol;

describe('training targets', () => {
  let dataDir: string;
  let written: WrittenSample[];
  let decoded: DecodedSample[];

  before(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'targets-'));
    written = (
      await writeDataset(join(dataDir, 'ds'), { splits: { train: 3 }, cities: ['a'], width: W, height: H })
    ).train!;
    const reader = await CityscapesReader.open(dataDir, 'ds');
    decoded = await Promise.all((await reader.listSamples('train')).map((s) => reader.readSample(s)));
  });
  after(async () => {
    await rm(dataDir, { recursive: true, force: true });
  });

  it('maps label ids to train ids (255 = ignore)', () => {
    const ids = trainIdMap({
      width: 6,
      height: 1,
      channels: 1,
      bitDepth: 8,
      data: Uint8Array.from([7, 26, 0, 29, 33, 200]),
    });
    assert.deepEqual([...ids], [0, 13, 255, 255, 18, 255]);
  });

  it('tells thing instance ids apart', () => {
    assert.equal(isThingInstanceId(26001), true);
    assert.equal(isThingInstanceId(24000), true);
    assert.equal(isThingInstanceId(26), false);
    assert.equal(isThingInstanceId(29000), false); // caravan: has instances but is ignored in training
    assert.equal(isThingInstanceId(11000), false);
  });

  it('points every instance pixel at its centroid at full resolution', () => {
    for (const [k, d] of decoded.entries()) {
      const t = buildTargets(d, W, H);
      const ids = written[k]!.instanceIds;
      const ref = referenceCentroids(ids, W);
      assert.ok(ref.size >= 2, 'the test sample has instances');
      let masked = 0;
      for (let i = 0; i < W * H; i++) {
        const c = ref.get(ids[i]!);
        if (c === undefined) {
          assert.equal(t.offsetMask[i], 0);
          assert.equal(t.offsets[2 * i], 0);
          assert.equal(t.offsets[2 * i + 1], 0);
          continue;
        }
        masked++;
        assert.equal(t.offsetMask[i], 1);
        assert.ok(close((i % W) + t.offsets[2 * i]!, c.x), `dx at ${i}`);
        assert.ok(close(Math.floor(i / W) + t.offsets[2 * i + 1]!, c.y), `dy at ${i}`);
      }
      assert.ok(masked > 0);
    }
  });

  it('scales offsets to training-resolution pixels when resizing', () => {
    const w = written[0]!;
    const { offsets, offsetMask } = instanceOffsets(decoded[0]!.instanceIds!, W / 2, H / 2);
    const ref = referenceCentroids(w.instanceIds, W);
    for (let y = 0; y < H / 2; y++) {
      for (let x = 0; x < W / 2; x++) {
        const i = y * (W / 2) + x;
        // Nearest source pixel of (x, y) at half size, and the centroid mapped with half-pixel centres.
        const c = ref.get(w.instanceIds[(2 * y + 1) * W + 2 * x + 1]!);
        assert.equal(offsetMask[i], c === undefined ? 0 : 1);
        if (c === undefined) continue;
        assert.ok(close(x + offsets[2 * i]!, (c.x + 0.5) / 2 - 0.5));
        assert.ok(close(y + offsets[2 * i + 1]!, (c.y + 0.5) / 2 - 0.5));
      }
    }
  });

  it('decodes disparity as (p - 1) / 256 pixels, invalid at p = 0, scaled with the width', () => {
    const w = written[0]!;
    const full = disparityTargets(decoded[0]!.disparity!, W, H);
    const half = disparityTargets(decoded[0]!.disparity!, W / 2, H / 2);
    let invalid = 0;
    for (let i = 0; i < W * H; i++) {
      const p = w.disparity[i]!;
      assert.equal(full.disparityMask[i], p === 0 ? 0 : 1);
      assert.equal(full.disparity[i], p === 0 ? 0 : Math.fround((p - 1) / 256));
      if (p === 0) invalid++;
    }
    assert.ok(invalid > 0, 'the sky is invalid');
    for (let y = 0; y < H / 2; y++) {
      for (let x = 0; x < W / 2; x++) {
        const p = w.disparity[(2 * y + 1) * W + 2 * x + 1]!;
        const i = y * (W / 2) + x;
        assert.equal(half.disparityMask[i], p === 0 ? 0 : 1);
        assert.ok(close(half.disparity[i]!, p === 0 ? 0 : (p - 1) / 256 / 2));
      }
    }
  });

  it('converts disparity to depth with fx * baseline / d, consistently across resolutions', () => {
    const cam = decoded[0]!.camera!;
    assert.ok(close(depthFromDisparity(10, cam), (cam.fx * cam.baseline) / 10, 1e-12));
    assert.ok(close(disparityFromDepth(depthFromDisparity(7.5, cam), cam), 7.5, 1e-9));
    assert.equal(depthFromDisparity(0, cam), Infinity);
    assert.equal(disparityFromDepth(Infinity, cam), 0);
    const full = disparityTargets(decoded[0]!.disparity!, W, H);
    const half = disparityTargets(decoded[0]!.disparity!, W / 2, H / 2);
    const depthFull = depthMap(full.disparity, full.disparityMask, cam);
    const depthHalf = depthMap(half.disparity, half.disparityMask, scaleCamera(cam, W, H, W / 2, H / 2));
    for (let y = 0; y < H / 2; y++) {
      for (let x = 0; x < W / 2; x++) {
        const a = depthHalf[y * (W / 2) + x]!;
        const b = depthFull[(2 * y + 1) * W + 2 * x + 1]!;
        assert.ok(Math.abs(a - b) <= 1e-4 * Math.max(1, b), `depth at ${x},${y}: ${a} vs ${b}`);
      }
    }
  });

  it('builds every map at training resolution', () => {
    const t = buildTargets(decoded[1]!, W / 2, H / 2);
    const p = (W / 2) * (H / 2);
    assert.equal(t.image.length, p * 3);
    assert.equal(t.trainIds.length, p);
    assert.equal(t.offsets.length, p * 2);
    assert.equal(t.disparity.length, p);
    assert.ok(t.trainIds.includes(10) && t.trainIds.includes(0)); // sky and road
  });

  it('flipping mirrors every map, negates dx, and keeps offsets pointing at the mirrored centroid', () => {
    const t = buildTargets(decoded[0]!, W, H);
    const f = flipTargets(t);
    const ref = referenceCentroids(written[0]!.instanceIds, W);
    for (let y = 0; y < H; y++) {
      for (let x = 0; x < W; x++) {
        const s = y * W + x;
        const d = y * W + (W - 1 - x);
        assert.deepEqual([...f.image.subarray(3 * d, 3 * d + 3)], [...t.image.subarray(3 * s, 3 * s + 3)]);
        assert.equal(f.trainIds[d], t.trainIds[s]);
        assert.equal(f.offsetMask[d], t.offsetMask[s]);
        assert.equal(f.disparity[d], t.disparity[s]);
        assert.equal(f.disparityMask[d], t.disparityMask[s]);
        assert.ok(Object.is(f.offsets[2 * d], 0 - t.offsets[2 * s]!));
        assert.equal(f.offsets[2 * d + 1], t.offsets[2 * s + 1]);
        const c = ref.get(written[0]!.instanceIds[s]!);
        if (c !== undefined) assert.ok(close(W - 1 - x + f.offsets[2 * d]!, W - 1 - c.x));
      }
    }
    const twice: SampleTargets = flipTargets(f);
    assert.deepEqual(twice, t);
  });
});
