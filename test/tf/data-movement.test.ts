import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import type { DataType, KernelConfig, Tensor, TensorInfo } from '@tensorflow/tfjs';
import { selectBackend, stockWasmKernel, tf } from '../../src/tf/index.js';
import { rowMajorStrides, simplifyTranspose, sliceLayout } from '../../src/tf/kernels/layout.js';
import { maxRelativeError, randomValues, seededRandom } from '../helpers/random.js';

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
  test('a slice is reduced to strided blocks', () => {
    // Channels 16..48 of [8, 32, 64, 80]: one axis of 16384 blocks of 32.
    assert.deepEqual(sliceLayout([8, 32, 64, 80], [0, 0, 0, 16], [8, 32, 64, 32]), {
      start: 16,
      block: 32,
      axes: [{ size: 16384, stride: 80 }],
    });
    // A whole image of a batch: one block.
    assert.deepEqual(sliceLayout([3, 5, 7], [1, 0, 0], [1, 5, 7]), { start: 35, block: 35, axes: [] });
    // Every axis cut: nothing merges.
    assert.deepEqual(sliceLayout([3, 5, 7], [1, 1, 2], [2, 3, 4]), {
      start: 35 + 7 + 2,
      block: 4,
      axes: [
        { size: 2, stride: 35 },
        { size: 3, stride: 7 },
      ],
    });
  });

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

describe('wasm Transpose, Unpack, Tile, Concat, Slice and SplitV match the cpu backend', () => {
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

  const concats: { shapes: number[][]; axis: number }[] = [
    {
      shapes: [
        [2, 4, 6, 64],
        [2, 4, 6, 16],
      ],
      axis: -1,
    }, // a decoder's fuse: blocks of 64 and 16
    {
      shapes: [
        [2, 3, 5, 7],
        [2, 3, 5, 0],
        [2, 3, 5, 3],
        [2, 3, 5, 200],
      ],
      axis: 3,
    }, // an empty part, long blocks
    {
      shapes: [
        [2, 3, 5],
        [2, 4, 5],
      ],
      axis: 1,
    },
    { shapes: [[3], [4], [1]], axis: 0 },
    {
      shapes: [
        [2, 0],
        [2, 3],
      ],
      axis: 1,
    }, // one non-empty part: the stock kernel
  ];
  concats.forEach(({ shapes, axis }, index) => {
    for (const dtype of dtypes) {
      test(`Concat ${dtype} ${JSON.stringify(shapes)} axis ${axis}`, async () => {
        const { cpu, wasm } = await onBothBackends(() =>
          tf.concat(
            shapes.map((shape, k) => seededTensor(shape, dtype, 130 + 10 * index + k)),
            axis,
          ),
        );
        assert.deepEqual(wasm, cpu);
      });
    }
  });

  const slices: { shape: number[]; begin: number[]; size: number[] }[] = [
    { shape: [2, 4, 6, 80], begin: [0, 0, 0, 64], size: [2, 4, 6, 16] }, // a split of channels
    { shape: [3, 5, 7, 9], begin: [1, 1, 2, 3], size: [2, 3, 4, 5] }, // every axis strided
    { shape: [3, 5, 7, 9], begin: [1, 0, 0, 0], size: [1, 5, 7, 9] }, // one contiguous block
    { shape: [4, 1, 6], begin: [1, 0, 2], size: [2, 1, 3] },
    { shape: [5], begin: [2], size: [0] },
    { shape: [2, 3, 4, 5, 6], begin: [0, 1, 0, 2, 1], size: [2, 2, 4, 3, 4] }, // rank 5
  ];
  slices.forEach(({ shape, begin, size }, index) => {
    for (const dtype of dtypes) {
      test(`Slice ${dtype} [${shape}] begin [${begin}] size [${size}]`, async () => {
        const { cpu, wasm } = await onBothBackends(() =>
          tf.slice(seededTensor(shape, dtype, 170 + index), begin, size),
        );
        assert.deepEqual(wasm, cpu);
      });
    }
  });

  const splits: { shape: number[]; sizes: number | number[]; axis: number }[] = [
    { shape: [2, 4, 6, 80], sizes: [64, 16], axis: -1 }, // the gradient of a decoder's fuse
    { shape: [2, 3, 4, 12], sizes: 4, axis: 3 },
    { shape: [6, 5], sizes: [1, 0, 5], axis: 0 },
  ];
  splits.forEach(({ shape, sizes, axis }, index) => {
    for (const dtype of dtypes) {
      test(`SplitV ${dtype} [${shape}] ${JSON.stringify(sizes)} axis ${axis}`, async () => {
        const { cpu, wasm } = await onBothBackends(() =>
          tf.split(seededTensor(shape, dtype, 190 + index), sizes, axis),
        );
        assert.deepEqual(wasm, cpu);
      });
    }
  });
});

describe("wasm ResizeBilinearGrad matches tfjs-wasm's own kernel", () => {
  // The cpu backend's kernel labels non-square results with height and width swapped, so the reference
  // here is the stock wasm kernel.
  const cases: { input: number[]; size: [number, number]; alignCorners: boolean }[] = [
    { input: [2, 5, 7, 19], size: [20, 28], alignCorners: false }, // a head's 4x upsampling
    { input: [1, 5, 7, 1], size: [9, 4], alignCorners: false }, // up along one axis, down along the other
    { input: [1, 5, 7, 5], size: [11, 13], alignCorners: true },
    { input: [2, 3, 3, 2], size: [3, 3], alignCorners: false }, // the identity
    { input: [1, 1, 1, 6], size: [4, 5], alignCorners: true },
  ];
  cases.forEach(({ input, size, alignCorners }, index) => {
    test(`[${input}] -> ${size} alignCorners ${alignCorners}`, () => {
      const [batch, , , channels] = input as [number, number, number, number];
      const images = seededTensor(input, 'float32', 210 + index);
      const dy = seededTensor([batch, ...size, channels], 'float32', 220 + index);
      const run = (config: KernelConfig) => {
        const backend = tf.backend();
        const inputs = { images, dy };
        const out = config.kernelFunc({ inputs, attrs: { alignCorners, halfPixelCenters: false }, backend });
        const info = out as TensorInfo;
        const values = Array.from(backend.readSync(info.dataId) as Float32Array);
        backend.disposeData(info.dataId);
        return { shape: info.shape, values };
      };
      const buffers = tf.backend().numDataIds();
      const actual = run(tf.getKernel('ResizeBilinearGrad', 'wasm')!);
      assert.equal(tf.backend().numDataIds(), buffers, 'no backend buffer leaked');
      const expected = run(stockWasmKernel('ResizeBilinearGrad')!);
      assert.deepEqual(actual.shape, expected.shape);
      const error = maxRelativeError(actual.values, expected.values);
      assert.ok(error <= 1e-5, `relative error ${error}`);
      tf.dispose([images, dy]);
    });
  });
});
