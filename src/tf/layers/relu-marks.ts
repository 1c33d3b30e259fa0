import type { Tensor } from '@tensorflow/tfjs';

/**
 * Tensors that a {@link FusedBatchNormalization} with `relu` produced already rectified, so that the
 * ReLU layer after it ({@link ReLUAfterBatchNorm}) can pass them through. Weak: a mark never keeps a
 * tensor alive.
 */
const rectified = new WeakSet<Tensor>();

/** Marks `tensor` as already max(., 0). */
export function markRectified(tensor: Tensor): void {
  rectified.add(tensor);
}

/** Whether `tensor` was marked by {@link markRectified}. */
export function isRectified(tensor: Tensor): boolean {
  return rectified.has(tensor);
}
