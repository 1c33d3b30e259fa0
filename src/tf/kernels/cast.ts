import type { TensorInfo } from '@tensorflow/tfjs';
import { runStockWasmKernel, wasmKernelConfig, type WasmKernelArgs } from './stock-kernels.js';

/**
 * Cast on the wasm backend, without a copy when the dtype does not change (the result shares the input's
 * buffer, as the zero-copy Identity does). tfjs-core runs the Cast kernel also for same-dtype casts, and
 * its gradients do so on every backward pass: the Identity gradient (behind the ReLU layers that pass the
 * fused batch norm's output through) and the Multiply gradient cast their operands to float32, and the
 * stock kernel copies each full tensor. Real conversions go to the stock kernel.
 */
function cast(args: WasmKernelArgs): TensorInfo {
  const x = args.inputs.x!;
  if (x.dtype !== args.attrs.dtype || x.dtype === 'string')
    return runStockWasmKernel('Cast', args) as TensorInfo;
  args.backend.incRef(x.dataId);
  return { dataId: x.dataId, shape: [...x.shape], dtype: x.dtype };
}

/** Kernel registration for the wasm Cast. */
export const castConfig = wasmKernelConfig('Cast', cast);
