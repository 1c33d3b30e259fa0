import type { Scalar, Tensor } from '@tensorflow/tfjs';
import { MASKED_SOFTMAX_CROSS_ENTROPY } from '../kernels/softmax-cross-entropy.js';
import { fusedTrainingKernelsActive } from '../kernels/simd/training-kernels.js';
import { tf } from '../tfjs.js';

/**
 * Softmax cross-entropy over the last axis, averaged over the pixels whose label is not `ignoreLabel`
 * (0 when there are none, not NaN); ignored pixels get neither loss nor gradient. A label outside
 * [0, classes) that is not `ignoreLabel` counts as labelled with a zero one-hot row (as tf.oneHot does).
 *
 * On wasm (with the SIMD training kernels) one fused kernel each way: the forward keeps only each pixel's
 * log-sum-exp, the backward recomputes the softmax from it (src/tf/kernels/simd/softmax-cross-entropy.c).
 * Elsewhere the same loss from tfjs ops (logSoftmax, oneHot, a masked mean).
 *
 * @param logits [..., C] float32 class scores.
 * @param labels [...] class ids (int32; other dtypes are cast).
 */
export function maskedSoftmaxCrossEntropy(logits: Tensor, labels: Tensor, ignoreLabel: number): Scalar {
  return tf.tidy(() => {
    const ids = labels.dtype === 'int32' ? labels : tf.cast(labels, 'int32');
    if (fusedTrainingKernelsActive()) {
      const [loss, lse] = tf
        .engine()
        .runKernel(MASKED_SOFTMAX_CROSS_ENTROPY, { logits, labels: ids }, { ignoreLabel }) as [
        Scalar,
        Tensor,
      ];
      lse.dispose(); // the gradient keeps its own reference to what it needs
      return loss;
    }
    const classes = logits.shape[logits.rank - 1]!;
    const valid = tf.notEqual(ids, ignoreLabel);
    const safeLabels = tf.where(valid, ids, tf.zerosLike(ids));
    const picked = tf.sum(tf.mul(tf.oneHot(safeLabels, classes), tf.logSoftmax(logits)), -1);
    const mask = tf.cast(valid, 'float32');
    return tf.div(tf.sum(tf.mul(tf.neg(picked), mask)), tf.maximum(tf.sum(mask), 1)) as Scalar;
  });
}
