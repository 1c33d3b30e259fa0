import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ValidationError } from '../../src/errors.js';
import {
  clusterInstances,
  resolveClusterOptions,
  DEFAULT_BANDWIDTH,
  type ClusterInstancesResult,
} from '../../src/model/postprocess/index.js';
import { trainIdsOf } from '../helpers/cityscapes-ids.js';
import { seededRandom } from '../helpers/random.js';

/** CityScapes train ids used below. */
const TRAIN_ID = trainIdsOf('road', 'sky', 'person', 'rider', 'car', 'truck', 'bus', 'motorcycle', 'bicycle');

/** A synthetic scene: semantic map, true instance ids (0 = none) and the class of each id. */
interface Scene {
  height: number;
  width: number;
  semantic: Uint8Array;
  truth: Int32Array;
  classOf: Map<number, number>;
}

/** One painted object: a class and the pixels it covers (later objects occlude earlier ones). */
interface Shape {
  trainId: number;
  covers: (x: number, y: number) => boolean;
}

/** `[x0, x1) x [y0, y1)`. */
function rect(x0: number, y0: number, x1: number, y1: number): (x: number, y: number) => boolean {
  return (x, y) => x >= x0 && x < x1 && y >= y0 && y < y1;
}

/** Paints the shapes in order over a road/sky background; each shape is one instance. */
function paint(height: number, width: number, shapes: readonly Shape[]): Scene {
  const semantic = new Uint8Array(height * width);
  const truth = new Int32Array(height * width);
  const classOf = new Map<number, number>();
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) semantic[y * width + x] = y < height / 3 ? TRAIN_ID.sky : TRAIN_ID.road;
  }
  shapes.forEach((shape, i) => {
    classOf.set(i + 1, shape.trainId);
    for (let y = 0; y < height; y++) {
      for (let x = 0; x < width; x++) {
        if (!shape.covers(x, y)) continue;
        semantic[y * width + x] = shape.trainId;
        truth[y * width + x] = i + 1;
      }
    }
  });
  return { height, width, semantic, truth, classOf };
}

/** Pixel set statistics of every true instance, computed straight from the map. */
function truthStats(scene: Scene): Map<number, { area: number; bbox: number[]; centroid: number[] }> {
  const stats = new Map<
    number,
    { area: number; bbox: number[]; centroid: number[]; sx: number; sy: number }
  >();
  for (let p = 0; p < scene.truth.length; p++) {
    const id = scene.truth[p]!;
    if (id === 0) continue;
    const x = p % scene.width;
    const y = Math.floor(p / scene.width);
    let s = stats.get(id);
    if (s === undefined)
      stats.set(id, (s = { area: 0, bbox: [x, y, x + 1, y + 1], centroid: [], sx: 0, sy: 0 }));
    s.area++;
    s.sx += x;
    s.sy += y;
    s.bbox = [
      Math.min(s.bbox[0]!, x),
      Math.min(s.bbox[1]!, y),
      Math.max(s.bbox[2]!, x + 1),
      Math.max(s.bbox[3]!, y + 1),
    ];
  }
  for (const s of stats.values()) s.centroid = [s.sx / s.area, s.sy / s.area];
  return stats;
}

/** Offsets from every instance pixel to its instance's centroid (0 elsewhere), plus optional noise. */
function offsetsOf(scene: Scene, noise = 0, seed = 1): Float32Array {
  const stats = truthStats(scene);
  const random = seededRandom(seed);
  const offsets = new Float32Array(scene.truth.length * 2);
  for (let p = 0; p < scene.truth.length; p++) {
    const id = scene.truth[p]!;
    if (id === 0) continue;
    const [cx, cy] = stats.get(id)!.centroid as [number, number];
    offsets[2 * p] = cx - (p % scene.width) + (random() * 2 - 1) * noise;
    offsets[2 * p + 1] = cy - Math.floor(p / scene.width) + (random() * 2 - 1) * noise;
  }
  return offsets;
}

