import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { before, describe, test } from 'node:test';
import type { LayersModel, Scalar, SymbolicTensor, Tensor } from '@tensorflow/tfjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import {
  fileSystemHandler,
  FusedBatchNormalization,
  fusedAdam,
  fusedBatchNormalization,
  reLUAfterBatchNorm,
  selectBackend,
  tf,
} from '../../src/tf/index.js';
import { maxRelativeError, randomValues } from '../helpers/random.js';

const SHAPE = [6, 10, 3];
const BATCH = 2;

before(async () => {
  await selectBackend('wasm');
});

/** conv -> bn -> relu -> conv -> bn (no relu) -> add -> relu -> 1x1 head; fused or stock layers. */
function buildModel(fused: boolean): LayersModel {
  const bn = (name: string, relu: boolean) =>
    fused
      ? fusedBatchNormalization({ name, momentum: 0.9, relu })
      : tf.layers.batchNormalization({ name, momentum: 0.9 });
  const relu = (name: string) => (fused ? reLUAfterBatchNorm({ name }) : tf.layers.reLU({ name }));
  const apply = (
    layer: { apply(x: SymbolicTensor | SymbolicTensor[]): unknown },
    x: SymbolicTensor | SymbolicTensor[],
  ) => layer.apply(x) as SymbolicTensor;
  const conv = (name: string, filters: number) =>
    tf.layers.conv2d({
      name,
      filters,
      kernelSize: 3,
      padding: 'same',
      useBias: false,
      kernelInitializer: tf.initializers.heNormal({ seed: 3 }),
    });
  const input = tf.input({ shape: SHAPE, name: 'image' });
  const a = apply(relu('a_relu'), apply(bn('a_bn', true), apply(conv('a_conv', 5), input)));
  const b = apply(bn('b_bn', false), apply(conv('b_conv', 5), a));
  const sum = apply(relu('sum_relu'), apply(tf.layers.add({ name: 'sum' }), [a, b]));
  const head = apply(tf.layers.conv2d({ name: 'head', filters: 2, kernelSize: 1 }), sum);
  return tf.model({ inputs: input, outputs: head, name: 'fused_bn_test' });
}

/** The same model with the fused and with the stock layers, with the same weights. */
function modelPair(): { fused: LayersModel; stock: LayersModel } {
  const fused = buildModel(true);
  const stock = buildModel(false);
  stock.setWeights(fused.getWeights());
  return { fused, stock };
}

function inputs() {
  return {
    x: tf.tensor(randomValues(BATCH * SHAPE.reduce((a, b) => a * b, 1), 1), [BATCH, ...SHAPE]),
    target: tf.tensor(randomValues(BATCH * 6 * 10 * 2, 2), [BATCH, 6, 10, 2]),
  };
}

/** `steps` SGD steps on a squared error: only the batch norm differs between the two models. */
function train(model: LayersModel, steps: number, optimizer = tf.train.sgd(0.05)): void {
  const { x, target } = inputs();
  for (let i = 0; i < steps; i++) {
    optimizer.minimize(
      () => tf.mean(tf.square(tf.sub(model.apply(x, { training: true }) as Tensor, target))) as Scalar,
    );
  }
  tf.dispose([x, target]);
  optimizer.dispose();
}

describe('FusedBatchNormalization and ReLUAfterBatchNorm', () => {
  test('model.json is the stock layers format, byte for byte', () => {
    const { fused, stock } = modelPair();
    assert.equal(JSON.stringify(fused.toJSON(null, false)), JSON.stringify(stock.toJSON(null, false)));
    assert.equal(fused.getLayer('a_bn').getClassName(), 'BatchNormalization');
    assert.equal(fused.getLayer('a_relu').getClassName(), 'ReLU');
    fused.dispose();
    stock.dispose();
  });

  test('training runs the fused kernel (with the ReLU in it) and matches the stock layers, moving statistics included', async () => {
    const { fused, stock } = modelPair();
    const { x } = inputs();
    const profile = await tf.profile(() => tf.tidy(() => fused.apply(x, { training: true }) as Tensor));
    const names = profile.kernels.map((k) => k.name);
    assert.ok(names.includes('FusedBatchNormTraining'), 'the fused kernel ran');
    assert.ok(!names.includes('FusedBatchNorm') && !names.includes('Mean'), 'no stock batch-norm kernels');
    assert.equal(names.filter((name) => name === 'Relu').length, 1, 'only the ReLU after the add');
    tf.tidy(() => stock.apply(x, { training: true }) as Tensor); // the moving-statistics update of the profiled call
    train(fused, 3);
    train(stock, 3);
    const expected = stock.getWeights();
    fused.getWeights().forEach((w, i) => {
      const error = maxRelativeError(w.dataSync(), expected[i]!.dataSync());
      assert.ok(error <= 1e-4, `${fused.weights[i]!.originalName}: relative error ${error}`);
    });
    const [a, b] = [fused, stock].map((m) => tf.tidy(() => (m.predict(x) as Tensor).dataSync()));
    assert.ok(maxRelativeError(a!, b!) <= 1e-4, 'inference after training');
    tf.dispose(x);
    fused.dispose();
    stock.dispose();
  });

  test('a saved model loads with a plain tf.loadLayersModel as stock layers and predicts the same', async () => {
    const model = buildModel(true);
    train(model, 2);
    const dir = await mkdtemp(join(tmpdir(), 'fused-bn-'));
    try {
      await model.save(fileSystemHandler(dir));
      const loaded = await tf.loadLayersModel(fileSystemHandler(dir));
      assert.ok(!(loaded.getLayer('a_bn') instanceof FusedBatchNormalization), 'the stock class');
      assert.equal(loaded.getLayer('a_bn').getClassName(), 'BatchNormalization');
      const { x } = inputs();
      const [a, b] = [model, loaded].map((m) => (m.predict(x) as Tensor).dataSync());
      assert.deepEqual(Array.from(b!), Array.from(a!));
      tf.dispose(x);
      loaded.dispose();
    } finally {
      await rm(dir, { recursive: true, force: true });
      model.dispose();
    }
  });

  test('on the cpu backend the layers are the stock ones and train the same', async () => {
    const { fused, stock } = modelPair();
    await tf.setBackend('cpu');
    try {
      train(fused, 2);
      train(stock, 2);
      const expected = stock.getWeights();
      fused
        .getWeights()
        .forEach((w, i) => assert.deepEqual(Array.from(w.dataSync()), Array.from(expected[i]!.dataSync())));
    } finally {
      fused.dispose();
      stock.dispose();
      await tf.setBackend('wasm');
    }
  });

  test('a training step with the fused layers and Adam leaves no tensor and no wasm buffer behind', () => {
    const model = buildModel(true);
    const optimizer = fusedAdam(0.01);
    const { x, target } = inputs();
    const step = () =>
      optimizer.minimize(
        () => tf.mean(tf.square(tf.sub(model.apply(x, { training: true }) as Tensor, target))) as Scalar,
      );
    step(); // creates the optimizer's slots
    const backend = tf.backend() as BackendWasm;
    const counts = () => [tf.memory().numTensors, backend.numDataIds()];
    const before = counts();
    step();
    step();
    assert.deepEqual(counts(), before);
    tf.dispose([x, target]);
    optimizer.dispose();
    model.dispose();
  });
});
