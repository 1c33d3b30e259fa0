import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import type { IdentityInputs, KernelConfig, KernelFunc, NamedAttrMap, TensorInfo } from '@tensorflow/tfjs';
import { stockWasmKernel } from './stock-kernels.js';

const KERNEL = 'Identity';

let stock: KernelConfig | undefined;

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
function identity(args: { inputs: IdentityInputs; backend: BackendWasm; attrs: NamedAttrMap }): TensorInfo {
  const { inputs, backend } = args;
  const x = inputs.x as TensorInfo;
  if (x.dtype === 'string') {
    stock ??= stockWasmKernel(KERNEL);
    return stock!.kernelFunc(args as never) as TensorInfo;
  }
  backend.incRef(x.dataId);
  return { dataId: x.dataId, shape: [...x.shape], dtype: x.dtype };
}

/** Kernel registration for the zero-copy wasm Identity. */
export const identityConfig: KernelConfig = {
  kernelName: KERNEL,
  backendName: 'wasm',
  kernelFunc: identity as unknown as KernelFunc,
};
