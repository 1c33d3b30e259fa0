import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { parseCameraJson } from '../../src/data/camera.js';
import { INSTANCE_ID_DIVISOR, labelById } from '../../src/data/cityscapes-labels.js';
import { decodeImage } from '../../src/data/image-codec.js';
import {
  generateDataset,
  generateScene,
  LABEL,
  sampleName,
  samplePaths,
  scaledIntrinsic,
  splitSeed,
  type Scene,
} from '../../src/data/synthetic/index.js';
import { ValidationError } from '../../src/errors.js';

/** Test size: small, so a scene renders in a few milliseconds, yet 2:1 like CityScapes. */
const WIDTH = 128;
const HEIGHT = 64;

/** Generates `count` scenes of `seed` at the test size. */
function scenes(seed: number, count: number): Scene[] {
  return Array.from({ length: count }, (_, index) =>
    generateScene({ width: WIDTH, height: HEIGHT, seed, index }),
  );
}

/** A file of the CityScapes layout in the `train` split: `{dir}/train/{city}/{city}_{seq}_000019_{suffix}`. */
const LAYOUT_PATH = new RegExp(
  '^(leftImg8bit|gtFine|disparity|camera)/train/(synthetic-[a-z]+)/\\2_\\d{6}_000019_' +
    '(leftImg8bit\\.png|gtFine_labelIds\\.png|gtFine_instanceIds\\.png|disparity\\.png|camera\\.json)$',
);

/** Whether label id `id` is a "thing" class in CityScapes' table. */
function isThing(id: number): boolean {
  return labelById(id)?.hasInstances ?? false;
}

