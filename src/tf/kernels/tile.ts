import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import type {
  KernelConfig,
  KernelFunc,
  NamedAttrMap,
  TensorInfo,
  TileAttrs,
  TileInputs,
} from '@tensorflow/tfjs';
import { tf } from '../tfjs.js';
import { rowMajorStrides } from './layout.js';
import { stockWasmKernel } from './stock-kernels.js';
import { copyElements, heapIndex, heapView, type HeapView } from './wasm-heap.js';

const KERNEL = 'Tile';

let stock: KernelConfig | undefined;

/**
 * Tile on the wasm backend. The stock kernel computes every output element's source index (~100 ns an
 * element: 15 ms for the [1, 1, 1, 32] -> [8, 16, 32, 32] tiles of the batch-norm gradient). Here each
 * axis, innermost first, is built once and then doubled in place with `copyWithin` until it holds all its
 * repetitions, so the work is a few large memory copies.
 */
function tile(args: { inputs: TileInputs; backend: BackendWasm; attrs: TileAttrs }): TensorInfo {
  const { inputs, backend, attrs } = args;
  const x = inputs.x as TensorInfo;
  if (heapView(backend, x.dtype) === undefined) {
    stock ??= stockWasmKernel(KERNEL);
    return stock!.kernelFunc({ inputs, attrs: attrs as unknown as NamedAttrMap, backend }) as TensorInfo;
  }
  const outShape = x.shape.map((size, axis) => size * attrs.reps[axis]!);
  const out = backend.makeOutput(outShape, x.dtype);
  if (tf.util.sizeFromShape(outShape) === 0) return out;
  const view = heapView(backend, x.dtype)!;
  if (x.shape.length === 0) {
    view[heapIndex(backend, out, view)] = view[heapIndex(backend, x, view)]!;
    return out;
  }
  const layout: TileLayout = {
    view,
    shape: x.shape,
    reps: attrs.reps,
    inStrides: rowMajorStrides(x.shape),
    outStrides: rowMajorStrides(outShape),
  };
  fillAxis(layout, 0, heapIndex(backend, x, view), heapIndex(backend, out, view));
  return out;
}

interface TileLayout {
  view: HeapView;
  shape: readonly number[];
  reps: readonly number[];
  inStrides: number[];
  outStrides: number[];
}

/** Writes the tiled sub-tensor of `axis` and all inner axes, for the input at `src`, to `dst`. */
function fillAxis(layout: TileLayout, axis: number, src: number, dst: number): void {
  const { view, shape, reps, inStrides, outStrides } = layout;
  const size = shape[axis]!;
  if (axis === shape.length - 1) {
    copyElements(view, dst, src, size);
  } else {
    for (let i = 0; i < size; i++)
      fillAxis(layout, axis + 1, src + i * inStrides[axis]!, dst + i * outStrides[axis]!);
  }
  repeatInPlace(view, dst, size * outStrides[axis]!, reps[axis]!);
}

/** Turns the `length` elements at `start` into `times` back-to-back copies, doubling the filled part. */
function repeatInPlace(view: HeapView, start: number, length: number, times: number): void {
  const total = length * times;
  for (let filled = length; filled < total;) {
    const count = Math.min(filled, total - filled);
    copyElements(view, start + filled, start, count);
    filled += count;
  }
}

/** Kernel registration for the wasm Tile. */
export const tileConfig: KernelConfig = {
  kernelName: KERNEL,
  backendName: 'wasm',
  kernelFunc: tile as unknown as KernelFunc,
};
