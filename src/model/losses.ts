import type { Scalar, Tensor } from '@tensorflow/tfjs';
import { maskedL1Loss, maskedSoftmaxCrossEntropy, tf } from '../tf/index.js';
import { IGNORE_LABEL } from './postprocess/train-ids.js';

/** Train id that marks unlabelled pixels (CityScapes' convention): excluded from the segmentation loss. */
export { IGNORE_LABEL };

/**
 * Cross-entropy over labelled pixels, averaged over them (0 when none is labelled, not NaN). On wasm one
 * fused kernel each way (see `maskedSoftmaxCrossEntropy` in src/tf), elsewhere tfjs ops.
 *
 * @param logits [B, H, W, C] raw class scores.
 * @param labels [B, H, W] int32 train ids; {@link IGNORE_LABEL} pixels contribute neither loss nor gradient.
 */
export function segmentationLoss(logits: Tensor, labels: Tensor): Scalar {
  return maskedSoftmaxCrossEntropy(logits, labels, IGNORE_LABEL);
}

/**
 * L1 distance between predicted and true centroid offsets, summed over (dx, dy) and averaged over instance
 * pixels (0 when the batch has none). On wasm one fused kernel each way (`maskedL1Loss` in src/tf).
 *
 * @param predicted [B, H, W, 2] offsets in pixels.
 * @param target [B, H, W, 2] offsets in pixels.
 * @param mask [B, H, W, 1] 1 on pixels of thing instances.
 */
export function instanceLoss(predicted: Tensor, target: Tensor, mask: Tensor): Scalar {
  return maskedL1Loss(predicted, target, mask);
}

/**
 * L1 distance between predicted and true disparity (inverse depth, in pixels), averaged over pixels with
 * a valid measurement (0 when none). On wasm one fused kernel each way (`maskedL1Loss` in src/tf).
 *
 * @param predicted [B, H, W, 1] disparity in pixels.
 * @param target [B, H, W, 1] disparity in pixels.
 * @param mask [B, H, W, 1] 1 where the disparity is valid.
 */
export function depthLoss(predicted: Tensor, target: Tensor, mask: Tensor): Scalar {
  return maskedL1Loss(predicted, target, mask);
}

/**
 * sum(values * mask) / max(sum(mask), 1): the mean over masked-in elements, 0 for an empty mask. Masked-out
 * elements get exactly zero gradient, since they are multiplied by 0 before the sum.
 */
export function maskedMean(values: Tensor, mask: Tensor): Scalar {
  return tf.tidy(() => {
    const total = tf.sum(tf.mul(values, mask));
    const count = tf.maximum(tf.sum(mask), 1);
    return tf.div(total, count) as Scalar;
  });
}
