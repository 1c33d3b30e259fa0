import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ValidationError } from '../../src/errors.js';
import { PanopticQuality, panopticGroundTruth } from '../../src/model/metrics/index.js';
import { clusterInstances } from '../../src/model/postprocess/index.js';

const ROAD = 0;
const PERSON = 11;
const CAR = 13;
const VOID = 255;

/** |a - b| < 1e-12 for numbers, or both null. */
function close(actual: number | null, expected: number): void {
  assert.ok(actual !== null && Math.abs(actual - expected) < 1e-12, `${actual} != ${expected}`);
}

describe('panopticGroundTruth', () => {
  test('reads CityScapes instanceIds: objects, crowd regions, void and non-thing objects', () => {
    // One row of 8 pixels: car 26001 x2, car 26002 x2, person 24000, car crowd (26), caravan 29001 (train id
    // 255), road (7).
    const instanceIds = Uint16Array.from([26001, 26001, 26002, 26002, 24000, 26, 29001, 7]);
    const semantic = Uint8Array.from([CAR, CAR, CAR, CAR, PERSON, CAR, VOID, ROAD]);
    const gt = panopticGroundTruth({ instanceIds, semantic });
    assert.deepEqual(gt.instances, [
      { id: 1, sourceId: 26001, trainId: CAR, area: 2 },
      { id: 2, sourceId: 26002, trainId: CAR, area: 2 },
      { id: 3, sourceId: 24000, trainId: PERSON, area: 1 },
    ]);
    assert.deepEqual(Array.from(gt.idMap), [1, 1, 2, 2, 3, 0, 0, 0]);
    assert.deepEqual(Array.from(gt.crowd), [VOID, VOID, VOID, VOID, VOID, CAR, VOID, VOID]);
    assert.deepEqual(Array.from(gt.voidMask), [0, 0, 0, 0, 0, 0, 1, 0]);
  });

  test("reads a plain id map (0 = none) and takes each object's majority class", () => {
    const gt = panopticGroundTruth({
      instanceIds: Int32Array.from([5, 5, 5, 0, 9]),
      semantic: Uint8Array.from([CAR, CAR, PERSON, ROAD, ROAD]),
      encoding: 'plain',
    });
    // Object 5 is a car (2 of 3 pixels); its person pixel is not part of it. Object 9 is road: no instance.
    assert.deepEqual(gt.instances, [{ id: 1, sourceId: 5, trainId: CAR, area: 2 }]);
    assert.deepEqual(Array.from(gt.idMap), [1, 1, 0, 0, 0]);
    assert.ok(gt.crowd.every((c) => c === VOID));
  });

  test('names mismatched maps', () => {
    assert.throws(
      () => panopticGroundTruth({ instanceIds: new Uint16Array(2), semantic: new Uint8Array(3) }),
      (e: unknown) => e instanceof ValidationError && /^instanceIds must have 3 values/.test(e.message),
    );
  });
});

