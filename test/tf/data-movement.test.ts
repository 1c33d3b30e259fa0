import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import type { DataType, Tensor } from '@tensorflow/tfjs';
import { selectBackend, tf } from '../../src/tf/index.js';
import { rowMajorStrides, simplifyTranspose } from '../../src/tf/kernels/layout.js';
import { randomValues, seededRandom } from '../helpers/random.js';

/** A tensor of `shape` with seeded values of `dtype` (bools alternate irregularly, ints span +-1000). */
function seededTensor(shape: number[], dtype: DataType, seed: number): Tensor {
  const values = randomValues(tf.util.sizeFromShape(shape), seed);
  if (dtype === 'float32') return tf.tensor(values, shape, 'float32');
  if (dtype === 'int32')
    return tf.tensor(
      Int32Array.from(values, (v) => Math.round(v * 1000)),
      shape,
      'int32',
    );
  return tf.tensor(
    Uint8Array.from(values, (v) => (v > 0 ? 1 : 0)),
    shape,
    'bool',
  );
}

/** Runs `op` on cpu and on wasm with the same inputs and returns both results' values and shapes. */
async function onBothBackends(op: () => Tensor | Tensor[]): Promise<{ cpu: Result[]; wasm: Result[] }> {
  const run = () =>
    tf.tidy(() => {
      const out = op();
      return (Array.isArray(out) ? out : [out]).map((t) => ({
        shape: t.shape,
        values: Array.from(t.dataSync()),
      }));
    });
  await tf.setBackend('cpu');
  const cpu = run();
  await tf.setBackend('wasm');
  const before = { ...tf.memory(), dataIds: tf.backend().numDataIds() };
  const wasm = run();
  assert.equal(tf.memory().numTensors, before.numTensors, 'no tensor leaked');
  assert.equal(tf.memory().numBytes, before.numBytes, 'no bytes leaked');
  assert.equal(tf.backend().numDataIds(), before.dataIds, 'no backend buffer leaked');
  return { cpu, wasm };
}

interface Result {
  shape: number[];
  values: number[];
}

describe('layout arithmetic', () => {
  test('row-major strides', () => {
    assert.deepEqual(rowMajorStrides([2, 3, 4]), [12, 4, 1]);
    assert.deepEqual(rowMajorStrides([]), []);
  });

  test('a transpose is reduced to the fewest axes', () => {
    // The space-to-batch transposes of the dilated convs: channels stay last and merge with neighbours.
    assert.deepEqual(simplifyTranspose([8, 4, 4, 8, 64], [1, 0, 2, 3, 4]), {
      shape: [8, 4, 2048],
      perm: [1, 0, 2],
    });
    assert.deepEqual(simplifyTranspose([8, 4, 2, 8, 2, 64], [0, 2, 4, 1, 3, 5]), {
      shape: [8, 4, 2, 8, 2, 64],
      perm: [0, 2, 4, 1, 3, 5],
    });
    // Size-1 axes drop out, identity collapses to one axis, a single element to none.
    assert.deepEqual(simplifyTranspose([1, 5, 1, 7], [2, 3, 0, 1]), { shape: [5, 7], perm: [1, 0] });
    assert.deepEqual(simplifyTranspose([2, 3, 4], [0, 1, 2]), { shape: [24], perm: [0] });
    assert.deepEqual(simplifyTranspose([1, 1], [1, 0]), { shape: [], perm: [] });
    assert.deepEqual(simplifyTranspose([2, 3, 4, 5], [2, 3, 0, 1]), { shape: [6, 20], perm: [1, 0] });
  });
});

