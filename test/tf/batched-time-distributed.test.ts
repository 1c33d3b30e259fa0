import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { before, describe, test } from 'node:test';
import type { LayersModel, Scalar, SymbolicTensor, Tensor, Variable } from '@tensorflow/tfjs';
import {
  atrousConv2d,
  BatchedTimeDistributed,
  batchedTimeDistributed,
  fileSystemHandler,
  selectBackend,
  tf,
} from '../../src/tf/index.js';
import { maxRelativeError, randomValues } from '../helpers/random.js';

/** [batch, steps, height, width, channels]: odd sizes, more than one sample and step. */
const SHAPE = [2, 4, 5, 7, 3];
const FILTERS = 6;

before(async () => {
  await selectBackend('wasm');
});

/** The same inner conv (same seeded kernel and bias) wrapped by the stock or the batched layer. */
function wrapped(batched: boolean, inner: () => ReturnType<typeof tf.layers.conv2d>): LayersModel {
  const input = tf.input({ shape: SHAPE.slice(1) });
  const args = { name: 'per_step', layer: inner() };
  const layer = batched ? batchedTimeDistributed(args) : tf.layers.timeDistributed(args);
  return tf.model({ inputs: input, outputs: layer.apply(input) as SymbolicTensor });
}

function conv() {
  return tf.layers.conv2d({
    filters: FILTERS,
    kernelSize: 3,
    strides: 2,
    padding: 'same',
    kernelInitializer: tf.initializers.heNormal({ seed: 5 }),
    biasInitializer: tf.initializers.randomNormal({ seed: 6 }),
  });
}

describe('BatchedTimeDistributed', () => {
  test('a Conv2D on the folded batch equals the stock per-step loop, values and gradients', () => {
    const stock = wrapped(false, conv);
    const batched = wrapped(true, conv);
    batched.setWeights(stock.getWeights());
    const x = tf.tensor(
      randomValues(
        SHAPE.reduce((a, b) => a * b, 1),
        3,
      ),
      SHAPE,
    );
    const expected = stock.predict(x) as Tensor;
    const actual = batched.predict(x) as Tensor;
    assert.deepEqual(actual.shape, expected.shape);
    assert.deepEqual(actual.shape, [2, 4, 3, 4, FILTERS]);
    assert.ok(maxRelativeError(actual.dataSync(), expected.dataSync()) <= 1e-6);

    const g = tf.tensor(randomValues(expected.size, 4), expected.shape);
    const gradients = (model: LayersModel) => {
      const dx = tf.grad((input: Tensor) => tf.sum(tf.mul(model.apply(input) as Tensor, g)))(x);
      const { value, grads } = tf.variableGrads(() => tf.sum(tf.mul(model.apply(x) as Tensor, g)) as Scalar);
      value.dispose();
      return [dx, ...model.trainableWeights.map((w) => grads[(w.read() as Variable).name]!)];
    };
    const want = gradients(stock);
    const got = gradients(batched);
    assert.equal(got.length, 3, 'dx, dkernel, dbias');
    for (const [i, grad] of got.entries()) {
      assert.ok(maxRelativeError(grad.dataSync(), want[i]!.dataSync()) <= 1e-5, `gradient ${i}`);
    }
    tf.dispose([x, expected, actual, g, ...want, ...got]);
    stock.dispose();
    batched.dispose();
  });

  test('the inner conv runs once for all steps (the stock loop runs it once a step)', async () => {
    const convCalls = async (model: LayersModel, x: Tensor) => {
      const info = await tf.profile(() => tf.dispose(model.predict(x)));
      return info.kernels.filter((k) => k.name === 'FusedConv2D' || k.name === 'Conv2D').length;
    };
    const x = tf.tensor(
      randomValues(
        SHAPE.reduce((a, b) => a * b, 1),
        11,
      ),
      SHAPE,
    );
    const [stock, batched] = [wrapped(false, conv), wrapped(true, conv)];
    assert.equal(await convCalls(stock, x), SHAPE[1]);
    assert.equal(await convCalls(batched, x), 1);
    x.dispose();
    stock.dispose();
    batched.dispose();
  });

  test('an inner layer that mixes the batch (batch norm in training) keeps the stock loop', () => {
    const input = tf.input({ shape: [3, 4, 2] });
    const layer = batchedTimeDistributed({ layer: tf.layers.batchNormalization({}) });
    const model = tf.model({ inputs: input, outputs: layer.apply(input) as SymbolicTensor });
    const x = tf.tensor(
      randomValues(2 * 3 * 4 * 2, 8).map((v, i) => v + (i % 3)),
      [2, 3, 4, 2],
    );
    const y = model.apply(x, { training: true }) as Tensor;
    // Per step, the training statistics are over the 2 samples of that step alone: each step is normalised.
    const steps = tf.unstack(y, 1);
    for (const step of steps) {
      const { mean } = tf.moments(step, [0, 1]);
      assert.ok(Math.max(...Array.from(mean.dataSync()).map(Math.abs)) < 1e-5);
      mean.dispose();
    }
    tf.dispose([x, y, ...steps]);
    model.dispose();
  });

  test('model.json keeps the stock class name, and loading builds the batched class', async () => {
    const input = tf.input({ shape: [8, 12, 3] });
    const model = tf.model({
      inputs: input,
      outputs: atrousConv2d(input, { name: 'a', filters: 4, kernelSize: 3, rate: 2 }),
    });
    const x = tf.tensor(randomValues(8 * 12 * 3, 9), [1, 8, 12, 3]);
    const dir = await mkdtemp(join(tmpdir(), 'batched-td-'));
    try {
      await model.save(fileSystemHandler(dir));
      const json = JSON.parse(await readFile(join(dir, 'model.json'), 'utf8')) as {
        modelTopology: { config: { layers: { class_name: string; name: string }[] } };
      };
      const wrapper = json.modelTopology.config.layers.find((l) => l.name === 'a_per_phase');
      assert.equal(wrapper?.class_name, 'TimeDistributed');
      const loaded = await tf.loadLayersModel(fileSystemHandler(dir));
      assert.ok(loaded.getLayer('a_per_phase') instanceof BatchedTimeDistributed);
      const [before, after] = [model.predict(x) as Tensor, loaded.predict(x) as Tensor];
      assert.deepEqual(Array.from(after.dataSync()), Array.from(before.dataSync()));
      tf.dispose([before, after]);
      loaded.dispose();
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
    x.dispose();
    model.dispose();
  });

  test('no tensor is left behind by a call or its gradient', () => {
    const model = wrapped(true, conv);
    const x = tf.tensor(
      randomValues(
        SHAPE.reduce((a, b) => a * b, 1),
        10,
      ),
      SHAPE,
    );
    const step = () =>
      tf.tidy(() => {
        const { value, grads } = tf.variableGrads(() => tf.sum(model.apply(x) as Tensor) as Scalar);
        tf.dispose([value, ...Object.values(grads)]);
      });
    step();
    const tensors = tf.memory().numTensors;
    for (let i = 0; i < 3; i++) step();
    assert.equal(tf.memory().numTensors, tensors);
    x.dispose();
    model.dispose();
  });
});
