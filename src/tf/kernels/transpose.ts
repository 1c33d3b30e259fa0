import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import type {
  KernelConfig,
  KernelFunc,
  NamedAttrMap,
  TensorInfo,
  TransposeAttrs,
  TransposeInputs,
} from '@tensorflow/tfjs';
import { tf } from '../tfjs.js';
import { rowMajorStrides, simplifyTranspose } from './layout.js';
import { stockWasmKernel } from './stock-kernels.js';
import { copyElements, heapIndex, heapView } from './wasm-heap.js';

const KERNEL = 'Transpose';

/**
 * Smallest contiguous block (elements) moved with block copies (~3.5 ns an element at 8, 1 ns from 32);
 * below it the transpose goes to the stock kernel, on the reduced shape, whose loop has no per-block cost.
 */
const MIN_BLOCK = 8;

let stock: KernelConfig | undefined;

/**
 * Transpose on the wasm backend. The stock kernel only drops size-1 axes, then runs an element-wise loop
 * that takes ~10 ms for the 131k-element rank-5 and rank-6 transposes that the Permute layers of
 * `atrousConv2d` (the network's dilated convs, src/tf/layers) run (~75 ns an element). Stock kernels that
 * transpose internally (SpaceToBatchND, reductions) keep calling the stock implementation. Here the transpose is first reduced to the fewest axes
 * (see {@link simplifyTranspose}); when the innermost axis stays in place, which is the case for all of
 * those (channels stay last), the result is assembled from contiguous blocks with `copyWithin`. Other
 * transposes go to the stock kernel, on the reduced shape.
 */
function transpose(args: {
  inputs: TransposeInputs;
  backend: BackendWasm;
  attrs: TransposeAttrs;
}): TensorInfo {
  const { inputs, backend, attrs } = args;
  const x = inputs.x as TensorInfo;
  const outShape = attrs.perm.map((axis) => x.shape[axis]!);
  const layout = simplifyTranspose(x.shape, attrs.perm);
  const rank = layout.shape.length;
  const innerKept = rank === 0 || layout.perm[rank - 1] === rank - 1;
  const block = rank === 0 ? 1 : innerKept ? layout.shape[rank - 1]! : 0;
  stock ??= stockWasmKernel(KERNEL);
  if (heapView(backend, x.dtype) === undefined) {
    // Strings live outside the heap: the stock kernel handles them whole, result untouched.
    return stock!.kernelFunc({ inputs, attrs: attrs as unknown as NamedAttrMap, backend }) as TensorInfo;
  }
  if (block < MIN_BLOCK) {
    const reduced = { dataId: x.dataId, shape: layout.shape, dtype: x.dtype };
    const out = stock!.kernelFunc({
      inputs: { x: reduced },
      attrs: { perm: layout.perm },
      backend,
    }) as TensorInfo;
    return { ...out, shape: outShape };
  }

  const out = backend.makeOutput(outShape, x.dtype);
  const size = tf.util.sizeFromShape(outShape);
  if (size === 0) return out;
  const view = heapView(backend, x.dtype)!;
  const src = heapIndex(backend, x, view);
  const dst = heapIndex(backend, out, view);
  // Walk the output's outer axes (all but the innermost) like an odometer, tracking the source offset.
  const outer = layout.perm.slice(0, rank - 1);
  const outerShape = outer.map((axis) => layout.shape[axis]!);
  const inStrides = rowMajorStrides(layout.shape);
  const steps = outer.map((axis) => inStrides[axis]!);
  const index = new Array<number>(outer.length).fill(0);
  let from = src;
  for (let to = dst; to < dst + size; to += block) {
    copyElements(view, to, from, block);
    for (let axis = outer.length - 1; axis >= 0; axis--) {
      from += steps[axis]!;
      if (++index[axis]! < outerShape[axis]!) break;
      from -= steps[axis]! * outerShape[axis]!;
      index[axis] = 0;
    }
  }
  return out;
}

/** Kernel registration for the wasm Transpose. */
export const transposeConfig: KernelConfig = {
  kernelName: KERNEL,
  backendName: 'wasm',
  kernelFunc: transpose as unknown as KernelFunc,
};
