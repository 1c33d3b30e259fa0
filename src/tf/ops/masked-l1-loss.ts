import type { Scalar, Tensor } from '@tensorflow/tfjs';
import { MASKED_L1_LOSS, maskedL1Shapes } from '../kernels/masked-l1-loss.js';
import { fusedTrainingKernelsActive } from '../kernels/simd/training-kernels.js';
import { tf } from '../tfjs.js';

/**
 * The L1 distance summed over the last (channel) axis, averaged over the pixels where `mask` is set:
 * sum(mask * sum_c |predicted - target|) / max(sum(mask), 1), so 0 (not NaN) for an empty mask, and masked
 * pixels get exactly zero gradient.
 *
 * On wasm (with the SIMD training kernels) one kernel each way (src/tf/kernels/simd/masked-l1.c);
 * elsewhere, or for other shapes, the same from tfjs ops.
 *
 * @param predicted [..., C]
 * @param target [..., C]
 * @param mask [..., 1]
 */
export function maskedL1Loss(predicted: Tensor, target: Tensor, mask: Tensor): Scalar {
  const fused =
    fusedTrainingKernelsActive() &&
    [predicted, target, mask].every((t) => t.dtype === 'float32') &&
    maskedL1Shapes(predicted.shape, target.shape, mask.shape);
  if (fused) return tf.engine().runKernel(MASKED_L1_LOSS, { predicted, target, mask }, {}) as Scalar;
  return tf.tidy(() => {
    const values = tf.sum(tf.abs(tf.sub(predicted, target)), -1, true);
    return tf.div(tf.sum(tf.mul(values, mask)), tf.maximum(tf.sum(mask), 1)) as Scalar;
  });
}
