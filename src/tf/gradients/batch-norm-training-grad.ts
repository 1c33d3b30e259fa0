import type { GradConfig, NamedAttrMap, Tensor } from '@tensorflow/tfjs';
import { BATCH_NORM_TRAINING, BATCH_NORM_TRAINING_GRAD } from '../kernels/batch-norm-training.js';
import { tf } from '../tfjs.js';

/**
 * Gradient of the fused training-mode batch norm: one kernel call for dx, dgamma and dbeta, including the
 * paths through the mean and variance outputs (their dys are zeros unless something uses them).
 *
 * All three are computed up front, when the engine reaches the node: tfjs keeps every gradient of the
 * backward pass until it ends anyway, so nothing is held longer than with separate closures.
 */
export const batchNormTrainingGradConfig: GradConfig = {
  kernelName: BATCH_NORM_TRAINING,
  inputsToSave: ['x', 'gamma', 'beta'],
  outputsToSave: [false, true, true],
  gradFunc: (dys: Tensor | Tensor[], saved: Tensor[], attrs: NamedAttrMap) => {
    const [dy, dmean, dvariance] = dys as Tensor[];
    const [x, gamma, beta, mean, variance] = saved;
    const [dx, dgamma, dbeta] = tf.engine().runKernel(
      BATCH_NORM_TRAINING_GRAD,
      {
        dy: dy!,
        x: x!,
        gamma: gamma!,
        beta: beta!,
        mean: mean!,
        variance: variance!,
        dmean: dmean!,
        dvariance: dvariance!,
      },
      attrs,
    ) as Tensor[];
    return { x: () => dx!, gamma: () => dgamma!, beta: () => dbeta! };
  },
};
