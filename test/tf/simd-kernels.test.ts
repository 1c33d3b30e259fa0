import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { before, describe, test } from 'node:test';
import type { Tensor } from '@tensorflow/tfjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { selectBackend, tf } from '../../src/tf/index.js';
import { convGradientGeometry, simdConvGradients } from '../../src/tf/kernels/simd/conv-gradients.js';
import { CONV_GRADIENTS_WASM_BASE64 } from '../../src/tf/kernels/simd/conv-gradients.wasm.js';
import { TRAINING_KERNELS_WASM_BASE64 } from '../../src/tf/kernels/simd/training-kernels.wasm.js';
import { maxRelativeError, randomValues } from '../helpers/random.js';

const SIMD_DIR = 'src/tf/kernels/simd';
/** The generated modules, each compared with a fresh build. */
const MODULE_FILES = ['conv-gradients.wasm.ts', 'training-kernels.wasm.ts'];

/** The clang that built the committed module, from the generated file's first line. */
function committedClangVersion(): string | undefined {
  const header = readFileSync(join(SIMD_DIR, 'conv-gradients.wasm.ts'), 'utf8').split('\n')[0] ?? '';
  return /\((.*clang version [^)]*)\)/.exec(header)?.[1];
}

function installedClangVersion(): string | undefined {
  try {
    execFileSync('wasm-ld', ['--version'], { stdio: 'ignore' });
    return execFileSync('clang', ['--version'], { encoding: 'utf8' }).split('\n')[0];
  } catch {
    return undefined;
  }
}

