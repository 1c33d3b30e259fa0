import type { ConcatAttrs, TensorInfo } from '@tensorflow/tfjs';
import { tf } from '../tfjs.js';
import { heapKernels } from './simd/training-kernels.js';
import { copiesAsWords } from './slice.js';
import { runStockWasmKernel, wasmKernelConfig, type WasmKernelArgs } from './stock-kernels.js';

/**
 * Concat on the wasm backend. The stock kernel copies each input's block of every outer index with
 * `set(subarray(...))`, an object per block: for the decoders' channel concats (blocks of 16-64 floats)
 * that is most of its time. Here each input is one call of strided block copies on the heap
 * (simd/copy.c). A single non-empty input, strings and bools go to the stock kernel.
 */
function concat(args: WasmKernelArgs): TensorInfo {
  const { backend } = args;
  // Concat takes its inputs as a list.
  const inputs = args.inputs as unknown as TensorInfo[];
  const attrs = args.attrs as unknown as ConcatAttrs;
  const kernels = heapKernels(backend);
  const parts = inputs.filter((t) => tf.util.sizeFromShape(t.shape) > 0);
  if (
    kernels === undefined ||
    parts.length < 2 ||
    !inputs.every((t) => copiesAsWords(t) && t.dtype === inputs[0]!.dtype)
  ) {
    return runStockWasmKernel('Concat', args) as TensorInfo;
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
export const concatConfig = wasmKernelConfig('Concat', concat);
