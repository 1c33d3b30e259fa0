import type { TensorInfo } from '@tensorflow/tfjs';
import { runStockWasmKernel, wasmKernelConfig, type WasmKernelArgs } from './stock-kernels.js';

/**
 * Identity on the wasm backend without a copy: the result shares the input's buffer (one more reference
 * on it), as the stock wasm Reshape does and as the cpu and webgl backends' Identity already do.
 *
 * Why: tfjs clones every tensor it saves for the backward pass (`saveTensorsForBackwardMode`), ~700
 * Identity calls per training step of the project's network, and the stock wasm kernel copies each one
 * (4-5% of a step at 64x128). Sharing is safe because tensors are immutable: no kernel, stock or this
 * project's, writes into an input's buffer (every kernel writes only buffers it allocated with
 * `makeOutput`; test/tf/identity.test.ts checks the ones that work on the heap in place), and a variable's
 * `assign` swaps its buffer rather than overwriting it. Strings (kept outside the heap) go to the stock
 * kernel.
 */
function identity(args: WasmKernelArgs): TensorInfo {
  const x = args.inputs.x!;
  if (x.dtype === 'string') return runStockWasmKernel('Identity', args) as TensorInfo;
  args.backend.incRef(x.dataId);
  return { dataId: x.dataId, shape: [...x.shape], dtype: x.dtype };
}

/** Kernel registration for the zero-copy wasm Identity. */
export const identityConfig = wasmKernelConfig('Identity', identity);
