import type { TensorInfo } from '@tensorflow/tfjs';
import { tf } from '../tfjs.js';
import { requireTrainingKernels, type PixelsByChannels } from './simd/training-kernels.js';
import { wasmKernelConfig, type WasmKernelArgs } from './stock-kernels.js';
import { assertFloat32 } from './wasm-heap.js';

/**
 * The masked L1 loss sum_p mask[p] * sum_c |predicted - target| / max(sum_p mask[p], 1): output the loss
 * (scalar) from inputs predicted and target [..., C] and mask [..., 1]. A project kernel, registered for
 * wasm only; `maskedL1Loss` in src/tf/ops takes tfjs ops on other backends.
 */
export const MASKED_L1_LOSS = 'MaskedL1Loss';
/** Its gradient for one input (attr `wrt`: 0 predicted, 1 target, 2 mask) from the inputs and dloss. */
export const MASKED_L1_LOSS_GRAD = 'MaskedL1LossGrad';

/** Whether the kernels take these shapes: predicted and target alike, mask the same with one channel. */
export function maskedL1Shapes(predicted: number[], target: number[], mask: number[]): boolean {
  return (
    predicted.length > 0 &&
    tf.util.arraysEqual(predicted, target) &&
    tf.util.arraysEqual(mask, [...predicted.slice(0, -1), 1])
  );
}

function checked(kernel: string, inputs: WasmKernelArgs['inputs']): PixelsByChannels {
  const { predicted, target, mask } = inputs as Record<string, TensorInfo>;
  for (const [name, info] of Object.entries({ predicted, target, mask })) assertFloat32(kernel, name, info!);
  if (!maskedL1Shapes(predicted!.shape, target!.shape, mask!.shape)) {
    throw new Error(
      `${kernel}: predicted [${predicted!.shape.join(', ')}] and target [${target!.shape.join(', ')}] must match and the mask [${mask!.shape.join(', ')}] have one channel`,
    );
  }
  const channels = predicted!.shape.at(-1)!;
  return { pixels: tf.util.sizeFromShape(mask!.shape), channels };
}

function maskedL1Loss(args: WasmKernelArgs): TensorInfo {
  const { inputs, backend } = args;
  const kernels = requireTrainingKernels(MASKED_L1_LOSS, backend);
  const size = checked(MASKED_L1_LOSS, inputs);
  const loss = backend.makeOutput([], 'float32');
  const { predicted, target, mask } = inputs as Record<string, TensorInfo>;
  kernels.maskedL1Forward({ predicted: predicted!, target: target!, mask: mask! }, loss, size);
  return loss;
}

function maskedL1LossGrad(args: WasmKernelArgs): TensorInfo {
  const { inputs, backend } = args;
  const wrt = args.attrs.wrt as 0 | 1 | 2;
  const kernels = requireTrainingKernels(MASKED_L1_LOSS_GRAD, backend);
  const size = checked(MASKED_L1_LOSS_GRAD, inputs);
  const { predicted, target, mask, dloss } = inputs as Record<string, TensorInfo>;
  const out = backend.makeOutput([...(wrt === 2 ? mask! : predicted!).shape], 'float32');
  kernels.maskedL1Backward(
    { predicted: predicted!, target: target!, mask: mask!, dloss: dloss! },
    out,
    size,
    wrt,
  );
  return out;
}

/** Kernel registration of the fused masked L1 loss on wasm. */
export const maskedL1LossConfig = wasmKernelConfig(MASKED_L1_LOSS, maskedL1Loss);

/** Kernel registration of its gradient on wasm. */
export const maskedL1LossGradConfig = wasmKernelConfig(MASKED_L1_LOSS_GRAD, maskedL1LossGrad);
