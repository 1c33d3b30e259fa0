/**
 * The compute platform: the only module that exposes TensorFlow.js to the rest of the project.
 *
 * Import `tf` from here, and call {@link selectBackend} once at process start (the API, the worker and
 * the CLI all do); it picks the backend, registers this project's kernels and gradients and returns what
 * it chose.
 */
export { tf } from './tfjs.js';
export {
  AUTO_BACKEND_ORDER,
  backendInfo,
  selectBackend,
  type BackendChoice,
  type BackendInfo,
} from './backend.js';
export {
  fusedTrainingKernelsActive,
  registerWasmTrainingKernels,
  setFusedTrainingKernelsEnabled,
  setSimdConvGradientsEnabled,
  stockWasmKernel,
  WASM_TRAINING_KERNELS,
} from './kernels/index.js';
export { atrousConv2d, type AtrousConv2dOptions } from './layers/atrous-conv2d.js';
export {
  BatchedTimeDistributed,
  batchedTimeDistributed,
  registerBatchedTimeDistributed,
} from './layers/batched-time-distributed.js';
export {
  FusedBatchNormalization,
  fusedBatchNormalization,
  type FusedBatchNormalizationArgs,
} from './layers/fused-batch-normalization.js';
export { ReLUAfterBatchNorm, reLUAfterBatchNorm } from './layers/relu-after-batch-norm.js';
export { modelWithProjectLayers } from './layers/project-layers.js';
export {
  batchNormTraining,
  type BatchNormTrainingOptions,
  type BatchNormTrainingResult,
} from './ops/batch-norm-training.js';
export { maskedL1Loss } from './ops/masked-l1-loss.js';
export { maskedSoftmaxCrossEntropy } from './ops/masked-softmax-cross-entropy.js';
export { FusedAdamOptimizer, fusedAdam } from './optimizers/fused-adam-optimizer.js';
export { fileSystemHandler } from './io/file-system-handler.js';