/**
 * Asserts that every true instance is recovered exactly: a one-to-one map between true and predicted ids
 * under which the two id maps are equal, with the right class, area, bbox and centroid.
 */
function assertRecoversEveryInstance(scene: Scene, result: ClusterInstancesResult): void {
  const stats = truthStats(scene);
  assert.equal(result.instances.length, stats.size, 'number of instances');
  const predOf = new Map<number, number>();
  const truthOf = new Map<number, number>();
  for (let p = 0; p < scene.truth.length; p++) {
    const t = scene.truth[p]!;
    const q = result.idMap[p]!;
    if (t === 0 || q === 0) {
      assert.equal(q, t, `pixel ${p}: predicted id ${q} where the truth is ${t}`);
      continue;
    }
    if (!predOf.has(t)) predOf.set(t, q);
    if (!truthOf.has(q)) truthOf.set(q, t);
    assert.equal(predOf.get(t), q, `pixel ${p} of true instance ${t} went to ${q}, not ${predOf.get(t)}`);
    assert.equal(
      truthOf.get(q),
      t,
      `predicted instance ${q} mixes true instances ${truthOf.get(q)} and ${t}`,
    );
  }
  for (const [t, s] of stats) {
    const instance = result.instances[predOf.get(t)! - 1]!;
    assert.equal(instance.id, predOf.get(t));
    assert.equal(instance.trainId, scene.classOf.get(t), `class of instance ${t}`);
    assert.equal(instance.area, s.area, `area of instance ${t}`);
    assert.deepEqual(instance.bbox, s.bbox, `bbox of instance ${t}`);
    assert.deepEqual(instance.centroid, s.centroid, `centroid of instance ${t}`);
    assert.ok(instance.score > 0.99 && instance.score <= 1, `score of instance ${t}: ${instance.score}`);
  }
}

/**
 * 64 x 128: touching cars, two touching pedestrians (centroids 4 px apart) occluding a car, a person of the
 * minimum size (8 px) touching a bus, a rider on a bicycle, an L-shaped truck, a motorcycle cut by the image
 * border, and a ring-shaped car around a person with the same centroid.
 */
function streetScene(): Scene {
  return paint(64, 128, [
    { trainId: TRAIN_ID.car, covers: rect(10, 30, 40, 50) },
    { trainId: TRAIN_ID.car, covers: rect(40, 32, 60, 50) },
    { trainId: TRAIN_ID.person, covers: rect(20, 20, 24, 45) },
    { trainId: TRAIN_ID.person, covers: rect(24, 22, 28, 44) },
    { trainId: TRAIN_ID.bus, covers: rect(72, 5, 110, 40) },
    { trainId: TRAIN_ID.person, covers: rect(70, 10, 72, 14) },
    { trainId: TRAIN_ID.bicycle, covers: rect(88, 50, 100, 62) },
    { trainId: TRAIN_ID.rider, covers: rect(90, 42, 96, 56) },
    {
      trainId: TRAIN_ID.truck,
      covers: (x, y) => rect(100, 44, 126, 52)(x, y) || rect(100, 52, 108, 62)(x, y),
    },
    { trainId: TRAIN_ID.car, covers: rect(2, 55, 8, 60) },
    { trainId: TRAIN_ID.motorcycle, covers: rect(118, 0, 128, 6) },
    { trainId: TRAIN_ID.car, covers: (x, y) => rect(60, 50, 70, 60)(x, y) && !rect(63, 53, 67, 57)(x, y) },
    { trainId: TRAIN_ID.person, covers: rect(63, 53, 67, 57) },
  ]);
}

