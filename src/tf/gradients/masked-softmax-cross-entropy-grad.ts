import type { GradConfig, NamedAttrMap, Tensor } from '@tensorflow/tfjs';
import {
  MASKED_SOFTMAX_CROSS_ENTROPY,
  MASKED_SOFTMAX_CROSS_ENTROPY_GRAD,
} from '../kernels/softmax-cross-entropy.js';
import { tf } from '../tfjs.js';

/**
 * Gradient of the fused masked softmax cross-entropy: (softmax - onehot) * dloss / labelled pixels, from
 * the per-pixel log-sum-exp that the forward saved (plus softmax * dlse, should the lse output be used).
 * Labels get a zero gradient, as tf.oneHot's indices do.
 */
export const maskedSoftmaxCrossEntropyGradConfig: GradConfig = {
  kernelName: MASKED_SOFTMAX_CROSS_ENTROPY,
  inputsToSave: ['logits', 'labels'],
  outputsToSave: [false, true],
  gradFunc: (dys: Tensor | Tensor[], saved: Tensor[], attrs: NamedAttrMap) => {
    const [dloss, dlse] = dys as Tensor[];
    const [logits, labels, lse] = saved as [Tensor, Tensor, Tensor];
    return {
      logits: () =>
        tf
          .engine()
          .runKernel(
            MASKED_SOFTMAX_CROSS_ENTROPY_GRAD,
            { logits, labels, lse, dloss: dloss!, dlse: dlse! },
            attrs,
          ) as Tensor,
      labels: () => tf.zeros(labels.shape, 'float32'),
    };
  },
};
