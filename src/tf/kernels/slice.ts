import type { SliceAttrs, TensorInfo } from '@tensorflow/tfjs';
import { tf } from '../tfjs.js';
import { sliceLayout } from './layout.js';
import { heapKernels, type TrainingKernels } from './simd/training-kernels.js';
import { runStockWasmKernel, wasmKernelConfig, type WasmKernelArgs } from './stock-kernels.js';

/** Dtypes whose elements are 4 bytes on the heap, which the block copies of simd/copy.c move. */
export function copiesAsWords(info: TensorInfo): boolean {
  return info.dtype === 'float32' || info.dtype === 'int32';
}

/**
 * Writes the slice `begin`/`size` of x into `out` (a fresh output of shape `size`) as strided block copies
 * (simd/copy.c): the contiguous run at the end of each block in one go, the axis around it in one call.
 */
export function copySlice(
  kernels: TrainingKernels,
  x: TensorInfo,
  out: TensorInfo,
  begin: readonly number[],
  size: readonly number[],
): void {
  const total = size.reduce((a, b) => a * b, 1);
  if (total === 0) return;
  const { start, block, axes } = sliceLayout(x.shape, begin, size);
  const rows = axes.pop() ?? { size: 1, stride: block };
  const outer = axes;
  const index = new Array<number>(outer.length).fill(0);
  let from = start;
  for (let to = 0; to < total; to += rows.size * block) {
    kernels.copyBlocks(
      { tensor: out, start: to, stride: block },
      { tensor: x, start: from, stride: rows.stride },
      rows.size,
      block,
    );
    // Advance the odometer over the outer axes.
    for (let axis = outer.length - 1; axis >= 0; axis--) {
      from += outer[axis]!.stride;
      if (++index[axis]! < outer[axis]!.size) break;
      from -= outer[axis]!.stride * outer[axis]!.size;
      index[axis] = 0;
    }
  }
}

/**
 * Slice on the wasm backend. The stock kernel first copies the whole input out of the heap (`readSync`)
 * and then each contiguous block with `set(subarray(...))`; the split of the decoders' concat gradient
 * (SplitV, which slices) spent most of its time there. Here the blocks are copied on the heap in place
 * (see {@link copySlice}). Strings and bools go to the stock kernel.
 */
function slice(args: WasmKernelArgs): TensorInfo {
  const { inputs, backend } = args;
  const attrs = args.attrs as unknown as SliceAttrs;
  const x = inputs.x!;
  const kernels = heapKernels(backend);
  if (kernels === undefined || !copiesAsWords(x)) {
    return runStockWasmKernel('Slice', args) as TensorInfo;
  }
  const [begin, size] = tf.slice_util.parseSliceParams(x as never, attrs.begin, attrs.size) as [
    number[],
    number[],
  ];
  const out = backend.makeOutput(size, x.dtype);
  copySlice(kernels, x, out, begin, size);
  return out;
}

/** Kernel registration for the wasm Slice. */
export const sliceConfig = wasmKernelConfig('Slice', slice);