describe('clusterInstances', () => {
  test('recovers every instance of an exact offset field', () => {
    const scene = streetScene();
    const result = clusterInstances({ ...scene, offsets: offsetsOf(scene) });
    assertRecoversEveryInstance(scene, result);
  });

  test('recovers every instance when the offsets carry uniform noise of +-0.5 px per component', () => {
    const scene = streetScene();
    for (const seed of [1, 2, 3, 4, 5]) {
      const result = clusterInstances({ ...scene, offsets: offsetsOf(scene, 0.5, seed) });
      assertRecoversEveryInstance(scene, result);
    }
  });

  test('numbers instances in raster order of their first pixel', () => {
    const scene = streetScene();
    const { idMap, instances } = clusterInstances({ ...scene, offsets: offsetsOf(scene) });
    let next = 1;
    for (const id of idMap) {
      if (id === 0 || id < next) continue;
      assert.equal(id, next);
      next++;
    }
    assert.deepEqual(
      instances.map((i) => i.id),
      instances.map((_, k) => k + 1),
    );
  });

  test('separates same-class instances whose centroids are just over the bandwidth apart', () => {
    // Two 2 x 4 people side by side: centroids 2 px apart; a 1.5 px bandwidth still separates them.
    const scene = paint(8, 8, [
      { trainId: TRAIN_ID.person, covers: rect(1, 2, 3, 6) },
      { trainId: TRAIN_ID.person, covers: rect(3, 2, 5, 6) },
    ]);
    const options = { bandwidth: 1.5, mergeRadius: 1.5 };
    assertRecoversEveryInstance(scene, clusterInstances({ ...scene, offsets: offsetsOf(scene), options }));
    // With the default bandwidth (3 px) the two votes lie within one kernel: one instance.
    assert.equal(clusterInstances({ ...scene, offsets: offsetsOf(scene) }).instances.length, 1);
  });

  test('ignores pixels of non-thing classes and pixels with non-finite offsets', () => {
    const scene = paint(16, 16, [{ trainId: TRAIN_ID.car, covers: rect(2, 2, 10, 10) }]);
    const offsets = offsetsOf(scene);
    offsets[2 * (2 * 16 + 2)] = NaN; // the car's first pixel
    const { idMap, instances } = clusterInstances({ ...scene, offsets });
    assert.equal(instances.length, 1);
    assert.equal(instances[0]!.area, 63);
    assert.equal(idMap[2 * 16 + 2], 0);
    assert.equal(idMap[0], 0, 'sky pixel');
    const none = clusterInstances({ ...scene, offsets, thingTrainIds: [TRAIN_ID.person] });
    assert.equal(none.instances.length, 0);
    assert.ok(none.idMap.every((id) => id === 0));
  });

  test('dissolves clusters below minPixels into the nearest mode within assignRadius, or drops them', () => {
    // 20 car pixels voting for (5, 5) and 3 voting for (12, 5), 7 px away.
    const height = 4;
    const width = 20;
    const semantic = new Uint8Array(height * width);
    const offsets = new Float32Array(height * width * 2);
    for (let p = 0; p < 23; p++) {
      semantic[p] = TRAIN_ID.car;
      const target = p < 20 ? 5 : 12;
      offsets[2 * p] = target - (p % width);
      offsets[2 * p + 1] = 5 - Math.floor(p / width);
    }
    const input = { offsets, semantic, height, width, options: { minPixels: 8, minVotes: 1 } };
    const merged = clusterInstances(input);
    assert.equal(merged.instances.length, 1);
    assert.equal(merged.instances[0]!.area, 23);
    assert.ok(Math.abs(merged.instances[0]!.score - 20 / 23) < 1e-12);
    const dropped = clusterInstances({ ...input, options: { minPixels: 8, minVotes: 1, assignRadius: 5 } });
    assert.equal(dropped.instances.length, 1);
    assert.equal(dropped.instances[0]!.area, 20);
  });

  test('rejects bad input, naming the field', () => {
    const scene = paint(4, 4, []);
    const offsets = new Float32Array(32);
    const cases: [() => unknown, RegExp][] = [
      [() => clusterInstances({ ...scene, offsets: new Float32Array(31) }), /^offsets must have 32 values/],
      [() => clusterInstances({ ...scene, offsets, semantic: new Uint8Array(3) }), /^semantic must have 16/],
      [() => clusterInstances({ ...scene, offsets, width: 0 }), /^width must be an integer/],
      [() => clusterInstances({ ...scene, offsets, thingTrainIds: [11, 255] }), /^thingTrainIds\[1\]/],
      [() => clusterInstances({ ...scene, offsets, thingTrainIds: [11, 11] }), /^thingTrainIds\[1\] repeats/],
      [() => clusterInstances({ ...scene, offsets, options: { bandwidth: -1 } }), /^options\.bandwidth/],
      [
        () => clusterInstances({ ...scene, offsets, options: { bandwidth: 0.25 } }),
        /^options\.bandwidth .* >= 0\.5/,
      ],
      [() => clusterInstances({ ...scene, offsets, options: { minPixels: 0.5 } }), /^options\.minPixels/],
      [() => clusterInstances({ ...scene, offsets, options: { minVotes: NaN } }), /^options\.minVotes/],
    ];
    for (const [run, message] of cases) {
      assert.throws(run, (err: unknown) => err instanceof ValidationError && message.test(err.message));
    }
    assert.equal(resolveClusterOptions().bandwidth, DEFAULT_BANDWIDTH);
  });

  test('runs in well under 100 ms at 128 x 256', () => {
    // 48 objects of random classes and sizes on a 6 x 8 lattice (non-overlapping cells), noisy offsets.
    const random = seededRandom(7);
    const things = [
      TRAIN_ID.person,
      TRAIN_ID.rider,
      TRAIN_ID.car,
      TRAIN_ID.truck,
      TRAIN_ID.bus,
      TRAIN_ID.motorcycle,
      TRAIN_ID.bicycle,
    ];
    const shapes: Shape[] = [];
    for (let row = 0; row < 6; row++) {
      for (let col = 0; col < 8; col++) {
        const w = 4 + Math.floor(random() * 28);
        const h = 4 + Math.floor(random() * 17);
        const x0 = col * 32;
        const y0 = row * 21;
        shapes.push({
          trainId: things[Math.floor(random() * things.length)]!,
          covers: rect(x0, y0, x0 + w, y0 + h),
        });
      }
    }
    const scene = paint(128, 256, shapes);
    const offsets = offsetsOf(scene, 0.5, 3);
    const input = { ...scene, offsets };
    clusterInstances(input); // warm-up (JIT)
    const times: number[] = [];
    let result: ClusterInstancesResult | undefined;
    for (let i = 0; i < 7; i++) {
      const start = performance.now();
      result = clusterInstances(input);
      times.push(performance.now() - start);
    }
    assertRecoversEveryInstance(scene, result!);
    const median = times.sort((a, b) => a - b)[3]!;

    // Worst case: every pixel is a car voting for a random point of the image.
    const semantic = new Uint8Array(128 * 256).fill(TRAIN_ID.car);
    const randomVotes = Float32Array.from({ length: 128 * 256 * 2 }, (_, i) =>
      i % 2 === 0 ? random() * 256 - ((i / 2) % 256) : random() * 128 - Math.floor(i / 2 / 256),
    );
    const noiseInput = { offsets: randomVotes, semantic, height: 128, width: 256 };
    clusterInstances(noiseInput);
    const worstTimes: number[] = [];
    for (let i = 0; i < 3; i++) {
      const start = performance.now();
      clusterInstances(noiseInput);
      worstTimes.push(performance.now() - start);
    }
    const worst = worstTimes.sort((a, b) => a - b)[1]!;
    console.log(
      `clusterInstances 128x256: ${median.toFixed(2)} ms (48 objects), ${worst.toFixed(2)} ms (random votes)`,
    );
    assert.ok(median < 100, `median ${median} ms`);
    // About 60 ms on an idle core; the bound only catches a complexity regression on a busy CI machine.
    assert.ok(worst < 400, `random votes ${worst} ms`);
  });
});
