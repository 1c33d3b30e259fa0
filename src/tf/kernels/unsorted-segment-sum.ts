import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import type {
  KernelConfig,
  KernelFunc,
  TensorInfo,
  UnsortedSegmentSumAttrs,
  UnsortedSegmentSumInputs,
} from '@tensorflow/tfjs';
import { tf } from '../tfjs.js';

const KERNEL = 'UnsortedSegmentSum';

/**
 * UnsortedSegmentSum on the wasm backend (tfjs 4.22 has none; the gradient of `gather` needs it):
 * out[segmentIds[i], ...] += x[i, ...]. Ids outside [0, numSegments) are dropped, as in TensorFlow.
 * A single pass over the heap: the work is memory-bound, so JS is as fast as a wasm loop would be.
 */
function unsortedSegmentSum(args: {
  inputs: UnsortedSegmentSumInputs;
  backend: BackendWasm;
  attrs: UnsortedSegmentSumAttrs;
}): TensorInfo {
  const { inputs, backend, attrs } = args;
  const x = inputs.x as TensorInfo;
  const segmentIds = inputs.segmentIds as TensorInfo;
  const { numSegments } = attrs;
  if (x.dtype !== 'float32' && x.dtype !== 'int32') {
    throw new Error(`${KERNEL}: x must be float32 or int32, got ${x.dtype}`);
  }
  const idsRank = segmentIds.shape.length;
  if (!tf.util.arraysEqual(x.shape.slice(0, idsRank), segmentIds.shape)) {
    throw new Error(`${KERNEL}: segmentIds shape ${segmentIds.shape} must be a prefix of x shape ${x.shape}`);
  }
  const innerShape = x.shape.slice(idsRank);
  const inner = tf.util.sizeFromShape(innerShape);
  const out = backend.makeOutput([numSegments, ...innerShape], x.dtype);
  const outData = backend.typedArrayFromHeap(out) as Float32Array | Int32Array;
  const xData = backend.typedArrayFromHeap(x) as Float32Array | Int32Array;
  const ids = backend.typedArrayFromHeap(segmentIds) as Int32Array;
  outData.fill(0);
  for (let i = 0; i < ids.length; i++) {
    const segment = ids[i]!;
    if (segment < 0 || segment >= numSegments) continue;
    const src = i * inner;
    const dst = segment * inner;
    for (let j = 0; j < inner; j++) outData[dst + j]! += xData[src + j]!;
  }
  return out;
}

/** Kernel registration for the wasm UnsortedSegmentSum. */
export const unsortedSegmentSumConfig: KernelConfig = {
  kernelName: KERNEL,
  backendName: 'wasm',
  kernelFunc: unsortedSegmentSum as unknown as KernelFunc,
};
