import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import type { TensorInfo } from '@tensorflow/tfjs';
import { tf } from '../tfjs.js';
import {
  requireTrainingKernels,
  type PixelsByChannels,
  type TrainingKernels,
} from './simd/training-kernels.js';
import { wasmKernelConfig, type WasmKernelArgs } from './stock-kernels.js';
import { assertFloat32 } from './wasm-heap.js';

/**
 * Training-mode batch norm over all axes but the last: outputs [y, mean, variance] from inputs x, gamma,
 * beta (attrs: epsilon, relu). A project kernel, registered for wasm only; `batchNormTraining` in
 * src/tf/ops takes tfjs ops on other backends.
 */
export const BATCH_NORM_TRAINING = 'FusedBatchNormTraining';
/** Its gradient: outputs [dx, dgamma, dbeta] from dy, the forward's inputs and outputs and their dys. */
export const BATCH_NORM_TRAINING_GRAD = 'FusedBatchNormTrainingGrad';

/** Attributes of both kernels. */
export interface BatchNormTrainingAttrs {
  epsilon: number;
  /** Whether y is max(normalised, 0) (the ReLU that follows, fused). */
  relu: boolean;
}

/** [pixels, channels] of a channels-last tensor, checking that `perChannel` tensors have [channels]. */
function pixelsByChannels(
  kernel: string,
  x: TensorInfo,
  perChannel: Record<string, TensorInfo>,
): PixelsByChannels {
  const channels = x.shape.at(-1);
  if (channels === undefined || channels === 0) {
    throw new Error(
      `${kernel}: x must have a non-empty last (channel) axis, got shape [${x.shape.join(', ')}]`,
    );
  }
  for (const [name, info] of Object.entries(perChannel)) {
    assertFloat32(kernel, name, info);
    if (info.shape.length !== 1 || info.shape[0] !== channels) {
      throw new Error(`${kernel}: ${name} must have shape [${channels}], got [${info.shape.join(', ')}]`);
    }
  }
  return { pixels: tf.util.sizeFromShape(x.shape) / channels, channels };
}

/** Runs `body` with a scratch buffer of the batch-norm kernels, freed afterwards. */
function withScratch(
  backend: BackendWasm,
  kernels: TrainingKernels,
  channels: number,
  body: (scratch: TensorInfo) => void,
) {
  const scratch = backend.makeOutput([kernels.batchNormScratchFloats(channels)], 'float32');
  try {
    body(scratch);
  } finally {
    backend.disposeData(scratch.dataId);
  }
}

function batchNormTraining(args: WasmKernelArgs): TensorInfo[] {
  const { inputs, backend } = args;
  const attrs = args.attrs as unknown as BatchNormTrainingAttrs;
  const kernels = requireTrainingKernels(BATCH_NORM_TRAINING, backend);
  const x = inputs.x!;
  assertFloat32(BATCH_NORM_TRAINING, 'x', x);
  const size = pixelsByChannels(BATCH_NORM_TRAINING, x, { gamma: inputs.gamma!, beta: inputs.beta! });
  const y = backend.makeOutput([...x.shape], 'float32');
  const mean = backend.makeOutput([size.channels], 'float32');
  const variance = backend.makeOutput([size.channels], 'float32');
  withScratch(backend, kernels, size.channels, (scratch) =>
    kernels.batchNormForward(
      { x, gamma: inputs.gamma!, beta: inputs.beta! },
      { y, mean, variance, scratch },
      size,
      attrs.epsilon,
      attrs.relu,
    ),
  );
  return [y, mean, variance];
}

function batchNormTrainingGrad(args: WasmKernelArgs): TensorInfo[] {
  const { inputs, backend } = args;
  const attrs = args.attrs as unknown as BatchNormTrainingAttrs;
  const kernels = requireTrainingKernels(BATCH_NORM_TRAINING_GRAD, backend);
  const { x, dy, gamma, beta, mean, variance, dmean, dvariance } = inputs as Record<string, TensorInfo>;
  assertFloat32(BATCH_NORM_TRAINING_GRAD, 'x', x!);
  assertFloat32(BATCH_NORM_TRAINING_GRAD, 'dy', dy!);
  if (!tf.util.arraysEqual(x!.shape, dy!.shape)) {
    throw new Error(
      `${BATCH_NORM_TRAINING_GRAD}: dy has shape [${dy!.shape.join(', ')}], x [${x!.shape.join(', ')}]`,
    );
  }
  const perChannel = {
    gamma: gamma!,
    beta: beta!,
    mean: mean!,
    variance: variance!,
    dmean: dmean!,
    dvariance: dvariance!,
  };
  const size = pixelsByChannels(BATCH_NORM_TRAINING_GRAD, x!, perChannel);
  const dx = backend.makeOutput([...x!.shape], 'float32');
  const dgamma = backend.makeOutput([size.channels], 'float32');
  const dbeta = backend.makeOutput([size.channels], 'float32');
  withScratch(backend, kernels, size.channels, (scratch) =>
    kernels.batchNormBackward(
      { x: x!, dy: dy!, ...perChannel },
      { dx, dgamma, dbeta, scratch },
      size,
      attrs.epsilon,
      attrs.relu,
    ),
  );
  return [dx, dgamma, dbeta];
}

/** Kernel registration of the fused training-mode batch norm on wasm. */
export const batchNormTrainingConfig = wasmKernelConfig(BATCH_NORM_TRAINING, batchNormTraining);

/** Kernel registration of its gradient on wasm. */
export const batchNormTrainingGradConfig = wasmKernelConfig(BATCH_NORM_TRAINING_GRAD, batchNormTrainingGrad);
