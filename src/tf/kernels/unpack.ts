import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import type {
  KernelConfig,
  KernelFunc,
  NamedAttrMap,
  TensorInfo,
  UnpackAttrs,
  UnpackInputs,
} from '@tensorflow/tfjs';
import { tf } from '../tfjs.js';
import { stockWasmKernel } from './stock-kernels.js';
import { copyElements, heapIndex, heapView } from './wasm-heap.js';

const KERNEL = 'Unpack';

let stock: KernelConfig | undefined;

/**
 * Unpack (unstack) on the wasm backend. The stock kernel runs one general Slice per output, which along an
 * inner axis takes 30-80 ms for the [8, 4, 4, 8, 64] tensors that `tf.layers.timeDistributed` unstacks in
 * the network's dilated convs. Output k is the blocks x[o, k, :] for every outer index o: contiguous runs
 * of the inner size, copied with `copyWithin`.
 */
function unpack(args: { inputs: UnpackInputs; backend: BackendWasm; attrs: UnpackAttrs }): TensorInfo[] {
  const { inputs, backend, attrs } = args;
  const value = inputs.value as TensorInfo;
  if (heapView(backend, value.dtype) === undefined) {
    stock ??= stockWasmKernel(KERNEL);
    return stock!.kernelFunc({ inputs, attrs: attrs as unknown as NamedAttrMap, backend }) as TensorInfo[];
  }
  const rank = value.shape.length;
  const axis = attrs.axis < 0 ? attrs.axis + rank : attrs.axis;
  const count = value.shape[axis]!;
  const outShape = value.shape.filter((_, i) => i !== axis);
  const outer = tf.util.sizeFromShape(value.shape.slice(0, axis));
  const inner = tf.util.sizeFromShape(value.shape.slice(axis + 1));
  const outs = Array.from({ length: count }, () => backend.makeOutput(outShape, value.dtype));
  const view = heapView(backend, value.dtype)!; // after the allocations, which may grow the heap
  const src = heapIndex(backend, value, view);
  outs.forEach((out, k) => {
    const dst = heapIndex(backend, out, view);
    for (let o = 0; o < outer; o++) copyElements(view, dst + o * inner, src + (o * count + k) * inner, inner);
  });
  return outs;
}

/** Kernel registration for the wasm Unpack. */
export const unpackConfig: KernelConfig = {
  kernelName: KERNEL,
  backendName: 'wasm',
  kernelFunc: unpack as unknown as KernelFunc,
};
