import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import type { TensorInfo } from '@tensorflow/tfjs';

/**
 * A float32 view of a tensor's bytes on the wasm heap.
 *
 * The view is only valid until the next allocation on the backend: the heap may grow and detach every
 * earlier view. Take views after all allocations of a kernel are done, never keep them across one.
 */
export function heapFloat32(backend: BackendWasm, info: TensorInfo): Float32Array {
  return backend.typedArrayFromHeap(info) as Float32Array;
}

/** Asserts that a kernel input is float32 (the composite kernels only support that, like tfjs' own). */
export function assertFloat32(kernel: string, name: string, info: TensorInfo): void {
  if (info.dtype !== 'float32') {
    throw new Error(`${kernel}: input '${name}' must be float32, got ${info.dtype}`);
  }
}
