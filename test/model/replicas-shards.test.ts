import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { resolveReplicaCount } from '../../src/model/replicas/replica-count.js';
import { lossScales, shardSizes, taskPixelCounts, type HostShard } from '../../src/model/replicas/shards.js';
import { parseTrainingSpec } from '../../src/model/training-spec.js';
import { ValidationError } from '../../src/errors.js';

const spec = (training: Record<string, unknown>) => ({
  dataset: { kind: 'synthetic', scenes: 8, size: [64, 128] },
  weighting: { strategy: 'equal' },
  model: { width: 4, inputSize: [64, 128] },
  training,
});

describe('replica count', () => {
  it('auto: a replica per core, at least two samples each; 1 on the native backend', () => {
    assert.equal(resolveReplicaCount('auto', { backend: 'wasm', cores: 2, batchSize: 8 }), 2);
    assert.equal(resolveReplicaCount('auto', { backend: 'wasm', cores: 16, batchSize: 8 }), 4);
    assert.equal(resolveReplicaCount('auto', { backend: 'cpu', cores: 4, batchSize: 3 }), 1);
    assert.equal(resolveReplicaCount('auto', { backend: 'wasm', cores: 1, batchSize: 8 }), 1);
    assert.equal(resolveReplicaCount('auto', { backend: 'tensorflow', cores: 16, batchSize: 8 }), 1);
  });

  it('a number: as asked, even beyond the cores, but never more than the batch', () => {
    assert.equal(resolveReplicaCount(4, { backend: 'wasm', cores: 2, batchSize: 8 }), 4);
    assert.equal(resolveReplicaCount(2, { backend: 'wasm', cores: 8, batchSize: 1 }), 1);
    assert.equal(resolveReplicaCount(3, { backend: 'tensorflow', cores: 8, batchSize: 8 }), 1);
  });

  it('the spec defaults to auto and refuses more replicas than samples per batch, naming the field', () => {
    assert.equal(parseTrainingSpec(spec({})).training.replicas, 'auto');
    assert.equal(parseTrainingSpec(spec({ batchSize: 4, replicas: 4 })).training.replicas, 4);
    for (const [training, path] of [
      [{ batchSize: 2, replicas: 3 }, '/training/replicas'],
      [{ replicas: 0 }, '/training/replicas'],
      [{ replicas: 'all' }, '/training/replicas'],
      [{ replicas: 1.5 }, '/training/replicas'],
    ] as const) {
      assert.throws(
        () => parseTrainingSpec(spec(training)),
        (err: unknown) =>
          err instanceof ValidationError &&
          JSON.stringify(err.details).includes(path) &&
          err.statusCode === 400,
        JSON.stringify(training),
      );
    }
  });
});

describe('shards', () => {
  it('cuts a batch into contiguous shares, the first ones larger', () => {
    assert.deepEqual(shardSizes(8, 2), [4, 4]);
    assert.deepEqual(shardSizes(5, 2), [3, 2]);
    assert.deepEqual(shardSizes(7, 3), [3, 2, 2]);
    assert.deepEqual(shardSizes(2, 3), [1, 1, 0]);
  });

  it('weights each replica by its share of the pixels every task averages over', () => {
    // Two samples of 4 pixels: sample 0 has 3 labelled pixels, sample 1 only 1.
    const host: HostShard = {
      size: 2,
      names: ['a', 'b'],
      flipped: [false, false],
      tensors: {
        labels: { data: Int32Array.from([0, 1, 255, 2, 255, 255, 255, 3]), shape: [2, 2, 2], dtype: 'int32' },
        disparityMask: {
          data: Float32Array.from([1, 1, 0, 0, 0, 0, 0, 0]),
          shape: [2, 2, 2, 1],
          dtype: 'float32',
        },
      },
    };
    const tasks = ['segmentation', 'depth'] as const;
    const counts = [taskPixelCounts(host, tasks, 0, 1), taskPixelCounts(host, tasks, 1, 1)];
    assert.deepEqual(counts, [
      { segmentation: 3, depth: 2 },
      { segmentation: 1, depth: 0 },
    ]);
    const scales = lossScales(counts, 2, tasks);
    // 2 * 3/4 and 2 * 1/4: the mean of the scaled shard losses is the batch's mean over its 4 pixels.
    assert.deepEqual(scales, [
      { segmentation: 1.5, depth: 2 },
      { segmentation: 0.5, depth: 0 },
    ]);
    // A replica without a sample (beyond `active`) weighs nothing.
    assert.deepEqual(lossScales([...counts, {}], 2, tasks)[2], { segmentation: 0, depth: 0 });
  });
});
