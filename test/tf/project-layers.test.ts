import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import type { layers, LayersModel, Tensor } from '@tensorflow/tfjs';
import { buildNetwork } from '../../src/model/network.js';
import { TASKS } from '../../src/model/tasks.js';
import {
  BatchedTimeDistributed,
  FusedBatchNormalization,
  modelWithProjectLayers,
  ReLUAfterBatchNorm,
  selectBackend,
  tf,
} from '../../src/tf/index.js';
import { maxRelativeError, randomValues } from '../helpers/random.js';

const INPUT: [number, number] = [32, 64];

before(async () => {
  await selectBackend('wasm');
});

function network(): LayersModel {
  return buildNetwork({ width: 4, inputSize: INPUT, tasks: [...TASKS], classes: 5, seed: 4 });
}

/** Layer name -> what the project's training needs of it: its class, and a batch norm's fused ReLU. */
function layerKinds(model: LayersModel): Record<string, string> {
  const kind = (layer: layers.Layer) =>
    layer instanceof FusedBatchNormalization
      ? `fused-bn relu=${layer.relu}`
      : layer instanceof ReLUAfterBatchNorm
        ? 'relu-after-bn'
        : layer instanceof BatchedTimeDistributed
          ? 'batched-td'
          : layer.getClassName();
  return Object.fromEntries(model.layers.map((layer) => [layer.name, kind(layer)]));
}

describe('modelWithProjectLayers', () => {
  test("rebuilds buildNetwork's layers from the topology: fused batch norms with their ReLU, batched TimeDistributed", async () => {
    const original = network();
    const copy = await modelWithProjectLayers(original.toJSON(null, false) as object);
    const expected = layerKinds(original);
    // buildNetwork's ReLU after the residual add is a stock ReLU; the copy's passes an unmarked input to it.
    for (const [name, kind] of Object.entries(expected))
      if (kind === 'ReLU') expected[name] = 'relu-after-bn';
    assert.deepEqual(layerKinds(copy), expected);
    assert.ok(Object.values(expected).includes('fused-bn relu=true'));
    assert.ok(Object.values(expected).includes('fused-bn relu=false'));
    original.dispose();
    copy.dispose();
  });

  test('puts the stock classes back: a plain modelFromJSON still builds tfjs layers', async () => {
    const original = network();
    const topology = original.toJSON(null, false) as object;
    await modelWithProjectLayers(topology).then((m) => m.dispose());
    const plain = await tf.models.modelFromJSON({ modelTopology: topology as never });
    const bn = plain.layers.find((layer) => layer.getClassName() === 'BatchNormalization')!;
    assert.ok(!(bn instanceof FusedBatchNormalization));
    original.dispose();
    plain.dispose();
  });

  test('the copy trains with the fused batch-norm kernels and computes what the original does', async () => {
    const original = network();
    const copy = await modelWithProjectLayers(original.toJSON(null, false) as object);
    copy.setWeights(original.getWeights());
    const x = tf.tensor(randomValues(2 * INPUT[0] * INPUT[1] * 3, 6), [2, ...INPUT, 3]);
    const run = (model: LayersModel) => model.apply(x, { training: true }) as Tensor[];
    const profile = await tf.profile(() => tf.dispose(run(copy)));
    const batchNorms = copy.layers.filter((layer) => layer.getClassName() === 'BatchNormalization').length;
    assert.equal(profile.kernels.filter((k) => k.name === 'FusedBatchNormTraining').length, batchNorms);
    const [want, got] = [run(original), run(copy)];
    for (const [i, head] of got.entries()) {
      assert.ok(maxRelativeError(head.dataSync(), want[i]!.dataSync()) <= 1e-6, `head ${i}`);
    }
    tf.dispose([x, ...want, ...got]);
    original.dispose();
    copy.dispose();
  });
});
