import type { Tensor, Tensor1D } from '@tensorflow/tfjs';
import { BATCH_NORM_TRAINING } from '../kernels/batch-norm-training.js';
import { fusedTrainingKernelsActive } from '../kernels/simd/training-kernels.js';
import { tf } from '../tfjs.js';

/** Options of {@link batchNormTraining}. */
export interface BatchNormTrainingOptions {
  /** Added to the variance before its square root (Keras' default: 1e-3). */
  epsilon: number;
  /** Return max(y, 0): the ReLU that follows, fused. Default false. */
  relu?: boolean;
}

/** What {@link batchNormTraining} returns: the output and the batch statistics it normalised with. */
export interface BatchNormTrainingResult {
  y: Tensor;
  /** Per-channel mean over all other axes. */
  mean: Tensor1D;
  /** Per-channel biased variance (as tf.moments), the one the moving variance is updated with. */
  variance: Tensor1D;
}

/**
 * Training-mode batch normalisation over every axis but the last (channels-last):
 * y = (x - mean) / sqrt(variance + epsilon) * gamma + beta, optionally followed by a ReLU, with the batch
 * statistics. Differentiable in x, gamma and beta (also through the returned statistics).
 *
 * On wasm (with the SIMD training kernels) one fused kernel each way (src/tf/kernels/simd/batch-norm.c);
 * elsewhere exactly what tfjs-layers' BatchNormalization does in training (tf.moments + tf.batchNorm).
 */
export function batchNormTraining(
  x: Tensor,
  gamma: Tensor1D,
  beta: Tensor1D,
  { epsilon, relu = false }: BatchNormTrainingOptions,
): BatchNormTrainingResult {
  if (fusedTrainingKernelsActive()) {
    const [y, mean, variance] = tf
      .engine()
      .runKernel(BATCH_NORM_TRAINING, { x, gamma, beta }, { epsilon, relu }) as [Tensor, Tensor1D, Tensor1D];
    return { y, mean, variance };
  }
  return tf.tidy(() => {
    const { mean, variance } = tf.moments(x, [...Array(x.rank - 1).keys()]);
    const normalised = tf.batchNorm(x, mean, variance, beta, gamma, epsilon);
    return {
      y: relu ? tf.relu(normalised) : normalised,
      mean: mean as Tensor1D,
      variance: variance as Tensor1D,
    };
  });
}
