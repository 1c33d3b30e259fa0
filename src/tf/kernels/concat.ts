import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import type { ConcatAttrs, KernelConfig, KernelFunc, NamedAttrMap, TensorInfo } from '@tensorflow/tfjs';
import { tf } from '../tfjs.js';
import { heapKernels } from './simd/training-kernels.js';
import { copiesAsWords } from './slice.js';
import { stockWasmKernel } from './stock-kernels.js';

const KERNEL = 'Concat';

let stock: KernelConfig | undefined;

/**
 * Concat on the wasm backend. The stock kernel copies each input's block of every outer index with
 * `set(subarray(...))`, an object per block: for the decoders' channel concats (blocks of 16-64 floats)
 * that is most of its time. Here each input is one call of strided block copies on the heap
 * (simd/copy.c). A single non-empty input, strings and bools go to the stock kernel.
 */
function concat(args: { inputs: TensorInfo[]; backend: BackendWasm; attrs: ConcatAttrs }): TensorInfo {
  const { inputs, backend, attrs } = args;
  const kernels = heapKernels(backend);
  const parts = inputs.filter((t) => tf.util.sizeFromShape(t.shape) > 0);
  if (
    kernels === undefined ||
    parts.length < 2 ||
    !inputs.every((t) => copiesAsWords(t) && t.dtype === inputs[0]!.dtype)
  ) {
    stock ??= stockWasmKernel(KERNEL);
    return stock!.kernelFunc({
      inputs: inputs as never,
      attrs: attrs as unknown as NamedAttrMap,
      backend,
    }) as TensorInfo;
  }
  const axis = tf.util.parseAxisParam(attrs.axis, inputs[0]!.shape)[0]!;
  tf.backend_util.assertParamsConsistent(
    inputs.map((t) => t.shape),
    axis,
  );
  const outShape = tf.backend_util.computeOutShape(
    inputs.map((t) => t.shape),
    axis,
  );
  const out = backend.makeOutput(outShape, inputs[0]!.dtype);
  const outer = tf.util.sizeFromShape(outShape.slice(0, axis));
  const outInner = tf.util.sizeFromShape(outShape.slice(axis));
  let offset = 0;
  for (const part of parts) {
    const inner = tf.util.sizeFromShape(part.shape.slice(axis));
    kernels.copyBlocks(
      { tensor: out, start: offset, stride: outInner },
      { tensor: part, start: 0, stride: inner },
      outer,
      inner,
    );
    offset += inner;
  }
  return out;
}

/** Kernel registration for the wasm Concat. */
export const concatConfig: KernelConfig = {
  kernelName: KERNEL,
  backendName: 'wasm',
  kernelFunc: concat as unknown as KernelFunc,
};