describe('wasm Transpose, Unpack and Tile match the cpu backend', () => {
  before(async () => {
    await selectBackend('wasm');
  });

  // First in this file (each test file runs in its own process), before any test can call the stock
  // Transpose through our kernel's fallback, which would bind it lazily: these stock kernels call the stock
  // transpose directly and rely on its setup having run when the backend started.
  test('stock kernels that transpose internally work: Mean over leading axes, SpaceToBatchND, Cumsum', async () => {
    const next = seededRandom(7);
    const values = Array.from({ length: 2 * 4 * 4 * 3 }, () => next());
    const { cpu, wasm } = await onBothBackends(() => {
      const x = tf.tensor4d(values, [2, 4, 4, 3]);
      return [
        tf.mean(x, [0, 2]),
        tf.spaceToBatchND(
          x,
          [2, 2],
          [
            [0, 0],
            [0, 0],
          ],
        ),
        tf.cumsum(x, 1),
      ];
    });
    assert.equal(wasm.length, 3);
    wasm.forEach((result, k) => {
      assert.deepEqual(result.shape, cpu[k]!.shape);
      result.values.forEach((v, i) => assert.ok(Math.abs(v - cpu[k]!.values[i]!) < 1e-5, `output ${k}`));
    });
  });

  const dtypes: DataType[] = ['float32', 'int32', 'bool'];
  const transposes: [number[], number[]][] = [
    [
      [8, 4, 2, 8, 2, 64],
      [0, 2, 4, 1, 3, 5],
    ], // blocks of 64: the copy path
    [
      [4, 8, 4, 8, 16],
      [1, 0, 2, 3, 4],
    ],
    [
      [3, 5, 7],
      [2, 0, 1],
    ], // the innermost axis moves: the stock path on the reduced shape
    [
      [2, 1, 3, 1, 40],
      [3, 2, 0, 1, 4],
    ],
    [
      [6, 10],
      [1, 0],
    ],
    [
      [2, 3, 4],
      [0, 1, 2],
    ], // identity
    [
      [1, 1, 1],
      [2, 0, 1],
    ],
    [
      [0, 3, 16],
      [1, 0, 2],
    ], // empty
    [
      [5, 2, 9],
      [1, 0, 2],
    ], // blocks of 9, below the copy threshold
  ];
  transposes.forEach(([shape, perm], index) => {
    for (const dtype of dtypes) {
      test(`Transpose ${dtype} [${shape}] perm [${perm}]`, async () => {
        const { cpu, wasm } = await onBothBackends(() =>
          tf.transpose(seededTensor(shape, dtype, index), perm),
        );
        assert.deepEqual(wasm, cpu);
      });
    }
  });

  const unpacks: [number[], number][] = [
    [[8, 4, 4, 8, 64], 1], // the time axis of tf.layers.timeDistributed
    [[4, 3, 5], 0],
    [[4, 3, 5], 2],
    [[4, 3, 5], -1],
    [[2, 0, 3], 2],
    [[7], 0],
  ];
  unpacks.forEach(([shape, axis], index) => {
    for (const dtype of dtypes) {
      test(`Unpack ${dtype} [${shape}] axis ${axis}`, async () => {
        const { cpu, wasm } = await onBothBackends(() =>
          tf.unstack(seededTensor(shape, dtype, 50 + index), axis),
        );
        assert.deepEqual(wasm, cpu);
      });
    }
  });

  const tiles: [number[], number[]][] = [
    [
      [1, 1, 1, 32],
      [8, 16, 32, 1],
    ], // the batch-norm gradient
    [
      [2, 3],
      [3, 2],
    ],
    [
      [3, 1, 2],
      [1, 5, 3],
    ],
    [[4], [7]],
    [
      [2, 3, 4],
      [1, 1, 1],
    ],
    [
      [2, 2],
      [0, 3],
    ],
    [[], []],
  ];
  tiles.forEach(([shape, reps], index) => {
    for (const dtype of dtypes) {
      test(`Tile ${dtype} [${shape}] reps [${reps}]`, async () => {
        const { cpu, wasm } = await onBothBackends(() =>
          tf.tile(seededTensor(shape, dtype, 90 + index), reps),
        );
        assert.deepEqual(wasm, cpu);
      });
    }
  });
});
