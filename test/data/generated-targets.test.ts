/**
 * The generator and the data library agree: a generated dataset, read back from disk through the reader
 * and turned into training targets, has offsets that point at centroids recomputed here from the rendered
 * instance map, and disparity equal to fx * baseline / Z of the rendered depth.
 */
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { buildTargets, CityscapesReader, type SampleTargets } from '../../src/data/index.js';
import { generateDataset, generateScene, splitSeed, type Scene } from '../../src/data/synthetic/index.js';

const [WIDTH, HEIGHT, SCENES, SEED] = [128, 64, 4, 21];
let dir: string;
const pairs: { scene: Scene; targets: SampleTargets }[] = [];

before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'generated-targets-'));
  await generateDataset({
    outDir: join(dir, 'synth'),
    scenes: SCENES,
    width: WIDTH,
    height: HEIGHT,
    seed: SEED,
    split: 'train',
  });
  const reader = await CityscapesReader.open(dir, 'synth');
  const samples = (await reader.listSamples('train')).sort((a, b) =>
    a.name.split('_')[1]!.localeCompare(b.name.split('_')[1]!),
  );
  assert.equal(samples.length, SCENES);
  for (const [index, sample] of samples.entries()) {
    const targets = buildTargets(await reader.readSample(sample), WIDTH, HEIGHT);
    pairs.push({
      scene: generateScene({ width: WIDTH, height: HEIGHT, seed: splitSeed(SEED, 'train'), index }),
      targets,
    });
  }
});
after(async () => {
  await rm(dir, { recursive: true, force: true });
});

test('offsets read back from disk point at the centroids of the rendered instances', () => {
  let instances = 0;
  for (const { scene, targets } of pairs) {
    const sums = new Map<number, { x: number; y: number; n: number }>();
    scene.instanceIds.forEach((id, i) => {
      if (id < 1000) return;
      const s = sums.get(id) ?? { x: 0, y: 0, n: 0 };
      s.x += i % WIDTH;
      s.y += Math.floor(i / WIDTH);
      s.n += 1;
      sums.set(id, s);
    });
    instances += sums.size;
    for (let i = 0; i < WIDTH * HEIGHT; i++) {
      const c = sums.get(scene.instanceIds[i]!);
      // Thing classes the training ignores (none are drawn here) would have no offsets either.
      if (c === undefined) {
        assert.equal(targets.offsetMask[i], 0);
        continue;
      }
      assert.equal(targets.offsetMask[i], 1, `pixel ${i} of an instance is in the mask`);
      assert.ok(Math.abs((i % WIDTH) + targets.offsets[2 * i]! - c.x / c.n) < 1e-3, `dx at ${i}`);
      assert.ok(
        Math.abs(Math.floor(i / WIDTH) + targets.offsets[2 * i + 1]! - c.y / c.n) < 1e-3,
        `dy at ${i}`,
      );
    }
  }
  assert.ok(instances >= 2 * SCENES, `${instances} instances over ${SCENES} scenes`);
});

test('disparity read back from disk equals fx * baseline / Z of the rendered depth', () => {
  for (const { scene, targets } of pairs) {
    const { fx } = scene.camera.intrinsic;
    const { baseline } = scene.camera.extrinsic;
    for (let i = 0; i < WIDTH * HEIGHT; i++) {
      const z = scene.depth[i]!;
      if (z <= 0) {
        assert.equal(targets.disparityMask[i], 0, 'sky has no disparity');
        continue;
      }
      assert.equal(targets.disparityMask[i], 1);
      // The 16-bit PNG stores round(d * 256) + 1: within half a step of 1/256 px.
      assert.ok(
        Math.abs(targets.disparity[i]! - (fx * baseline) / z) <= 0.5 / 256 + 1e-6,
        `disparity at ${i}`,
      );
    }
  }
});
