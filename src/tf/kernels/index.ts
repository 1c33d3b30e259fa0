import type { KernelConfig } from '@tensorflow/tfjs';
import { tf } from '../tfjs.js';
import { conv2dBackpropFilterConfig } from './conv2d-backprop-filter.js';
import { conv2dBackpropInputConfig } from './conv2d-backprop-input.js';
import { unsortedSegmentSumConfig } from './unsorted-segment-sum.js';

export { setSimdConvGradientsEnabled } from './simd/conv-gradients.js';

/**
 * The kernels this project adds to (or replaces in) tfjs 4.22's wasm backend so that training works:
 * - Conv2DBackpropFilter: missing ("Kernel 'Conv2DBackpropFilter' not registered for backend 'wasm'").
 * - Conv2DBackpropInput: present, but a scalar reference loop about 10x slower than the forward conv.
 * Both conv gradients run the hand-written SIMD kernels of simd/conv-gradients.c where those can share
 * the heap, and formulations on XNNPACK's forward conv elsewhere.
 * - UnsortedSegmentSum: missing; the gradient of `gather` needs it.
 * Every other kernel that training the project's network asks for is stock (found by training it:
 * test/tf/train-step.test.ts fails with "not registered" if one goes missing).
 */
export const WASM_TRAINING_KERNELS: readonly KernelConfig[] = [
  conv2dBackpropFilterConfig,
  conv2dBackpropInputConfig,
  unsortedSegmentSumConfig,
];

const stockKernels = new Map<string, KernelConfig>();
let registered = false;

/** Registers {@link WASM_TRAINING_KERNELS} for 'wasm' (idempotent), keeping any stock kernel they replace. */
export function registerWasmTrainingKernels(): void {
  if (registered) return;
  for (const config of WASM_TRAINING_KERNELS) {
    const stock = tf.getKernel(config.kernelName, 'wasm');
    if (stock !== undefined) {
      stockKernels.set(config.kernelName, stock);
      tf.unregisterKernel(config.kernelName, 'wasm');
    }
    tf.registerKernel(config);
  }
  registered = true;
}

/**
 * The stock wasm kernel that {@link registerWasmTrainingKernels} replaced, for benchmarks and tests that
 * compare against it; undefined where tfjs has none. Its one-time setup (binding the wasm function),
 * which the backend skips for unregistered kernels, runs on first call.
 */
export function stockWasmKernel(kernelName: string): KernelConfig | undefined {
  const stock = stockKernels.get(kernelName) ?? (registered ? undefined : tf.getKernel(kernelName, 'wasm'));
  if (stock === undefined) return undefined;
  const setUpFor = new WeakSet<object>();
  return {
    ...stock,
    kernelFunc: (args) => {
      if (!setUpFor.has(args.backend)) {
        stock.setupFunc?.(args.backend);
        setUpFor.add(args.backend);
      }
      return stock.kernelFunc(args);
    },
  };
}
