/**
 * The fast prediction path (one argmax at the network's size, labels interpolated only near class
 * boundaries, cell-ordered mean shift) gives the outputs of the path it replaced, to the bit.
 *
 * The heads are fixed (seeded, pure JS: no backend can change them): a street-like layout of thing and
 * stuff regions with noisy logits, offsets and disparity, as a trained network produces. The digests were
 * taken from the previous path (commit 0a42bf4, before the prediction-speed work) on these same heads.
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { test } from 'node:test';
import { argmax } from '../../src/model/postprocess/argmax.js';
import { BilinearRows } from '../../src/model/postprocess/bilinear-rows.js';
import { smallArgmax, upsampledArgmax } from '../../src/model/postprocess/upsample-labels.js';
import { collectRows, PredictionMaps, type HeadOutputs } from '../../src/model/prediction-maps.js';
import { TASKS } from '../../src/model/tasks.js';
import { seededRandom } from '../helpers/random.js';
import { tinyModelManifest } from '../helpers/tiny-model.js';

const [H, W, CLASSES] = [64, 128, 19];

/** Noisy heads of a scene with `objects` rectangles of thing classes over road and sky. */
function sceneHeads(seed: number, objects: number): HeadOutputs {
  const next = seededRandom(seed);
  const noise = () => next() * 2 - 1;
  const classOf = new Uint8Array(H * W);
  const centre = new Float32Array(H * W * 2);
  for (let p = 0; p < H * W; p++) classOf[p] = Math.floor(p / W) < H / 2 ? 10 : 0;
  for (let o = 0; o < objects; o++) {
    const [w, h] = [4 + Math.floor(next() * 20), 4 + Math.floor(next() * 16)];
    const [x0, y0] = [Math.floor(next() * (W - w)), Math.floor(next() * (H - h))];
    const cls = 11 + Math.floor(next() * 8);
    for (let y = y0; y < y0 + h; y++) {
      for (let x = x0; x < x0 + w; x++) {
        classOf[y * W + x] = cls;
        centre[(y * W + x) * 2] = x0 + w / 2;
        centre[(y * W + x) * 2 + 1] = y0 + h / 2;
      }
    }
  }
  const logits = new Float32Array(H * W * CLASSES);
  const offsets = new Float32Array(H * W * 2);
  const depth = new Float32Array(H * W);
  for (let p = 0; p < H * W; p++) {
    const [x, y] = [p % W, Math.floor(p / W)];
    for (let c = 0; c < CLASSES; c++) logits[p * CLASSES + c] = noise() * 1.5 + (c === classOf[p] ? 2 : 0);
    offsets[p * 2] = centre[p * 2]! - x + noise() * 1.5;
    offsets[p * 2 + 1] = centre[p * 2 + 1]! - y + noise() * 1.5;
    depth[p] = (y / H) * 20 - 1 + noise();
  }
  return { logits, offsets, depth };
}

function digest(...parts: (ArrayBufferView | string)[]): string {
  const hash = createHash('sha256');
  for (const part of parts) {
    hash.update(
      typeof part === 'string' ? part : new Uint8Array(part.buffer, part.byteOffset, part.byteLength),
    );
  }
  return hash.digest('hex').slice(0, 16);
}

/** Digests of every output of the maps at `width x height`. */
function outputsDigest(heads: HeadOutputs, width: number, height: number): Record<string, string> {
  const manifest = { ...tinyModelManifest('fast', [...TASKS]), inputSize: [H, W] as [number, number] };
  const maps = new PredictionMaps(heads, manifest, [...TASKS], width, height);
  const segmentation = maps.segmentation()!;
  const instances = maps.instances()!;
  return {
    labels: digest(segmentation.labels, JSON.stringify(segmentation.classes)),
    instances: digest(instances.idMap, JSON.stringify(instances.instances)),
    depth: digest(
      collectRows(maps.disparityRows, width * height),
      collectRows(maps.depthRows, width * height),
      JSON.stringify([maps.disparityRange(), maps.depthStats()]),
    ),
  };
}