describe('the SIMD kernel modules', () => {
  before(async () => {
    await selectBackend('wasm');
  });

  const clang = installedClangVersion();
  test(
    'the committed modules are what build.sh makes of their C sources',
    {
      skip:
        clang === undefined
          ? 'clang and wasm-ld are not installed (the modules are committed prebuilt)'
          : clang !== committedClangVersion()
            ? `built with ${committedClangVersion()}, this machine has ${clang}`
            : false,
    },
    () => {
      const dir = mkdtempSync(join(tmpdir(), 'simd-build-'));
      try {
        execFileSync('bash', [join(SIMD_DIR, 'build.sh'), dir], { stdio: 'pipe' });
        for (const file of MODULE_FILES) {
          assert.equal(
            readFileSync(join(dir, file), 'utf8'),
            readFileSync(join(SIMD_DIR, file), 'utf8'),
            `${file} is stale: run npm run build:wasm-kernels`,
          );
        }
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  );

  test('each module imports nothing but the memory it shares with tfjs', () => {
    // The project's TypeScript libs have no DOM (WebAssembly) types.
    type Descriptor = { module?: string; name: string; kind: string };
    const { Module } = (
      globalThis as unknown as {
        WebAssembly: {
          Module: (new (bytes: Uint8Array) => object) & {
            imports(m: object): Descriptor[];
            exports(m: object): Descriptor[];
          };
        };
      }
    ).WebAssembly;
    const modules: [string, string[]][] = [
      [
        CONV_GRADIENTS_WASM_BASE64,
        ['conv2d_backprop_filter_f32', 'conv2d_backprop_input_f32', 'conv2d_backprop_input_scratch_floats'],
      ],
      [
        TRAINING_KERNELS_WASM_BASE64,
        [
          'adam_update_f32',
          'batch_norm_backward_f32',
          'batch_norm_forward_f32',
          'batch_norm_inference_f32',
          'batch_norm_scratch_floats',
          'copy_blocks',
          'masked_l1_backward_f32',
          'masked_l1_forward_f32',
          'resize_bilinear_grad_f32',
          'resize_bilinear_scratch_floats',
          'softmax_cross_entropy_backward_f32',
          'softmax_cross_entropy_forward_f32',
        ],
      ],
    ];
    for (const [base64, exports] of modules) {
      const module = new Module(Buffer.from(base64, 'base64'));
      assert.deepEqual(Module.imports(module), [{ module: 'env', name: 'memory', kind: 'memory' }]);
      assert.deepEqual(
        Module.exports(module)
          .map((e) => e.name)
          .sort(),
        exports,
      );
    }
  });

  // Geometries where the kernels clip at the borders: odd sizes, 'same' / 'valid' / explicit / numeric
  // padding with rounding, pads larger than the kernel, a kernel larger than the input, a stride larger
  // than the kernel, out channels that leave a scalar tail (5, 19), more input channels than the filter
  // tile (5, 40; the input gradient of 40 channels is not routed here by default), and an empty batch.
  const cases: GeometryCase[] = [
    { input: [2, 9, 11, 3], filter: [3, 3, 3, 19], strides: 2, pad: 'valid' },
    { input: [2, 8, 10, 3], filter: [4, 4, 3, 16], strides: 2, pad: 'same' },
    {
      input: [1, 7, 9, 2],
      filter: [2, 2, 2, 5],
      strides: 3,
      pad: [
        [0, 0],
        [3, 0],
        [0, 5],
        [0, 0],
      ],
    },
    { input: [2, 3, 2, 4], filter: [5, 5, 4, 8], strides: 1, pad: 'same' },
    { input: [2, 6, 7, 5], filter: [3, 3, 5, 19], strides: 1, pad: 'same' },
    { input: [1, 8, 9, 3], filter: [3, 3, 3, 4], strides: 2, pad: 1, dimRoundingMode: 'floor' },
    { input: [1, 6, 6, 40], filter: [3, 3, 40, 8], strides: 2, pad: 'same' },
    { input: [0, 5, 5, 3], filter: [3, 3, 3, 4], strides: 1, pad: 'same' },
  ];
  cases.forEach((c, index) => {
    test(`writes only its outputs, and they match the cpu backend: ${JSON.stringify(c)}`, async () => {
      await checkAgainstCpu(c, 100 * index);
    });
  });

  test('the registered kernels refuse a dy or filter that does not fit the geometry', () => {
    const x = tf.zeros([1, 6, 6, 3]);
    const w = tf.zeros([3, 3, 3, 4]);
    const attrs = { strides: 1, pad: 'same', dataFormat: 'NHWC' } as const;
    const wrongDy = tf.zeros([1, 6, 7, 4]);
    const dy = tf.zeros([1, 6, 6, 4]);
    assert.throws(
      () =>
        tf.engine().runKernel('Conv2DBackpropFilter', { x, dy: wrongDy }, {
          ...attrs,
          filterShape: [3, 3, 3, 4],
        } as never),
      /dy has shape \[1, 6, 7, 4\], the convolution's output is \[1, 6, 6, 4\]/,
    );
    assert.throws(
      () =>
        tf.engine().runKernel('Conv2DBackpropFilter', { x, dy }, {
          ...attrs,
          filterShape: [3, 3, 5, 4],
        } as never),
      /the filter has 5 input channels, the input has 3/,
    );
    assert.throws(
      () =>
        tf.engine().runKernel('Conv2DBackpropInput', { dy: wrongDy, filter: w }, {
          ...attrs,
          inputShape: [1, 6, 6, 3],
        } as never),
      /dy has shape/,
    );
    tf.dispose([x, w, wrongDy, dy]);
  });
});

interface GeometryCase {
  input: [number, number, number, number];
  filter: [number, number, number, number];
  strides: number;
  pad: 'same' | 'valid' | number | [[number, number], [number, number], [number, number], [number, number]];
  dimRoundingMode?: 'floor' | 'round' | 'ceil';
}

/**
 * Runs both SIMD kernels directly on `c`, with canary tensors allocated between their buffers (so that they
 * sit next to them on the heap), and checks that inputs and canaries keep every value and that dw and dx
 * match the cpu backend's kernels.
 */
async function checkAgainstCpu(c: GeometryCase, seed: number): Promise<void> {
  const conv = tf.backend_util.computeConv2DInfo(c.input, c.filter, c.strides, 1, c.pad, c.dimRoundingMode);
  const size = (shape: readonly number[]) => shape.reduce((a, b) => a * b, 1);
  const xValues = randomValues(size(c.input), seed + 1);
  const wValues = randomValues(size(c.filter), seed + 2);
  const dyValues = randomValues(size(conv.outShape), seed + 3);
  const attrs = {
    strides: c.strides,
    pad: c.pad,
    dimRoundingMode: c.dimRoundingMode,
    dataFormat: 'NHWC',
  };

  await tf.setBackend('cpu');
  const reference = tf.tidy(() => {
    const x = tf.tensor4d(xValues, c.input);
    const w = tf.tensor4d(wValues, c.filter);
    const dy = tf.tensor(dyValues, conv.outShape);
    const run = (name: string, inputs: Record<string, Tensor>, extra: object) =>
      (tf.engine().runKernel(name, inputs, { ...attrs, ...extra } as never) as Tensor).dataSync();
    return {
      dw: run('Conv2DBackpropFilter', { x, dy }, { filterShape: c.filter }),
      dx: run('Conv2DBackpropInput', { dy, filter: w }, { inputShape: c.input }),
    };
  });
  await tf.setBackend('wasm');

  const kernels = simdConvGradients(tf.backend() as BackendWasm);
  assert.ok(kernels, 'the SIMD kernels bind to the wasm heap');
  const geometry = convGradientGeometry(conv);
  const tensors: Tensor[] = [];
  const keep = <T extends Tensor>(t: T): T => {
    tensors.push(t);
    return t;
  };
  const canaries: Tensor[] = [];
  const canary = () => canaries.push(keep(tf.tensor1d(randomValues(37, seed + 10 + canaries.length))));
  canary();
  const x = keep(tf.tensor4d(xValues, c.input));
  canary();
  const w = keep(tf.tensor4d(wValues, c.filter));
  canary();
  const dy = keep(tf.tensor(dyValues, conv.outShape));
  canary();
  const dw = keep(tf.fill(c.filter, 7)); // stale values: the kernels must overwrite every element
  canary();
  const dx = keep(tf.fill(c.input, 7));
  canary();
  const scratch = keep(tf.fill([kernels.backpropInputScratchFloats(geometry)], 7));
  canary();
  const snapshot = (t: Tensor) => Array.from(t.dataSync());
  const guarded = [x, w, dy, ...canaries];
  const beforeValues = guarded.map(snapshot);

  kernels.backpropFilter(x, dy, dw, geometry);
  kernels.backpropInput(dy, w, dx, scratch, geometry);

  assert.deepEqual(guarded.map(snapshot), beforeValues, 'inputs and canaries unchanged');
  assert.ok(maxRelativeError(dw.dataSync(), reference.dw) <= 1e-4, 'dw matches cpu');
  assert.ok(maxRelativeError(dx.dataSync(), reference.dx) <= 1e-4, 'dx matches cpu');
  tf.dispose(tensors);
}