describe('PanopticQuality', () => {
  test('is 1 for a perfect prediction (clustered from exact offsets)', () => {
    // 12 x 16: two touching cars and a person in front of them.
    const width = 16;
    const height = 12;
    const truth = new Int32Array(width * height);
    const semantic = new Uint8Array(width * height);
    const paint = (id: number, trainId: number, x0: number, y0: number, x1: number, y1: number): void => {
      for (let y = y0; y < y1; y++) {
        for (let x = x0; x < x1; x++) {
          truth[y * width + x] = id;
          semantic[y * width + x] = trainId;
        }
      }
    };
    paint(1, CAR, 0, 4, 8, 10);
    paint(2, CAR, 8, 4, 16, 10);
    paint(3, PERSON, 6, 1, 9, 11);
    const gt = panopticGroundTruth({ instanceIds: truth, semantic, encoding: 'plain' });
    const offsets = new Float32Array(width * height * 2);
    for (const instance of gt.instances) {
      let sx = 0;
      let sy = 0;
      gt.idMap.forEach((id, p) => {
        if (id === instance.id) [sx, sy] = [sx + (p % width), sy + Math.floor(p / width)];
      });
      gt.idMap.forEach((id, p) => {
        if (id !== instance.id) return;
        offsets[2 * p] = sx / instance.area - (p % width);
        offsets[2 * p + 1] = sy / instance.area - Math.floor(p / width);
      });
    }
    const prediction = clusterInstances({ offsets, semantic, height, width });
    assert.equal(prediction.instances.length, 3);
    const pq = new PanopticQuality();
    pq.update(prediction, gt);
    const r = pq.result();
    assert.deepEqual([r.pq, r.sq, r.rq, r.precision, r.recall, r.tp, r.fp, r.fn], [1, 1, 1, 1, 1, 3, 0, 0]);
    assert.deepEqual(
      r.perClass.map((c) => [c.trainId, c.pq, c.tp]),
      [
        [PERSON, 1, 1],
        [CAR, 1, 2],
      ],
    );
  });

  test('a partial match, computed by hand', () => {
    // 2 x 10. Row 0: car A = x0..4, car B = x5..9. Row 1: person C = x0..3, void x4..5, road x6..9.
    const gt = panopticGroundTruth({
      instanceIds: Int32Array.from([1, 1, 1, 1, 1, 2, 2, 2, 2, 2, 3, 3, 3, 3, 0, 0, 0, 0, 0, 0]),
      semantic: Uint8Array.from([
        ...Array(10).fill(CAR),
        ...Array(4).fill(PERSON),
        VOID,
        VOID,
        ...Array(4).fill(ROAD),
      ]),
      encoding: 'plain',
    });
    // Predictions: car 1 = row 0 x0..3 (IoU with A 4/5 = 0.8: TP); car 2 = row 0 x4..7 (IoU with B
    // 3/(4+5-3) = 0.5, not > 0.5: FP, and B is a FN); person 3 = row 1 x0..4 (its void pixel leaves the
    // union: 4/(5+4-4-1) = 1: TP); person 4 = row 1 x5..6 (half on void, not more: FP).
    const idMap = Uint16Array.from([1, 1, 1, 1, 2, 2, 2, 2, 0, 0, 3, 3, 3, 3, 3, 4, 4, 0, 0, 0]);
    const instances = [
      { id: 1, trainId: CAR },
      { id: 2, trainId: CAR },
      { id: 3, trainId: PERSON },
      { id: 4, trainId: PERSON },
    ];
    const metric = new PanopticQuality();
    metric.update({ idMap, instances }, gt);
    const r = metric.result();
    // Person: TP 1 (IoU 1), FP 1 -> SQ 1, RQ 1/1.5, PQ 2/3. Car: TP 1 (0.8), FP 1, FN 1 -> SQ 0.8, RQ 0.5, PQ 0.4.
    assert.deepEqual(r.perClass, [
      { trainId: PERSON, pq: 2 / 3, sq: 1, rq: 2 / 3, tp: 1, fp: 1, fn: 0 },
      { trainId: CAR, pq: 0.8 * 0.5, sq: 0.8, rq: 0.5, tp: 1, fp: 1, fn: 1 },
    ]);
    close(r.pq, (2 / 3 + 0.4) / 2);
    close(r.sq, 0.9);
    close(r.rq, (2 / 3 + 0.5) / 2);
    close(r.precision, 2 / 4);
    close(r.recall, 2 / 3);

    // Counting the same image twice doubles the counts and leaves the ratios as they are.
    metric.update({ idMap, instances }, gt);
    const twice = metric.result();
    assert.equal(twice.tp, 4);
    close(twice.pq, (2 / 3 + 0.4) / 2);
  });

  test('an unmatched prediction mostly on a crowd region of its class or on void is no false positive', () => {
    // CityScapes encoding, 1 x 6: a car crowd region (26) on x0..2, void x3..4, road x5.
    const gt = panopticGroundTruth({
      instanceIds: Uint16Array.from([26, 26, 26, 0, 0, 7]),
      semantic: Uint8Array.from([CAR, CAR, CAR, VOID, VOID, ROAD]),
    });
    const metric = new PanopticQuality();
    // Car 1 on the crowd (x0..2) and person 2 on void + road (2 of 3 pixels void): both ignored.
    metric.update(
      {
        idMap: Uint16Array.from([1, 1, 1, 2, 2, 2]),
        instances: [
          { id: 1, trainId: CAR },
          { id: 2, trainId: PERSON },
        ],
      },
      gt,
    );
    assert.deepEqual(metric.result(), {
      pq: null,
      sq: null,
      rq: null,
      precision: null,
      recall: null,
      tp: 0,
      fp: 0,
      fn: 0,
      perClass: [],
    });
    // A person on the car crowd is a false positive: crowd only excuses its own class.
    metric.update(
      { idMap: Uint16Array.from([1, 1, 1, 0, 0, 0]), instances: [{ id: 1, trainId: PERSON }] },
      gt,
    );
    assert.equal(metric.result().fp, 1);
  });

  test('merges, resets, and names bad input', () => {
    const gt = panopticGroundTruth({
      instanceIds: Int32Array.from([1, 1]),
      semantic: Uint8Array.from([CAR, CAR]),
      encoding: 'plain',
    });
    const a = new PanopticQuality();
    const b = new PanopticQuality();
    a.update({ idMap: Uint16Array.from([1, 1]), instances: [{ id: 1, trainId: CAR }] }, gt);
    b.update({ idMap: Uint16Array.from([0, 0]), instances: [] }, gt);
    a.merge(b);
    assert.deepEqual([a.result().tp, a.result().fn, a.result().pq], [1, 1, 1 / 1.5]);
    a.reset();
    assert.equal(a.result().pq, null);
    const cases: [() => unknown, RegExp][] = [
      [
        () => a.update({ idMap: Uint16Array.from([1, 1]), instances: [] }, gt),
        /^prediction\.idMap\[0\] holds id 1/,
      ],
      [
        () => a.update({ idMap: new Uint16Array(3), instances: [] }, gt),
        /^prediction\.idMap must have 2 values/,
      ],
      [
        () =>
          a.update(
            {
              idMap: Uint16Array.from([1, 1]),
              instances: [
                { id: 1, trainId: CAR },
                { id: 1, trainId: CAR },
              ],
            },
            gt,
          ),
        /^prediction\.instances\[1\]\.id repeats id 1/,
      ],
      [() => new PanopticQuality({ iouThreshold: 0.4 }), /^iouThreshold must be a number from 0.5 to 1/],
      [() => a.merge(new PanopticQuality({ thingTrainIds: [CAR] })), /^other must have the same/],
    ];
    for (const [run, message] of cases) {
      assert.throws(run, (err: unknown) => err instanceof ValidationError && message.test(err.message));
    }
    assert.equal(a.result().tp, 0, 'a rejected update changes nothing');
  });
});