const CASES = [
  { seed: 1, objects: 12, width: 256, height: 128 },
  { seed: 2, objects: 30, width: 301, height: 173 },
  { seed: 3, objects: 6, width: 128, height: 64 },
];

if (process.env['PRINT_DIGESTS']) {
  for (const c of CASES)
    console.log(JSON.stringify(outputsDigest(sceneHeads(c.seed, c.objects), c.width, c.height)));
}

/** Taken with the previous path (see the file's header). */
const EXPECTED: Record<string, string>[] = [
  { labels: '39c930284c2ddb73', instances: 'f3419ba2178fe738', depth: '3c610b93635018d2' },
  { labels: '36e4e8d864ea15f0', instances: '2dbea79108ce6143', depth: '6a262026f0bc922e' },
  { labels: '8f0f36d76a3b74c8', instances: '2c20eea8e50572c7', depth: '68e4b853116ddedf' },
];

test('labels, instances and depth equal those of the previous path, to the bit', () => {
  for (const [i, c] of CASES.entries()) {
    assert.deepEqual(
      outputsDigest(sceneHeads(c.seed, c.objects), c.width, c.height),
      EXPECTED[i],
      `case ${i}`,
    );
  }
});

test('the labels equal the argmax of every class interpolated row by row (the previous algorithm)', () => {
  for (const c of CASES) {
    const { logits } = sceneHeads(c.seed, c.objects);
    const rows = new BilinearRows(logits!, H, W, CLASSES, c.height, c.width);
    const expected = new Uint8Array(c.width * c.height);
    const row = new Float32Array(c.width * CLASSES);
    for (let y = 0; y < c.height; y++) {
      rows.row(y, row);
      expected.set(argmax(row, 1, c.width, CLASSES), y * c.width);
    }
    const map = { logits: logits!, height: H, width: W, classes: CLASSES };
    assert.deepEqual(upsampledArgmax(map, c.height, c.width), expected);
    // Not a trivial case: a fair share of the pixels are interpolated (near boundaries and noisy pixels).
    const small = argmax(logits!, H, W, CLASSES);
    let mixed = 0;
    for (let p = 1; p < small.length; p++) if (small[p] !== small[p - 1]) mixed++;
    assert.ok(mixed > small.length / 20, `${mixed} class changes`);
  }
});

test("smallArgmax gives argmax's labels, each pixel's lead over the best other class and the largest magnitude", () => {
  const next = seededRandom(7);
  const classes = 5;
  const pixels = 40;
  const logits = new Float32Array(pixels * classes).map(() => Math.round((next() * 2 - 1) * 8) / 2);
  logits.set([3, 1, 3, 0, -2], 0); // a tie: the first maximum wins and leads by 0
  logits.set([NaN, 2, 5, 1, 0], classes); // a NaN: never trusted
  logits.set([-9, -1, -3, -1, -12], 2 * classes); // the largest magnitude is negative
  const small = smallArgmax({ logits, height: 4, width: 10, classes });
  assert.deepEqual(Array.from(small.labels), Array.from(argmax(logits, 4, 10, classes)));
  for (let p = 0; p < pixels; p++) {
    const values = Array.from(logits.subarray(p * classes, (p + 1) * classes));
    const others = values.filter((_, c) => c !== small.labels[p]);
    const expected = values.some(Number.isNaN) ? -1 : values[small.labels[p]!]! - Math.max(...others);
    assert.equal(small.lead[p], expected, `pixel ${p}`);
  }
  assert.equal(small.lead[0], 0);
  assert.equal(small.lead[1], -1);
  assert.equal(small.scale, 12);
  const one = smallArgmax({ logits: Float32Array.of(0.5, -0.25), height: 1, width: 2, classes: 1 });
  assert.deepEqual([...one.labels, ...one.lead, one.scale], [0, 0, Infinity, Infinity, 1]);
});
