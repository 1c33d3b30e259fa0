import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import type { NamedAttrMap, Tensor } from '@tensorflow/tfjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { selectBackend, setSimdConvGradientsEnabled, tf } from '../../src/tf/index.js';
import { ADAM_UPDATE } from '../../src/tf/kernels/adam-update.js';
import { BATCH_NORM_TRAINING, BATCH_NORM_TRAINING_GRAD } from '../../src/tf/kernels/batch-norm-training.js';
import { MASKED_L1_LOSS, MASKED_L1_LOSS_GRAD } from '../../src/tf/kernels/masked-l1-loss.js';
import {
  MASKED_SOFTMAX_CROSS_ENTROPY,
  MASKED_SOFTMAX_CROSS_ENTROPY_GRAD,
} from '../../src/tf/kernels/softmax-cross-entropy.js';
import { randomValues } from '../helpers/random.js';

before(async () => {
  await selectBackend('wasm');
});

const backend = () => tf.backend() as BackendWasm;
const offset = (t: Tensor) => backend().getMemoryOffset(t.dataId);
const random = (shape: number[], seed: number) =>
  tf.tensor(randomValues(tf.util.sizeFromShape(shape), seed), shape);

describe('the zero-copy wasm Identity', () => {
  test('a clone shares the buffer, outlives the original, and the buffer goes with the last of them', () => {
    const buffers = backend().numDataIds();
    const x = tf.tensor1d([1, 2, 3]);
    const y = tf.clone(x);
    assert.equal(offset(y), offset(x), 'same heap offset: no copy');
    assert.equal(backend().numDataIds(), buffers + 1, 'one buffer for both');
    x.dispose();
    assert.deepEqual(Array.from(y.dataSync()), [1, 2, 3]);
    y.dispose();
    assert.equal(backend().numDataIds(), buffers, 'freed with the last reference');
  });

  test('a cast to the same dtype shares the buffer too; a real conversion makes a new one', () => {
    const x = tf.tensor1d([1.5, -2.5, 3]);
    const same = tf.cast(x, 'float32');
    const converted = tf.cast(x, 'int32');
    assert.equal(offset(same), offset(x));
    assert.notEqual(offset(converted), offset(x));
    assert.deepEqual(Array.from(converted.dataSync()), [1, -2, 3]);
    tf.dispose([x, same, converted]);
  });

  test('a clone of a variable keeps its values when the variable is assigned', () => {
    const v = tf.variable(tf.tensor1d([1, 2]));
    const saved = tf.clone(v);
    v.assign(tf.tensor1d([5, 6]));
    assert.deepEqual(Array.from(saved.dataSync()), [1, 2]);
    assert.deepEqual(Array.from(v.dataSync()), [5, 6]);
    tf.dispose([v, saved]);
  });

  // Every kernel of this project that reads and writes the heap directly, on small odd shapes: none may
  // write into an input's buffer, which clones (and the tensors tfjs saves for the backward pass) share.
  const conv = { strides: 1, pad: 'same', dataFormat: 'NHWC' };
  const kernels: { name: string; inputs: () => Record<string, Tensor>; attrs: object; xnnpack?: boolean }[] =
    [
      {
        name: 'Conv2DBackpropFilter',
        inputs: () => ({ x: random([2, 5, 6, 3], 1), dy: random([2, 5, 6, 4], 2) }),
        attrs: { ...conv, filterShape: [3, 3, 3, 4] },
      },
      {
        name: 'Conv2DBackpropInput',
        inputs: () => ({ dy: random([2, 5, 6, 4], 3), filter: random([3, 3, 3, 4], 4) }),
        attrs: { ...conv, inputShape: [2, 5, 6, 3] },
      },
      {
        name: 'Conv2DBackpropFilter',
        inputs: () => ({ x: random([2, 5, 6, 3], 1), dy: random([2, 5, 6, 4], 2) }),
        attrs: { ...conv, filterShape: [3, 3, 3, 4] },
        xnnpack: true,
      },
      {
        name: 'Conv2DBackpropInput',
        inputs: () => ({ dy: random([2, 5, 6, 4], 3), filter: random([3, 3, 3, 4], 4) }),
        attrs: { ...conv, strides: 2, inputShape: [2, 10, 12, 3] },
        xnnpack: true,
      },
      { name: 'Transpose', inputs: () => ({ x: random([3, 4, 16], 5) }), attrs: { perm: [1, 0, 2] } },
      {
        name: 'Concat',
        // Concat takes its inputs as a list (Object.values of an array is the array).
        inputs: () => [random([3, 4, 6], 32), random([3, 4, 20], 33)] as unknown as Record<string, Tensor>,
        attrs: { axis: 2 },
      },
      {
        name: 'Slice',
        inputs: () => ({ x: random([3, 4, 20], 28) }),
        attrs: { begin: [1, 0, 4], size: [2, 4, 9] },
      },
      {
        name: 'SplitV',
        inputs: () => ({ x: random([3, 4, 20], 29) }),
        attrs: { numOrSizeSplits: [16, 4], axis: 2 },
      },
      {
        name: 'ResizeBilinearGrad',
        inputs: () => ({ images: random([2, 3, 4, 5], 30), dy: random([2, 12, 16, 5], 31) }),
        attrs: { alignCorners: false, halfPixelCenters: false },
      },
      { name: 'Tile', inputs: () => ({ x: random([1, 3, 5], 6) }), attrs: { reps: [2, 3, 1] } },
      { name: 'Unpack', inputs: () => ({ value: random([2, 3, 20], 7) }), attrs: { axis: 1 } },
      {
        name: 'UnsortedSegmentSum',
        inputs: () => ({ x: random([4, 3], 8), segmentIds: tf.tensor1d([1, 0, 1, 2], 'int32') }),
        attrs: { numSegments: 3 },
      },
      {
        name: BATCH_NORM_TRAINING,
        inputs: () => ({ x: random([2, 3, 5, 7], 9), gamma: random([7], 10), beta: random([7], 11) }),
        attrs: { epsilon: 1e-3, relu: true },
      },
      {
        name: BATCH_NORM_TRAINING_GRAD,
        inputs: () => ({
          dy: random([2, 3, 5, 7], 12),
          x: random([2, 3, 5, 7], 13),
          gamma: random([7], 14),
          beta: random([7], 15),
          mean: random([7], 16),
          variance: tf.add(random([7], 17), 2),
          dmean: random([7], 18),
          dvariance: random([7], 19),
        }),
        attrs: { epsilon: 1e-3, relu: true },
      },
      {
        name: MASKED_SOFTMAX_CROSS_ENTROPY,
        inputs: () => ({
          logits: random([2, 3, 5], 20),
          labels: tf.tensor2d([0, 4, 255, 1, 2, 3], [2, 3], 'int32'),
        }),
        attrs: { ignoreLabel: 255 },
      },
      {
        name: MASKED_SOFTMAX_CROSS_ENTROPY_GRAD,
        inputs: () => ({
          logits: random([2, 3, 5], 21),
          labels: tf.tensor2d([0, 4, 255, 1, 2, 3], [2, 3], 'int32'),
          lse: tf.add(random([2, 3], 22), 3),
          dloss: tf.scalar(1.5),
          dlse: random([2, 3], 23),
        }),
        attrs: { ignoreLabel: 255 },
      },
      {
        name: MASKED_L1_LOSS,
        inputs: () => ({
          predicted: random([2, 3, 2], 34),
          target: random([2, 3, 2], 35),
          mask: random([2, 3, 1], 36),
        }),
        attrs: {},
      },
      {
        name: MASKED_L1_LOSS_GRAD,
        inputs: () => ({
          predicted: random([2, 3, 2], 37),
          target: random([2, 3, 2], 38),
          mask: random([2, 3, 1], 39),
          dloss: tf.scalar(0.7),
        }),
        attrs: { wrt: 0 },
      },
      {
        name: ADAM_UPDATE,
        inputs: () => ({
          value: random([9], 24),
          m: random([9], 25),
          v: tf.abs(random([9], 26)),
          gradient: random([9], 27),
          accBeta1: tf.scalar(0.81),
          accBeta2: tf.scalar(0.998),
        }),
        attrs: { beta1: 0.9, beta2: 0.999, learningRate: 0.01, epsilon: 1e-7 },
      },
    ];
  for (const kernel of kernels) {
    test(`${kernel.name}${kernel.xnnpack === true ? ' (XNNPACK formulation)' : ''} never writes into an input's buffer`, () => {
      const simdBefore = setSimdConvGradientsEnabled(kernel.xnnpack !== true);
      try {
        tf.tidy(() => {
          const inputs = kernel.inputs();
          const clones = Object.values(inputs).map((t) => tf.clone(t));
          const before = clones.map((t) => Array.from(t.dataSync()));
          const out = tf.engine().runKernel(kernel.name, inputs, kernel.attrs as NamedAttrMap);
          const inputOffsets = new Set(Object.values(inputs).map(offset));
          for (const t of Array.isArray(out) ? out : [out]) {
            assert.ok(!inputOffsets.has(offset(t)), 'outputs are fresh buffers');
          }
          assert.deepEqual(
            clones.map((t) => Array.from(t.dataSync())),
            before,
            'inputs (and their zero-copy clones) unchanged',
          );
        });
      } finally {
        setSimdConvGradientsEnabled(simdBefore);
      }
    });
  }
});
