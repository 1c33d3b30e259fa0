import type { GradConfig, Tensor } from '@tensorflow/tfjs';
import { MASKED_L1_LOSS, MASKED_L1_LOSS_GRAD } from '../kernels/masked-l1-loss.js';
import { tf } from '../tfjs.js';

/**
 * Gradient of the fused masked L1 loss: one kernel call per input that the backward pass asks for (in
 * training only `predicted`, the network's output), each from the saved inputs.
 */
export const maskedL1LossGradConfig: GradConfig = {
  kernelName: MASKED_L1_LOSS,
  inputsToSave: ['predicted', 'target', 'mask'],
  gradFunc: (dy: Tensor | Tensor[], saved: Tensor[]) => {
    const [predicted, target, mask] = saved as [Tensor, Tensor, Tensor];
    const grad = (wrt: 0 | 1 | 2) => () =>
      tf
        .engine()
        .runKernel(MASKED_L1_LOSS_GRAD, { predicted, target, mask, dloss: dy as Tensor }, { wrt }) as Tensor;
    return { predicted: grad(0), target: grad(1), mask: grad(2) };
  },
};
