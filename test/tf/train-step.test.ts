import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import type { LayersModel, Scalar, SymbolicTensor, Tensor } from '@tensorflow/tfjs';
import { atrousConv2d, selectBackend, tf } from '../../src/tf/index.js';
import { randomValues, seededRandom } from '../helpers/random.js';

const HEIGHT = 32;
const WIDTH = 64;
const CLASSES = 5;
const BATCH = 2;
const STEPS = 8;

function convBnRelu(x: SymbolicTensor, filters: number, strides: number, name: string): SymbolicTensor {
  let y = tf.layers
    .conv2d({ name: `${name}_conv`, filters, kernelSize: 3, strides, padding: 'same', useBias: false })
    .apply(x) as SymbolicTensor;
  y = tf.layers.batchNormalization({ name: `${name}_bn` }).apply(y) as SymbolicTensor;
  return tf.layers.reLU({ name: `${name}_relu` }).apply(y) as SymbolicTensor;
}

/**
 * A miniature of the project's network: strided convs, a dilated block and an ASPP-like context block
 * of dilated branches, bilinear upsampling, a skip concat, batch norm, and three heads.
 */
function tinyMultiTaskNet(): LayersModel {
  tf.util.assert(HEIGHT % 8 === 0, () => 'height must allow 2 stride-2 stages and rate 4');
  const input = tf.input({ shape: [HEIGHT, WIDTH, 3], name: 'image' });
  const skip = convBnRelu(input, 8, 2, 'stem');
  let x = convBnRelu(skip, 16, 2, 'down');
  x = atrousConv2d(x, { name: 'dilated', filters: 16, kernelSize: 3, rate: 2 });
  x = tf.layers.batchNormalization({ name: 'dilated_bn' }).apply(x) as SymbolicTensor;
  x = tf.layers.reLU().apply(x) as SymbolicTensor;
  const branches = [
    tf.layers.conv2d({ name: 'aspp_1x1', filters: 8, kernelSize: 1 }).apply(x) as SymbolicTensor,
    atrousConv2d(x, { name: 'aspp_r2', filters: 8, kernelSize: 3, rate: 2 }),
    atrousConv2d(x, { name: 'aspp_r4', filters: 8, kernelSize: 3, rate: 4 }),
  ];
  x = tf.layers.concatenate({ name: 'aspp_concat' }).apply(branches) as SymbolicTensor;
  x = convBnRelu(x, 16, 1, 'aspp_project');
  x = tf.layers
    .upSampling2d({ name: 'up', size: [2, 2], interpolation: 'bilinear' })
    .apply(x) as SymbolicTensor;
  x = tf.layers.concatenate({ name: 'skip_concat' }).apply([x, skip]) as SymbolicTensor;
  x = convBnRelu(x, 16, 1, 'decoder');
  const head = (name: string, channels: number) => {
    const y = tf.layers
      .conv2d({ name: `${name}_logits`, filters: channels, kernelSize: 1 })
      .apply(x) as SymbolicTensor;
    return tf.layers
      .upSampling2d({ name: `${name}_up`, size: [2, 2], interpolation: 'bilinear' })
      .apply(y) as SymbolicTensor;
  };
  return tf.model({
    inputs: input,
    outputs: [head('segmentation', CLASSES), head('instances', 2), head('depth', 1)],
  });
}

before(async () => {
  const info = await selectBackend('wasm');
  assert.equal(info.name, 'wasm');
});

test('a small multi-task network trains on wasm: the loss falls and no tensor leaks', async (t) => {
  const model = tinyMultiTaskNet();
  const logVariances = tf.variable(tf.zeros([3]), true, 'log_variances');
  const optimizer = tf.train.adam(0.01);
  const next = seededRandom(5);
  const images = tf.tensor4d(randomValues(BATCH * HEIGHT * WIDTH * 3, 1), [BATCH, HEIGHT, WIDTH, 3]);
  const labels = tf.tensor3d(
    Int32Array.from({ length: BATCH * HEIGHT * WIDTH }, () => Math.floor(next() * CLASSES)),
    [BATCH, HEIGHT, WIDTH],
    'int32',
  );
  const offsets = tf.tensor4d(randomValues(BATCH * HEIGHT * WIDTH * 2, 2), [BATCH, HEIGHT, WIDTH, 2]);
  const depth = tf.tensor4d(randomValues(BATCH * HEIGHT * WIDTH, 3), [BATCH, HEIGHT, WIDTH, 1]);

  const loss = (): Scalar =>
    tf.tidy(() => {
      const [logits, predictedOffsets, predictedDepth] = model.apply(images, { training: true }) as Tensor[];
      const segmentation = tf.losses.softmaxCrossEntropy(tf.oneHot(labels, CLASSES), logits as Tensor);
      const instances = tf.mean(tf.abs(tf.sub(predictedOffsets!, offsets)));
      const disparity = tf.mean(tf.abs(tf.sub(predictedDepth!, depth)));
      const s = tf.unstack(logVariances);
      // Kendall et al.: exp(-s) L + s/2 for classification, exp(-s) L / 2 + s/2 for regression.
      return tf.addN([
        tf.add(tf.mul(tf.exp(tf.neg(s[0]!)), segmentation), tf.div(s[0]!, 2)),
        tf.add(tf.mul(tf.div(tf.exp(tf.neg(s[1]!)), 2), instances), tf.div(s[1]!, 2)),
        tf.add(tf.mul(tf.div(tf.exp(tf.neg(s[2]!)), 2), disparity), tf.div(s[2]!, 2)),
      ]) as Scalar;
    });

  const losses: number[] = [];
  let tensorsAfterFirstStep: number | undefined;
  for (let step = 0; step < STEPS; step++) {
    const value = optimizer.minimize(loss, true);
    losses.push(value!.dataSync()[0]!);
    value!.dispose();
    // The first step creates the optimizer's slots; from then on every step must leave the count unchanged.
    if (tensorsAfterFirstStep === undefined) tensorsAfterFirstStep = tf.memory().numTensors;
    else assert.equal(tf.memory().numTensors, tensorsAfterFirstStep, `tensors leaked at step ${step}`);
  }
  t.diagnostic(`losses: ${losses.map((l) => l.toFixed(3)).join(' ')}`);
  assert.ok(losses.every(Number.isFinite), `finite losses: ${losses}`);
  assert.ok(
    losses.at(-1)! < losses[0]! * 0.9,
    `loss fell by 10%+: ${losses.map((l) => l.toFixed(3)).join(' ')}`,
  );
  assert.notDeepEqual(Array.from(logVariances.dataSync()), [0, 0, 0], 'the log-variances were learned');

  tf.dispose([images, labels, offsets, depth, logVariances]);
  optimizer.dispose();
  model.dispose();
});
