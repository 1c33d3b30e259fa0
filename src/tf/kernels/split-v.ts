import type { SplitVAttrs, TensorInfo } from '@tensorflow/tfjs';
import { tf } from '../tfjs.js';
import { heapKernels } from './simd/training-kernels.js';
import { copiesAsWords, copySlice } from './slice.js';
import { runStockWasmKernel, wasmKernelConfig, type WasmKernelArgs } from './stock-kernels.js';

/**
 * SplitV on the wasm backend: the gradient of every concat in the network splits dy back along the
 * channels. The stock kernel runs the stock Slice per part, which copies the whole input out of the heap
 * each time; here each part is strided block copies on the heap (see `copySlice`). Strings and bools go
 * to the stock kernel.
 */
function splitV(args: WasmKernelArgs): TensorInfo[] {
  const { inputs, backend } = args;
  const attrs = args.attrs as unknown as SplitVAttrs;
  const x = inputs.x!;
  const kernels = heapKernels(backend);
  if (kernels === undefined || !copiesAsWords(x)) {
    return runStockWasmKernel('SplitV', args) as TensorInfo[];
  }
  const axis = tf.util.parseAxisParam(attrs.axis, x.shape)[0]!;
  const sizes = tf.backend_util.prepareSplitSize(x as never, attrs.numOrSizeSplits, axis);
  const begin = new Array<number>(x.shape.length).fill(0);
  return sizes.map((length) => {
    const size = [...x.shape];
    size[axis] = length;
    const out = backend.makeOutput(size, x.dtype);
    copySlice(kernels, x, out, begin, size);
    begin[axis]! += length;
    return out;
  });
}

/** Kernel registration for the wasm SplitV. */
export const splitVConfig = wasmKernelConfig('SplitV', splitV);