describe('generateScene', () => {
  it('returns maps of the requested size', () => {
    const scene = generateScene({ width: 96, height: 40, seed: 3, index: 2 });
    assert.equal(scene.width, 96);
    assert.equal(scene.height, 40);
    assert.equal(scene.rgb.length, 96 * 40 * 3);
    for (const map of [scene.labelIds, scene.instanceIds, scene.depth, scene.disparity])
      assert.equal(map.length, 96 * 40);
    assert.match(scene.city, /^synthetic-[a-z]+$/);
    assert.deepEqual(scene.camera.intrinsic, scaledIntrinsic(96, 40));
  });

  it('is deterministic: same options, same maps; another seed or index, another scene', () => {
    const a = generateScene({ width: WIDTH, height: HEIGHT, seed: 11, index: 4 });
    const b = generateScene({ width: WIDTH, height: HEIGHT, seed: 11, index: 4 });
    assert.deepEqual(a, b);
    const otherSeed = generateScene({ width: WIDTH, height: HEIGHT, seed: 12, index: 4 });
    const otherIndex = generateScene({ width: WIDTH, height: HEIGHT, seed: 11, index: 5 });
    assert.notDeepEqual(a.rgb, otherSeed.rgb);
    assert.notDeepEqual(a.rgb, otherIndex.rgb);
  });

  it('renders a scene at 64x128 in well under a second', () => {
    generateScene({ width: WIDTH, height: HEIGHT, seed: 0, index: 0 });
    const started = performance.now();
    generateScene({ width: WIDTH, height: HEIGHT, seed: 0, index: 1 });
    assert.ok(performance.now() - started < 500, 'one 64x128 scene took more than 0.5 s');
  });

  it('draws road and buildings in every scene; sidewalks, sky, cars, people, poles, trees in most', () => {
    const all = scenes(21, 8);
    const seen = (scene: Scene, id: number): boolean => scene.labelIds.includes(id);
    for (const scene of all) {
      for (const id of [LABEL.road, LABEL.building]) {
        assert.ok(seen(scene, id), `label ${id} missing`);
      }
    }
    // Parked cars can hide both sidewalks, and tall facades or a near tree the sky, as in real streets.
    for (const id of [LABEL.sidewalk, LABEL.sky, LABEL.car, LABEL.person, LABEL.pole, LABEL.vegetation]) {
      assert.ok(all.filter((s) => seen(s, id)).length >= 5, `label ${id} in fewer than 5 of 8 scenes`);
    }
  });

  it('gives things labelId * 1000 + index and stuff its label id, in agreement with labelIds', () => {
    for (const scene of scenes(5, 8)) {
      const listed = new Map(scene.instances.map((inst) => [inst.id, inst]));
      const pixelsOf = new Map<number, number>();
      for (let i = 0; i < scene.labelIds.length; i++) {
        const label = scene.labelIds[i]!;
        const id = scene.instanceIds[i]!;
        if (isThing(label)) {
          assert.equal(
            Math.floor(id / INSTANCE_ID_DIVISOR),
            label,
            `pixel ${i}: instance ${id} on label ${label}`,
          );
          pixelsOf.set(id, (pixelsOf.get(id) ?? 0) + 1);
        } else {
          assert.equal(id, label, `pixel ${i}: stuff pixel with instance id ${id}`);
        }
      }
      // The listed instances are exactly those in the map, with their pixel counts...
      assert.deepEqual([...pixelsOf.keys()].sort(), [...listed.keys()].sort());
      for (const [id, count] of pixelsOf) {
        assert.equal(listed.get(id)!.visiblePixels, count);
        assert.equal(listed.get(id)!.labelId, Math.floor(id / INSTANCE_ID_DIVISOR));
      }
      // ... and each class numbers its instances 0, 1, 2, ...
      const byClass = new Map<number, number[]>();
      for (const id of listed.keys()) {
        const label = Math.floor(id / INSTANCE_ID_DIVISOR);
        byClass.set(label, [...(byClass.get(label) ?? []), id % INSTANCE_ID_DIVISOR]);
      }
      for (const indices of byClass.values()) {
        assert.deepEqual(
          indices.sort((a, b) => a - b),
          indices.map((_, i) => i),
        );
      }
    }
  });

  it('has several instances per scene, some of them occluded', () => {
    const all = scenes(1, 8);
    const counts = all.map((s) => s.instances.length);
    for (const count of counts) assert.ok(count >= 2, `a scene has ${count} instances: ${counts.join(', ')}`);
    const mean = counts.reduce((a, b) => a + b, 0) / counts.length;
    assert.ok(mean >= 3, `mean ${mean} instances per scene`);

    // Occluded by the renderer's own count: fewer visible pixels than the object covers.
    const occluded = all.flatMap((s) =>
      s.instances.filter((inst) => inst.visiblePixels < inst.projectedPixels),
    );
    assert.ok(occluded.length >= 4, `only ${occluded.length} occluded instances in 8 scenes`);
    for (const inst of all.flatMap((s) => s.instances)) assert.ok(inst.visiblePixels <= inst.projectedPixels);

    // And independently, from the maps: two different instances side by side, the nearer one in front.
    let overlaps = 0;
    for (const s of all) {
      for (let y = 0; y < s.height; y++) {
        for (let x = 0; x + 1 < s.width; x++) {
          const i = y * s.width + x;
          const a = s.instanceIds[i]!;
          const b = s.instanceIds[i + 1]!;
          if (a >= INSTANCE_ID_DIVISOR && b >= INSTANCE_ID_DIVISOR && a !== b) overlaps++;
        }
      }
    }
    assert.ok(overlaps > 0, 'no two instances touch in any of 8 scenes');
  });

  it('has a depth range: near road, distant facades', () => {
    for (const s of scenes(9, 4)) {
      let near = Infinity;
      let far = 0;
      for (const z of s.depth) {
        if (z > 0) {
          near = Math.min(near, z);
          far = Math.max(far, z);
        }
      }
      assert.ok(near < 8, `nearest surface at ${near} m`);
      assert.ok(far > 60, `farthest surface at ${far} m`);
    }
  });

  it('measures depth along the optical axis: road pixels lie on the ground plane of the camera file', () => {
    for (const s of scenes(2, 4)) {
      const { fx, fy, u0, v0 } = s.camera.intrinsic;
      const { pitch, yaw, z: height } = s.camera.extrinsic;
      // Camera axes in the street frame (X right, Y up, Z ahead): pitch > 0 looks down, yaw > 0 turns left.
      const right = [Math.cos(yaw), 0, Math.sin(yaw)];
      const forward = [-Math.sin(yaw) * Math.cos(pitch), -Math.sin(pitch), Math.cos(yaw) * Math.cos(pitch)];
      const down = [Math.sin(yaw) * Math.sin(pitch), -Math.cos(pitch), -Math.cos(yaw) * Math.sin(pitch)];
      let checked = 0;
      for (let v = 0; v < s.height; v++) {
        for (let u = 0; u < s.width; u++) {
          const i = v * s.width + u;
          if (s.labelIds[i] !== LABEL.road) continue;
          const xc = (u - u0) / fx;
          const yc = (v - v0) / fy;
          const dy = forward[1]! + right[1]! * xc + down[1]! * yc;
          const expected = height / -dy;
          assert.ok(
            Math.abs(s.depth[i]! - expected) <= 1e-4 * expected,
            `pixel ${u},${v}: ${s.depth[i]} != ${expected}`,
          );
          checked++;
        }
      }
      assert.ok(checked > 100);
    }
  });

  it('gives sky no depth and no disparity, everything else both, with disparity = fx * baseline / Z', () => {
    let sky = 0;
    for (const s of scenes(4, 4)) {
      sky += s.labelIds.filter((id) => id === LABEL.sky).length;
      const fb = s.camera.intrinsic.fx * s.camera.extrinsic.baseline;
      for (let i = 0; i < s.depth.length; i++) {
        if (s.labelIds[i] === LABEL.sky) {
          assert.equal(s.depth[i], 0);
          assert.equal(s.disparity[i], 0);
        } else {
          assert.ok(s.depth[i]! > 0);
          assert.ok(Math.abs(s.disparity[i]! - fb / s.depth[i]!) <= 1e-5 * s.disparity[i]!);
        }
      }
    }
    assert.ok(sky > 0, 'no sky in 4 scenes');
  });

  it('rejects invalid options with a ValidationError naming the field', () => {
    const base = { width: WIDTH, height: HEIGHT, seed: 1, index: 0 };
    const cases: [Record<string, unknown>, string][] = [
      [{ width: 0 }, 'width'],
      [{ height: 2.5 }, 'height'],
      [{ width: 4097 }, 'width'],
      [{ seed: -1 }, 'seed'],
      [{ seed: 2 ** 32 }, 'seed'],
      [{ index: Number.NaN }, 'index'],
    ];
    for (const [patch, field] of cases) {
      assert.throws(
        () => generateScene({ ...base, ...patch } as typeof base),
        (err: unknown) => err instanceof ValidationError && err.message.startsWith(`${field} must be`),
      );
    }
  });
});

