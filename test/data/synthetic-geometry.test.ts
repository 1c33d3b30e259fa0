import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CITYSCAPES_LABELS } from '../../src/data/cityscapes-labels.js';
import {
  colorizeDisparity,
  colorizeInstances,
  colorizeLabels,
  encodeDisparity,
  parseSceneSize,
  sampleName,
  samplePaths,
  scaledIntrinsic,
} from '../../src/data/synthetic/index.js';
import {
  GROUND_KERB,
  GROUND_ROAD,
  GROUND_SIDEWALK,
  GROUND_VERGE_LEFT,
  GROUND_VERGE_RIGHT,
  intersectGround,
  type Ground,
  type GroundHit,
} from '../../src/data/synthetic/ground.js';
import { intersectPrimitive, surfaceNormal, type Normal } from '../../src/data/synthetic/intersect.js';
import { MATERIAL_PLAIN, Material } from '../../src/data/synthetic/material.js';
import {
  Primitive,
  SHAPE_BOX,
  SHAPE_CYLINDER_X,
  SHAPE_CYLINDER_Y,
  SHAPE_SPHERE,
  type PrimitiveSpec,
} from '../../src/data/synthetic/primitive.js';
import { hashSeed, SeededRandom } from '../../src/data/synthetic/random.js';
import { ValidationError } from '../../src/errors.js';

const material = new Material(MATERIAL_PLAIN, { r: 1, g: 1, b: 1 });

/** A solid from a spec (label and instance do not matter here). */
function solid(spec: PrimitiveSpec): Primitive {
  return new Primitive(spec, 0, 0, material);
}

/** The normal of `p` at the point the ray from `o` along `d` hits it. */
function normalAtHit(p: Primitive, o: number[], d: number[]): Normal {
  const t = intersectPrimitive(p, o[0]!, o[1]!, o[2]!, d[0]!, d[1]!, d[2]!);
  const n: Normal = { x: 0, y: 0, z: 0 };
  surfaceNormal(p, o[0]! + t * d[0]!, o[1]! + t * d[1]!, o[2]! + t * d[2]!, n);
  return n;
}

/** Asserts two numbers agree to 1e-9. */
function near(actual: number, expected: number): void {
  assert.ok(Math.abs(actual - expected) < 1e-9, `${actual} != ${expected}`);
}

describe('ray intersections', () => {
  it('hits an axis-aligned box on its near face, and misses beside it', () => {
    const box = solid({ shape: SHAPE_BOX, x: 0, y: 1, z: 10, hx: 1, hy: 1, hz: 2 });
    near(intersectPrimitive(box, 0, 1, 0, 0, 0, 1), 8);
    // A direction with z = 1: t is the depth of the hit, here the near face at z = 8.
    near(intersectPrimitive(box, 0, 1, 0, 0.1, 0, 1), 8);
    assert.equal(intersectPrimitive(box, 0, 1, 0, 0.2, 0, 1), Infinity);
    assert.equal(intersectPrimitive(box, 0, 1, 0, 0, 0, -1), Infinity);
    assert.deepEqual(normalAtHit(box, [0, 1, 0], [0, 0, 1]), { x: 0, y: 0, z: -1 });
    assert.deepEqual(normalAtHit(box, [5, 1, 10], [-1, 0, 0]), { x: 1, y: 0, z: 0 });
  });

  it('turns a box by its yaw', () => {
    // A 4 m long, 1 m wide box turned by 90 degrees lies across the ray: 4 m wide, near face 0.5 m ahead
    // of the centre.
    const box = solid({ shape: SHAPE_BOX, x: 0, y: 0, z: 10, hx: 0.5, hy: 1, hz: 2, yaw: Math.PI / 2 });
    near(intersectPrimitive(box, 0, 0, 0, 0, 0, 1), 9.5);
    near(intersectPrimitive(box, 1.5, 0, 0, 0, 0, 1), 9.5);
    assert.equal(intersectPrimitive(box, 2.5, 0, 0, 0, 0, 1), Infinity);
    const n = normalAtHit(box, [0, 0, 0], [0, 0, 1]);
    near(n.x, 0);
    near(n.z, -1);
    near(box.maxX - box.minX, 4);
    near(box.maxZ - box.minZ, 1);
  });

  it('hits a sphere at its surface, with a radial normal', () => {
    const sphere = solid({ shape: SHAPE_SPHERE, x: 0, y: 0, z: 5, hx: 1, hy: 1, hz: 1 });
    near(intersectPrimitive(sphere, 0, 0, 0, 0, 0, 1), 4);
    near(intersectPrimitive(sphere, 0, 0, 0, 0, 0, 2), 2);
    assert.equal(intersectPrimitive(sphere, 0, 0, 0, 0.3, 0, 1), Infinity);
    assert.deepEqual(normalAtHit(sphere, [0, 0, 0], [0, 0, 1]), { x: 0, y: 0, z: -1 });
  });

  it('hits a vertical cylinder on its side and its caps', () => {
    const pole = solid({ shape: SHAPE_CYLINDER_Y, x: 0, y: 2, z: 10, hx: 0.5, hy: 2, hz: 0.5 });
    near(intersectPrimitive(pole, 0, 1, 0, 0, 0, 1), 9.5);
    assert.equal(intersectPrimitive(pole, 0, 5, 0, 0, 0, 1), Infinity);
    // From above, straight down onto the top cap.
    near(intersectPrimitive(pole, 0, 10, 10, 0, -1, 0), 6);
    assert.deepEqual(normalAtHit(pole, [0, 10, 10], [0, -1, 0]), { x: 0, y: 1, z: 0 });
    const side = normalAtHit(pole, [0, 1, 0], [0, 0, 1]);
    near(side.z, -1);
  });

  it('hits a wheel (x cylinder) on its tread from ahead and on its hub from the side', () => {
    const wheel = solid({ shape: SHAPE_CYLINDER_X, x: 0, y: 0.3, z: 10, hx: 0.1, hy: 0.3, hz: 0.3 });
    near(intersectPrimitive(wheel, 0, 0.3, 0, 0, 0, 1), 9.7);
    near(intersectPrimitive(wheel, -5, 0.3, 10, 1, 0, 0), 4.9);
    assert.deepEqual(normalAtHit(wheel, [-5, 0.3, 10], [1, 0, 0]), { x: -1, y: 0, z: 0 });
  });
});

