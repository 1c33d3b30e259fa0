import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { before, test } from 'node:test';
import type { Scalar, Tensor, Tensor4D } from '@tensorflow/tfjs';
import { atrousConv2d, fileSystemHandler, selectBackend, tf } from '../../src/tf/index.js';
import { maxRelativeError, randomValues } from '../helpers/random.js';

before(async () => {
  await selectBackend('wasm');
});

for (const rate of [2, 4]) {
  test(`atrousConv2d (rate ${rate}) equals a dilated conv forward and backward, and survives save/load`, async () => {
    const [height, width, inC, outC] = [8, 12, 3, 5];
    const input = tf.input({ shape: [height, width, inC] });
    const model = tf.model({
      inputs: input,
      outputs: atrousConv2d(input, { name: 'a', filters: outC, kernelSize: 3, rate }),
    });
    const kernel = model.getLayer('a_per_phase').getWeights()[0] as Tensor4D;
    const x = tf.tensor4d(randomValues(2 * height * width * inC, rate), [2, height, width, inC]);
    const g = tf.tensor4d(randomValues(2 * height * width * outC, rate + 1), [2, height, width, outC]);

    const y = model.predict(x) as Tensor;
    const reference = tf.conv2d(x, kernel, 1, 'same', 'NHWC', rate);
    assert.ok(maxRelativeError(y.dataSync(), reference.dataSync()) <= 1e-5, 'forward');

    // Reference gradient: a plain dilated tf.conv2d through the project's registered Conv2D gradient.
    const dkRef = tf.grad((k: Tensor) =>
      tf.sum(tf.mul(tf.conv2d(x, k as Tensor4D, 1, 'same', 'NHWC', rate), g)),
    )(kernel);
    const { value, grads } = tf.variableGrads(() => tf.sum(tf.mul(model.apply(x) as Tensor, g)) as Scalar);
    const dk = Object.values(grads)[0]!;
    assert.ok(maxRelativeError(dk.dataSync(), dkRef.dataSync()) <= 1e-4, 'kernel gradient');

    const dir = await mkdtemp(join(tmpdir(), 'atrous-'));
    try {
      await model.save(fileSystemHandler(dir));
      const loaded = await tf.loadLayersModel(fileSystemHandler(dir));
      const again = loaded.predict(x) as Tensor;
      assert.deepEqual(
        Array.from(again.dataSync()),
        Array.from(y.dataSync()),
        'same predictions after loading',
      );
      tf.dispose(again);
      loaded.dispose();
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
    tf.dispose([x, g, y, reference, dkRef, dk, value]);
    model.dispose();
  });
}

test('atrousConv2d refuses sizes that are not a multiple of the rate, naming the layer', () => {
  const input = tf.input({ shape: [10, 12, 3] });
  assert.throws(
    () => atrousConv2d(input, { name: 'ctx', filters: 4, kernelSize: 3, rate: 4 }),
    /ctx.*10x12.*rate 4/,
  );
});