describe('generateDataset', () => {
  let root: string;
  const options = { scenes: 3, width: WIDTH, height: HEIGHT, seed: 7, split: 'train' };

  before(async () => {
    root = await mkdtemp(join(tmpdir(), 'scene-mtl-synthetic-'));
  });

  after(async () => {
    await rm(root, { recursive: true, force: true });
  });

  it('writes the CityScapes layout, five files per scene, byte-identical for the same seed', async () => {
    const first = await generateDataset({ ...options, outDir: join(root, 'a') });
    const again = await generateDataset({ ...options, outDir: join(root, 'b') });
    const other = await generateDataset({ ...options, seed: 8, outDir: join(root, 'c') });
    assert.equal(first.files.length, 15);
    assert.deepEqual(again.files, first.files);
    for (const file of first.files) {
      assert.match(file, LAYOUT_PATH);
      const a = await readFile(join(root, 'a', file));
      const b = await readFile(join(root, 'b', file));
      assert.ok(a.equals(b), `${file} differs between two runs with the same seed`);
    }
    const images = first.files.filter((f) => f.startsWith('leftImg8bit/'));
    const otherImages = other.files.filter((f) => f.startsWith('leftImg8bit/'));
    for (let i = 0; i < images.length; i++) {
      const a = await readFile(join(root, 'a', images[i]!));
      const c = await readFile(join(root, 'c', otherImages[i]!));
      assert.ok(!a.equals(c), `scene ${i} is the same for seeds 7 and 8`);
    }
  });

  it('writes files that decode to the declared sizes, channels, bit depths and the scene', async () => {
    const outDir = join(root, 'decode');
    await generateDataset({ ...options, scenes: 2, outDir });
    for (let index = 0; index < 2; index++) {
      const scene = generateScene({
        width: WIDTH,
        height: HEIGHT,
        seed: splitSeed(options.seed, 'train'),
        index,
      });
      const paths = samplePaths('train', scene.city, sampleName(scene.city, index));
      const expect = { width: WIDTH, height: HEIGHT };
      const rgb = await decodeImage(join(outDir, paths.leftImg8bit));
      assert.deepEqual({ ...rgb, data: undefined }, { ...expect, channels: 3, bitDepth: 8, data: undefined });
      assert.deepEqual(rgb.data, scene.rgb);
      const labels = await decodeImage(join(outDir, paths.labelIds));
      assert.deepEqual(
        { ...labels, data: undefined },
        { ...expect, channels: 1, bitDepth: 8, data: undefined },
      );
      assert.deepEqual(labels.data, scene.labelIds);
      const instances = await decodeImage(join(outDir, paths.instanceIds));
      assert.deepEqual(
        { ...instances, data: undefined },
        { ...expect, channels: 1, bitDepth: 16, data: undefined },
      );
      assert.deepEqual(instances.data, scene.instanceIds);
      const disparity = await decodeImage(join(outDir, paths.disparity));
      assert.deepEqual(
        { ...disparity, data: undefined },
        { ...expect, channels: 1, bitDepth: 16, data: undefined },
      );

      // Disparity PNG: (p - 1) / 256 = fx * baseline / Z of the rendered depth, to PNG quantisation; sky 0.
      const camera = parseCameraJson(await readFile(join(outDir, paths.camera), 'utf8'), paths.camera);
      assert.deepEqual(camera, { baseline: scene.camera.extrinsic.baseline, ...scene.camera.intrinsic });
      let valid = 0;
      for (let i = 0; i < WIDTH * HEIGHT; i++) {
        const p = disparity.data[i]!;
        const z = scene.depth[i]!;
        if (scene.labelIds[i] === LABEL.sky) {
          assert.equal(p, 0, `sky pixel ${i} has disparity ${p}`);
          continue;
        }
        assert.ok(p > 0, `pixel ${i} (label ${scene.labelIds[i]}) has no disparity`);
        const expected = (camera.fx * camera.baseline) / z;
        assert.ok(
          Math.abs((p - 1) / 256 - expected) <= 1 / 256,
          `pixel ${i}: ${(p - 1) / 256} px != ${expected} px`,
        );
        valid++;
      }
      assert.ok(valid > WIDTH * HEIGHT * 0.5);
    }
  });

  it('makes train and val different streets for the same seed', async () => {
    const train = generateScene({ width: WIDTH, height: HEIGHT, seed: splitSeed(1, 'train'), index: 0 });
    const val = generateScene({ width: WIDTH, height: HEIGHT, seed: splitSeed(1, 'val'), index: 0 });
    assert.notDeepEqual(train.rgb, val.rgb);
  });

  it('rejects invalid options before writing anything', async () => {
    const outDir = join(root, 'invalid');
    for (const [patch, field] of [
      [{ scenes: 0 }, 'scenes'],
      [{ split: '../escape' }, 'split'],
      [{ split: 'Train' }, 'split'],
      [{ width: -1 }, 'width'],
    ] as const) {
      await assert.rejects(
        generateDataset({ ...options, outDir, ...patch }),
        (err: unknown) => err instanceof ValidationError && err.message.startsWith(`${field} must be`),
      );
    }
    await assert.rejects(readFile(join(outDir, 'x')), { code: 'ENOENT' });
  });
});