describe('intersectGround', () => {
  const ground: Ground = {
    roadHalfWidth: 4,
    kerbHeight: 0.15,
    sidewalkLeft: 2,
    sidewalkRight: 3,
    regions: [],
  };
  const hit: GroundHit = { t: 0, region: -1, nx: 0 };

  it('finds road, kerb faces, sidewalks and verges', () => {
    intersectGround(ground, 0, 1.2, 0, -0.1, hit);
    assert.equal(hit.region, GROUND_ROAD);
    near(hit.t, 12);
    // Towards the right kerb: passes x = 4 between the two heights.
    intersectGround(ground, 0, 1.2, 4 / 11, -0.1, hit);
    assert.equal(hit.region, GROUND_KERB);
    assert.equal(hit.nx, -1);
    near(hit.t, 11);
    intersectGround(ground, 0, 1.2, 0.5, -0.1, hit);
    assert.equal(hit.region, GROUND_SIDEWALK);
    near(hit.t, 10.5);
    intersectGround(ground, 0, 1.2, -1, -0.1, hit);
    assert.equal(hit.region, GROUND_VERGE_LEFT);
    intersectGround(ground, 0, 1.2, 1, -0.1, hit);
    assert.equal(hit.region, GROUND_VERGE_RIGHT);
    intersectGround(ground, 0, 1.2, 0, 0.1, hit);
    assert.equal(hit.t, Infinity);
  });
});

describe('seeded randomness', () => {
  it('repeats for a seed and differs between seeds and parts', () => {
    const a = new SeededRandom(42);
    const b = new SeededRandom(42);
    const drawsA = Array.from({ length: 100 }, () => a.next());
    assert.deepEqual(
      drawsA,
      Array.from({ length: 100 }, () => b.next()),
    );
    for (const v of drawsA) assert.ok(v >= 0 && v < 1);
    assert.notEqual(new SeededRandom(43).next(), drawsA[0]);
    assert.notEqual(hashSeed(1, 2), hashSeed(2, 1));
    assert.notEqual(hashSeed(1, 2), hashSeed(1, 3));
    const r = new SeededRandom(7);
    for (let i = 0; i < 1000; i++) {
      const n = r.int(3, 5);
      assert.ok(n >= 3 && n <= 5 && Number.isInteger(n));
    }
  });
});

describe('dataset files', () => {
  it('names samples like CityScapes', () => {
    assert.equal(sampleName('synthetic-noon', 12), 'synthetic-noon_000012_000019');
    assert.deepEqual(samplePaths('val', 'c', 'c_000001_000019'), {
      leftImg8bit: 'leftImg8bit/val/c/c_000001_000019_leftImg8bit.png',
      labelIds: 'gtFine/val/c/c_000001_000019_gtFine_labelIds.png',
      instanceIds: 'gtFine/val/c/c_000001_000019_gtFine_instanceIds.png',
      disparity: 'disparity/val/c/c_000001_000019_disparity.png',
      camera: 'camera/val/c/c_000001_000019_camera.json',
    });
  });

  it('encodes disparity as round(d * 256) + 1, 0 for invalid, clamped to 16 bits', () => {
    assert.deepEqual(
      [...encodeDisparity(new Float32Array([0, 1, 0.5, 2.0019, 300]))],
      [0, 257, 129, Math.round(2.0019 * 256) + 1, 65535],
    );
  });

  it('scales the CityScapes intrinsics with the image size', () => {
    const full = scaledIntrinsic(2048, 1024);
    near(full.fx, 2262.52);
    near(full.u0, 1096.98);
    const small = scaledIntrinsic(256, 128);
    near(small.fx, 2262.52 / 8);
    near(small.v0, (513.137 + 0.5) / 8 - 0.5);
  });

  it('parses HEIGHTxWIDTH sizes and rejects the rest', () => {
    assert.deepEqual(parseSceneSize('128x256'), { width: 256, height: 128 });
    for (const bad of ['128', '0x10', '10x0', '128x4096', 'axb', '-1x5', '1.5x2']) {
      assert.throws(() => parseSceneSize(bad), ValidationError, bad);
    }
  });
});

describe('colorize', () => {
  it('paints labels in CityScapes colours, instances in bright colours, disparity with black sky', () => {
    const car = CITYSCAPES_LABELS.find((l) => l.name === 'car')!;
    const labels = colorizeLabels(new Uint8Array([car.id, 23]), 2, 1);
    assert.deepEqual([...labels.data.subarray(0, 3)], [...car.color]);
    const instances = colorizeInstances(new Uint16Array([26000, 26001, 7]), 3, 1);
    assert.notDeepEqual([...instances.data.subarray(0, 3)], [...instances.data.subarray(3, 6)]);
    assert.ok(Math.max(...instances.data.subarray(0, 3)) === 255);
    assert.ok(Math.max(...instances.data.subarray(6, 9)) < 100);
    const disparity = colorizeDisparity(new Float32Array([0, 1, 4]), 3, 1);
    assert.deepEqual([...disparity.data.subarray(0, 3)], [0, 0, 0]);
    assert.equal(disparity.channels, 3);
  });
});
