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
import { maxRelativeError, randomValues } from '../helpers/random.js';

const SIMD_DIR = 'src/tf/kernels/simd';

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

describe('the SIMD conv-gradient module', () => {
  before(async () => {
    await selectBackend('wasm');
  });

  const clang = installedClangVersion();
  test(
    'the committed module is what build.sh makes of conv-gradients.c',
    {
      skip:
        clang === undefined
          ? 'clang and wasm-ld are not installed (the module is committed prebuilt)'
          : clang !== committedClangVersion()
            ? `built with ${committedClangVersion()}, this machine has ${clang}`
            : false,
    },
    () => {
      const dir = mkdtempSync(join(tmpdir(), 'simd-build-'));
      try {
        const out = join(dir, 'conv-gradients.wasm.ts');
        execFileSync('bash', [join(SIMD_DIR, 'build.sh'), out], { stdio: 'pipe' });
        assert.equal(
          readFileSync(out, 'utf8'),
          readFileSync(join(SIMD_DIR, 'conv-gradients.wasm.ts'), 'utf8'),
          'conv-gradients.wasm.ts is stale: run npm run build:wasm-kernels',
        );
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  );

  test('imports nothing but the memory it shares with tfjs', () => {
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
    const module = new Module(Buffer.from(CONV_GRADIENTS_WASM_BASE64, 'base64'));
    assert.deepEqual(Module.imports(module), [{ module: 'env', name: 'memory', kind: 'memory' }]);
    assert.deepEqual(
      Module.exports(module)
        .map((e) => e.name)
        .sort(),
      ['conv2d_backprop_filter_f32', 'conv2d_backprop_input_f32', 'conv2d_backprop_input_scratch_floats'],
    );
  });

  test('writes only its outputs, and those match the cpu backend', async () => {
    // Odd sizes, 'valid' padding, a stride, and channel counts that leave tails (3 = 3 + 0, 19 = 16 + 3).
    const inputShape: [number, number, number, number] = [2, 9, 11, 3];
    const filterShape: [number, number, number, number] = [3, 3, 3, 19];
    const conv = tf.backend_util.computeConv2DInfo(inputShape, filterShape, 2, 1, 'valid');
    const xValues = randomValues(2 * 9 * 11 * 3, 1);
    const wValues = randomValues(3 * 3 * 3 * 19, 2);
    const dyValues = randomValues(2 * 4 * 5 * 19, 3);
    const attrs = { strides: 2, pad: 'valid', dataFormat: 'NHWC' } as const;

    await tf.setBackend('cpu');
    const reference = tf.tidy(() => {
      const x = tf.tensor4d(xValues, inputShape);
      const w = tf.tensor4d(wValues, filterShape);
      const dy = tf.tensor4d(dyValues, conv.outShape);
      const run = (name: string, inputs: Record<string, Tensor>, extra: object) =>
        (tf.engine().runKernel(name, inputs, { ...attrs, ...extra } as never) as Tensor).dataSync();
      return {
        dw: run('Conv2DBackpropFilter', { x, dy }, { filterShape }),
        dx: run('Conv2DBackpropInput', { dy, filter: w }, { inputShape }),
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
    // Canaries allocated between the kernels' tensors, so that they sit next to them on the heap.
    const canaries: Tensor[] = [];
    const canary = () => canaries.push(keep(tf.tensor1d(randomValues(97, 500 + canaries.length))));
    canary();
    const x = keep(tf.tensor4d(xValues, inputShape));
    canary();
    const w = keep(tf.tensor4d(wValues, filterShape));
    canary();
    const dy = keep(tf.tensor4d(dyValues, conv.outShape));
    canary();
    const dw = keep(tf.zeros(filterShape));
    canary();
    const dx = keep(tf.zeros(inputShape));
    canary();
    const scratch = keep(tf.zeros([kernels.backpropInputScratchFloats(geometry)]));
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
  });
});
