import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import type { Tensor } from '@tensorflow/tfjs';
import { buildNetwork, lastSharedLayer, validateNetworkOptions } from '../../src/model/network.js';
import { selectBackend } from '../../src/tf/index.js';

before(async () => {
  await selectBackend('wasm');
});

test('one output per task at input resolution, in canonical order, for any task subset', () => {
  for (const tasks of [
    ['segmentation', 'instances', 'depth'],
    ['depth'],
    ['instances', 'segmentation'],
  ] as const) {
    const model = buildNetwork({ width: 4, inputSize: [32, 64], tasks: [...tasks], classes: 7 });
    const shapes = model.outputs.map((o) => o.shape);
    const expected = (['segmentation', 'instances', 'depth'] as const)
      .filter((t) => (tasks as readonly string[]).includes(t))
      .map((t) => [null, 32, 64, t === 'segmentation' ? 7 : t === 'instances' ? 2 : 1]);
    assert.deepEqual(shapes, expected);
    model.dispose();
  }
});

test('the same seed builds the same initial weights; another seed does not', () => {
  const build = (seed: number) =>
    buildNetwork({ width: 4, inputSize: [32, 64], tasks: ['depth'], classes: 3, seed });
  const [a, b, c] = [build(1), build(1), build(2)];
  const values = (m: typeof a) => m.getWeights().map((w: Tensor) => Array.from(w.dataSync()));
  assert.deepEqual(values(a), values(b));
  assert.notDeepEqual(values(a), values(c));
  [a, b, c].forEach((m) => m.dispose());
});

test("the last shared layer is the context block's 1x1 projection conv (4w filters), for any task subset", () => {
  for (const tasks of [['segmentation', 'instances', 'depth'], ['depth']] as const) {
    const model = buildNetwork({ width: 4, inputSize: [32, 64], tasks: [...tasks], classes: 7 });
    const kernels = lastSharedLayer(model).trainableWeights;
    assert.equal(kernels.length, 1);
    assert.deepEqual(kernels[0]!.shape.slice(0, 2), [1, 1]);
    assert.equal(kernels[0]!.shape[3], 16);
    model.dispose();
  }
});

test('validators name the field', () => {
  const ok = { width: 8, inputSize: [64, 128] as [number, number], tasks: ['depth' as const], classes: 19 };
  assert.throws(() => validateNetworkOptions({ ...ok, width: 2 }), /model\.width/);
  assert.throws(() => validateNetworkOptions({ ...ok, inputSize: [60, 128] }), /model\.inputSize\[0\]/);
  assert.throws(() => validateNetworkOptions({ ...ok, tasks: [] }), /tasks/);
});
