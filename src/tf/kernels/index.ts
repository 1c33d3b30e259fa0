import type { KernelConfig } from '@tensorflow/tfjs';
import { adamUpdateConfig } from './adam-update.js';
import { fusedBatchNormConfig } from './batch-norm-inference.js';
import { batchNormTrainingConfig, batchNormTrainingGradConfig } from './batch-norm-training.js';
import { castConfig } from './cast.js';
import { concatConfig } from './concat.js';
import { conv2dBackpropFilterConfig } from './conv2d-backprop-filter.js';
import { conv2dBackpropInputConfig } from './conv2d-backprop-input.js';
import { identityConfig } from './identity.js';
import { maskedL1LossConfig, maskedL1LossGradConfig } from './masked-l1-loss.js';
import { resizeBilinearGradConfig } from './resize-bilinear-grad.js';
import { sliceConfig } from './slice.js';
import { splitVConfig } from './split-v.js';
import {
  maskedSoftmaxCrossEntropyConfig,
  maskedSoftmaxCrossEntropyGradConfig,
} from './softmax-cross-entropy.js';
import { replaceWasmKernel } from './stock-kernels.js';
import { tileConfig } from './tile.js';
import { transposeConfig } from './transpose.js';
import { unpackConfig } from './unpack.js';
import { unsortedSegmentSumConfig } from './unsorted-segment-sum.js';

export { setSimdConvGradientsEnabled } from './simd/conv-gradients.js';
export { fusedTrainingKernelsActive, setFusedTrainingKernelsEnabled } from './simd/training-kernels.js';
export { stockWasmKernel } from './stock-kernels.js';

/**
 * The kernels this project adds to (or replaces in) tfjs 4.22's wasm backend so that training works, and
 * works at the speed of the forward pass:
 * - Conv2DBackpropFilter: missing ("Kernel 'Conv2DBackpropFilter' not registered for backend 'wasm'").
 * - Conv2DBackpropInput: present, but a scalar reference loop about 10x slower than the forward conv.
 *   Both conv gradients run the hand-written SIMD kernels of simd/conv-gradients.c where those can share
 *   the heap, and formulations on XNNPACK's forward conv elsewhere.
 * - UnsortedSegmentSum: missing; the gradient of `gather` needs it.
 * - Transpose, Unpack, Tile: present, but slow on the shapes training produces (rank-5/6 transposes and
 *   unstacking along axis 1 in the Permute and TimeDistributed layers of `atrousConv2d`, tiles in the
 *   batch-norm gradient: together over half of a training step); replaced by block copies on the heap
 *   (see each file).
 * - Concat, Slice, SplitV: present, but they copy block by block with `set(subarray(...))` (and Slice copies
 *   its whole input out of the heap first); replaced by strided block copies on the heap (simd/copy.c).
 * - ResizeBilinearGrad: present, a scalar scatter; replaced by a separable SIMD kernel
 *   (simd/resize-bilinear-grad.c) for the gradient of the heads' upsampling.
 * - Identity: present, but a full copy; tfjs clones every tensor it saves for the backward pass (~700 per
 *   step), so it is replaced by one that shares the buffer, as Reshape does. Cast to the same dtype
 *   (which the Identity and Multiply gradients run on full tensors) likewise.
 * - FusedBatchNorm (inference-mode batch norm, what a loaded model predicts with): present, but it finds
 *   each element's channel with a modulo; replaced by one SIMD pass with per-channel factors
 *   (simd/batch-norm.c). Not a training kernel, but the evaluation after every epoch and the API run it.
 * - FusedBatchNormTraining(+Grad), MaskedSoftmaxCrossEntropy(+Grad), MaskedL1Loss(+Grad), AdamUpdate: this
 *   project's own fused training kernels (simd/batch-norm.c, softmax-cross-entropy.c, masked-l1.c, adam.c),
 *   which the batch-norm layer, the task losses and the Adam optimizer of src/tf run where they can share
 *   the heap.
 * Every other kernel that training the project's network asks for is stock (found by training it:
 * test/tf/train-step.test.ts fails with "not registered" if one goes missing).
 */
export const WASM_TRAINING_KERNELS: readonly KernelConfig[] = [
  conv2dBackpropFilterConfig,
  conv2dBackpropInputConfig,
  unsortedSegmentSumConfig,
  transposeConfig,
  unpackConfig,
  tileConfig,
  concatConfig,
  sliceConfig,
  splitVConfig,
  identityConfig,
  castConfig,
  resizeBilinearGradConfig,
  fusedBatchNormConfig,
  batchNormTrainingConfig,
  batchNormTrainingGradConfig,
  maskedSoftmaxCrossEntropyConfig,
  maskedSoftmaxCrossEntropyGradConfig,
  maskedL1LossConfig,
  maskedL1LossGradConfig,
  adamUpdateConfig,
];

let registered = false;

/** Registers {@link WASM_TRAINING_KERNELS} for 'wasm' (idempotent), keeping any stock kernel they replace. */
export function registerWasmTrainingKernels(): void {
  if (registered) return;
  for (const config of WASM_TRAINING_KERNELS) replaceWasmKernel(config);
  registered = true;
}
