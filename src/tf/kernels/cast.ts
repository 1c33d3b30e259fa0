import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import type {
  CastAttrs,
  CastInputs,
  KernelConfig,
  KernelFunc,
  NamedAttrMap,
  TensorInfo,
} from '@tensorflow/tfjs';
import { stockWasmKernel } from './stock-kernels.js';

const KERNEL = 'Cast';

let stock: KernelConfig | undefined;

/**
 * Cast on the wasm backend, without a copy when the dtype does not change (the result shares the input's
 * buffer, as the zero-copy Identity does). tfjs-core runs the Cast kernel also for same-dtype casts, and
 * its gradients do so on every backward pass: the Identity gradient (behind the ReLU layers that pass the
 * fused batch norm's output through) and the Multiply gradient cast their operands to float32, and the
 * stock kernel copies each full tensor. Real conversions go to the stock kernel.
 */
function cast(args: { inputs: CastInputs; backend: BackendWasm; attrs: CastAttrs }): TensorInfo {
  const { inputs, backend, attrs } = args;
  const x = inputs.x as TensorInfo;
  if (x.dtype !== attrs.dtype || x.dtype === 'string') {
    stock ??= stockWasmKernel(KERNEL);
    return stock!.kernelFunc({ inputs, attrs: attrs as unknown as NamedAttrMap, backend }) as TensorInfo;
  }
  backend.incRef(x.dataId);
  return { dataId: x.dataId, shape: [...x.shape], dtype: x.dtype };
}

/** Kernel registration for the wasm Cast. */
export const castConfig: KernelConfig = {
  kernelName: KERNEL,
  backendName: 'wasm',
  kernelFunc: cast as unknown as KernelFunc,
};
