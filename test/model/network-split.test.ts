import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import type { Tensor } from '@tensorflow/tfjs';
import { buildNetwork } from '../../src/model/network.js';
import { splitNetwork } from '../../src/model/network-split.js';
import { Predictor } from '../../src/model/predictor.js';
import { canonicalTasks, type Task } from '../../src/model/tasks.js';
import { selectBackend, tf } from '../../src/tf/index.js';
import { tinyModelManifest } from '../helpers/tiny-model.js';

/** Values of a seeded input image at the tiny model's size. */
function inputImage(height: number, width: number, seed: number): Tensor {
  return tf.randomNormal([1, height, width, 3], 0, 1, 'float32', seed);
}

/** An untrained three-head predictor at 32x64. */
function tinyPredictor(id: string): Predictor {
  const tasks = ['segmentation', 'instances', 'depth'] as Task[];
  const model = buildNetwork({ width: 4, inputSize: [32, 64], tasks, classes: 19, seed: 1 });
  return new Predictor(model, tinyModelManifest(id));
}

describe('splitNetwork', () => {
  before(async () => {
    await selectBackend('wasm');
  });

  for (const tasks of [
    ['segmentation', 'instances', 'depth'],
    ['depth'],
    ['segmentation', 'depth'],
    ['instances'],
  ] as Task[][]) {
    it(`trunk then each head equals the whole model to the bit (${tasks.join(', ')})`, () => {
      const model = buildNetwork({ width: 4, inputSize: [32, 64], tasks, classes: 19, seed: 7 });
      const split = splitNetwork(model, canonicalTasks(tasks));
      assert.ok(split, 'a network of buildNetwork splits');
      assert.deepEqual(split.featureShapes, [
        [4, 8, 16],
        [8, 16, 8],
      ]);
      tf.tidy(() => {
        const x = inputImage(32, 64, 3);
        const whole = [model.predict(x) as Tensor | Tensor[]].flat();
        const features = split.trunk.predict(x) as Tensor[];
        for (const [i, task] of canonicalTasks(tasks).entries()) {
          const head = split.heads[task]!.predict(features) as Tensor;
          assert.deepEqual(head.shape, whole[i]!.shape);
          assert.deepEqual(head.dataSync(), whole[i]!.dataSync(), `${task} head`);
        }
      });
      split.dispose();
      model.dispose();
    });
  }

  it('a predictor with its split frees every tensor on dispose, and a head call keeps none', () => {
    const baseline = tf.memory().numTensors;
    const predictor = tinyPredictor('split');
    const image = {
      input: new Float32Array(32 * 64 * 3).fill(0.25),
      width: 64,
      height: 32,
      outputs: predictor.tasks,
      preprocessMs: 0,
    };
    const withModel = tf.memory().numTensors;
    const features = predictor.trunk(image);
    for (const task of predictor.tasks) predictor.head(task, features);
    tf.dispose(features);
    assert.equal(tf.memory().numTensors, withModel, 'no tensor outlives trunk and heads');
    predictor.dispose();
    assert.equal(tf.memory().numTensors, baseline, 'the model and its split heads are freed');
  });

  it("a predictor that never runs its heads apart leaves the weights to the model's own dispose", () => {
    // As a training job's epoch samples use one: over the model being trained, never disposed itself.
    const baseline = tf.memory().numTensors;
    const predictor = tinyPredictor('borrowed');
    const image = { input: new Float32Array(32 * 64 * 3), width: 64, height: 32, outputs: predictor.tasks };
    predictor.runBatch([{ ...image, preprocessMs: 0 }]);
    predictor.model.dispose();
    assert.equal(tf.memory().numTensors, baseline);
  });

  it('answers undefined for a graph without the trunk layers', () => {
    const input = tf.input({ shape: [8, 8, 3] });
    const output = tf.layers.conv2d({ filters: 2, kernelSize: 1 }).apply(input) as ReturnType<
      typeof tf.input
    >;
    const other = tf.model({ inputs: input, outputs: output });
    assert.equal(splitNetwork(other, ['depth']), undefined);
    other.dispose();
  });

  it('headsFor: instances bring the segmentation head, in the model order', () => {
    const predictor = tinyPredictor('heads');
    assert.deepEqual(predictor.headsFor(['depth', 'instances']), ['segmentation', 'instances', 'depth']);
    assert.deepEqual(predictor.headsFor(['depth']), ['depth']);
    predictor.dispose();
  });
});
