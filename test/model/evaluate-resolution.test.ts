import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import type { Tensor } from '@tensorflow/tfjs';
import { EvaluationScorer, type SampleTruth } from '../../src/model/evaluation-scorer.js';
import { evaluateModel, upsampledPrediction } from '../../src/model/evaluate.js';
import { buildNetwork } from '../../src/model/network.js';
import { TASKS } from '../../src/model/tasks.js';
import { selectBackend, tf } from '../../src/tf/index.js';
import { memorySource } from './helpers/memory-source.js';

const SIZE = { height: 32, width: 64 };
const CLASSES = 4;
const THINGS = [1, 2];
const tasks = [...TASKS];

before(async () => {
  await selectBackend('wasm');
});

describe('evaluation resolution', () => {
  test('full-resolution evaluation equals the input-size one on ground truth already at the input size', async () => {
    const model = buildNetwork({ width: 4, inputSize: [SIZE.height, SIZE.width], tasks, classes: CLASSES });
    const source = () => memorySource({ samples: 4, batchSize: 2, ...SIZE, classes: CLASSES, seed: 9 });
    // The ground truth by sample name, from the very batches the input-size evaluation scores.
    const truths = new Map<string, SampleTruth>();
    const pixels = SIZE.height * SIZE.width;
    for await (const batch of source().validation()) {
      const host = (t: Tensor | undefined) => t!.dataSync();
      const [labels, offsets, offsetMask, disparity, disparityMask] = [
        host(batch.labels),
        host(batch.offsets),
        host(batch.offsetMask),
        host(batch.disparity),
        host(batch.disparityMask),
      ];
      batch.names.forEach((name, b) => {
        const cut = (data: ArrayLike<number>, per: number) =>
          Array.from(data).slice(b * pixels * per, (b + 1) * pixels * per);
        truths.set(name, {
          ...SIZE,
          labels: Uint8Array.from(cut(labels, 1)),
          offsets: Float32Array.from(cut(offsets, 2)),
          offsetMask: Uint8Array.from(cut(offsetMask, 1)),
          disparity: Float32Array.from(cut(disparity, 1)),
          disparityMask: Uint8Array.from(cut(disparityMask, 1)),
        });
      });
      tf.dispose(Object.values(batch).filter((v): v is Tensor => v instanceof tf.Tensor));
    }
    const options = { classes: CLASSES, thingTrainIds: THINGS };
    const before = tf.memory().numTensors;
    const input = await evaluateModel(model, tasks, source().validation(), options);
    const full = await evaluateModel(model, tasks, source().validation(), {
      ...options,
      groundTruth: async (name) => truths.get(name),
    });
    assert.equal(tf.memory().numTensors, before, 'no tensor leaks');
    assert.deepEqual(input.resolution, { mode: 'input', ...SIZE });
    assert.deepEqual(full.resolution, { mode: 'full', ...SIZE });
    const { resolution: _a, ...inputRest } = input;
    const { resolution: _b, ...fullRest } = full;
    assert.deepEqual(fullRest, inputRest);
    assert.ok(input.segmentation!.pixels > 0 && input.images === 4);
    model.dispose();
  });

  test('upsampling rescales offsets and disparity to the pixels of the larger resolution', () => {
    const outputs = {
      logits: tf.tensor4d([0, 1, 1, 0, 0, 1, 1, 0], [1, 2, 2, 2]),
      offsets: tf.fill([1, 2, 2, 2], 1) as tf.Tensor4D,
      disparity: tf.fill([1, 2, 2, 1], 3) as tf.Tensor4D,
    };
    const up = upsampledPrediction(outputs, 0, 4, 8);
    assert.equal(up.labels!.length, 32);
    // Column 0 of the logits says class 1, column 1 class 0; at 4x8 the left half is 1, the right half 0.
    assert.deepEqual(Array.from(up.labels!.slice(0, 8)), [1, 1, 1, 1, 0, 0, 0, 0]);
    // dx scales with the width ratio (4), dy with the height ratio (2), disparity with the width ratio.
    assert.deepEqual(Array.from(up.offsets!.slice(0, 2)), [4, 2]);
    assert.equal(up.disparity![0], 12);
    tf.dispose(Object.values(outputs));
  });
});

describe('PQ from instanceIds', () => {
  // 8 x 32: a car (train id 1 here, CityScapes instance id 26001) on the left half; the right half is car
  // pixels CityScapes groups as a crowd (id 26, below 1000, on a thing class).
  const height = 8;
  const width = 32;
  const CAR = 1;
  const half = (x: number) => (x < 16 ? 0 : 1);
  /** Exact offsets to the centroid of each half: one predicted instance per half. */
  function prediction(): { labels: Uint8Array; offsets: Float32Array } {
    const labels = new Uint8Array(height * width).fill(CAR);
    const offsets = new Float32Array(height * width * 2);
    for (let y = 0; y < height; y++) {
      for (let x = 0; x < width; x++) {
        const p = y * width + x;
        offsets[2 * p] = (half(x) === 0 ? 7.5 : 23.5) - x;
        offsets[2 * p + 1] = 3.5 - y;
      }
    }
    return { labels, offsets };
  }
  const score = (rightLabel: number, rightId: number) => {
    const scorer = new EvaluationScorer(['segmentation', 'instances'], {
      classes: CLASSES,
      thingTrainIds: [CAR],
    });
    const labels = new Uint8Array(height * width);
    const instanceIds = new Uint16Array(height * width);
    for (let y = 0; y < height; y++) {
      for (let x = 0; x < width; x++) {
        labels[y * width + x] = half(x) === 0 ? CAR : rightLabel;
        instanceIds[y * width + x] = half(x) === 0 ? 26001 : rightId;
      }
    }
    scorer.score(prediction(), { height, width, labels, instanceIds });
    return scorer.result().panoptic!;
  };

  test('an unmatched predicted segment on a crowd region of its class is no false positive', () => {
    const crowd = score(CAR, 26);
    assert.equal(crowd.tp, 1);
    assert.equal(crowd.fn, 0);
    assert.equal(crowd.fp, 0, 'the right-half car segment lies on car crowd: not counted');
    assert.equal(crowd.pq, 1);
  });

  test('the same segment on non-crowd ground truth of another class is a false positive', () => {
    // Right half: road (train id 0, instance id 7 = its label id), not a thing: no crowd there.
    const road = score(0, 7);
    assert.equal(road.tp, 1);
    assert.equal(road.fp, 1);
    assert.ok(Math.abs(road.pq! - 1 / (1 + 0.5)) < 1e-12);
  });
});
