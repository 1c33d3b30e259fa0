import type { TensorInfo } from '@tensorflow/tfjs';
import { tf } from '../tfjs.js';
import { requireTrainingKernels, type PixelsByChannels } from './simd/training-kernels.js';
import { wasmKernelConfig, type WasmKernelArgs } from './stock-kernels.js';
import { assertFloat32 } from './wasm-heap.js';

/**
 * Softmax cross-entropy over the last axis with an ignore label, averaged over the labelled pixels:
 * outputs [loss (scalar), lse (logits' shape without the class axis)] from inputs logits (float32) and
 * labels (int32, the logits' shape without the class axis); attr ignoreLabel. A project kernel, registered
 * for wasm only; `maskedSoftmaxCrossEntropy` in src/tf/ops takes tfjs ops on other backends.
 */
export const MASKED_SOFTMAX_CROSS_ENTROPY = 'MaskedSoftmaxCrossEntropy';
/** Its gradient: dlogits from logits, labels, lse and the dys of both outputs (dloss, dlse). */
export const MASKED_SOFTMAX_CROSS_ENTROPY_GRAD = 'MaskedSoftmaxCrossEntropyGrad';

/** Attributes of both kernels. */
export interface MaskedSoftmaxCrossEntropyAttrs {
  /** Label value of pixels that count neither in the loss nor in the gradient. */
  ignoreLabel: number;
}

/** [pixels, classes] of the logits, checking the labels (and lse) against them. */
function pixelsByClasses(
  kernel: string,
  logits: TensorInfo,
  perPixel: Record<string, TensorInfo>,
): PixelsByChannels {
  assertFloat32(kernel, 'logits', logits);
  const classes = logits.shape.at(-1);
  if (classes === undefined || classes === 0) {
    throw new Error(
      `${kernel}: logits must have a non-empty last (class) axis, got [${logits.shape.join(', ')}]`,
    );
  }
  const pixelShape = logits.shape.slice(0, -1);
  for (const [name, info] of Object.entries(perPixel)) {
    if (!tf.util.arraysEqual(info.shape, pixelShape)) {
      throw new Error(
        `${kernel}: ${name} must have shape [${pixelShape.join(', ')}] (the logits' without classes), got [${info.shape.join(', ')}]`,
      );
    }
  }
  if (perPixel.labels?.dtype !== 'int32') throw new Error(`${kernel}: labels must be int32`);
  return { pixels: tf.util.sizeFromShape(pixelShape), channels: classes };
}

function maskedSoftmaxCrossEntropy(args: WasmKernelArgs): TensorInfo[] {
  const { inputs, backend } = args;
  const { ignoreLabel } = args.attrs as unknown as MaskedSoftmaxCrossEntropyAttrs;
  const kernels = requireTrainingKernels(MASKED_SOFTMAX_CROSS_ENTROPY, backend);
  const logits = inputs.logits!;
  const labels = inputs.labels!;
  const size = pixelsByClasses(MASKED_SOFTMAX_CROSS_ENTROPY, logits, { labels });
  const loss = backend.makeOutput([], 'float32');
  const lse = backend.makeOutput(logits.shape.slice(0, -1), 'float32');
  kernels.softmaxCrossEntropyForward({ logits, labels }, { lse, loss }, size, ignoreLabel);
  return [loss, lse];
}

function maskedSoftmaxCrossEntropyGrad(args: WasmKernelArgs): TensorInfo {
  const { inputs, backend } = args;
  const { ignoreLabel } = args.attrs as unknown as MaskedSoftmaxCrossEntropyAttrs;
  const kernels = requireTrainingKernels(MASKED_SOFTMAX_CROSS_ENTROPY_GRAD, backend);
  const { logits, labels, lse, dloss, dlse } = inputs as Record<string, TensorInfo>;
  const size = pixelsByClasses(MASKED_SOFTMAX_CROSS_ENTROPY_GRAD, logits!, {
    labels: labels!,
    lse: lse!,
    dlse: dlse!,
  });
  assertFloat32(MASKED_SOFTMAX_CROSS_ENTROPY_GRAD, 'dloss', dloss!);
  if (dloss!.shape.length !== 0)
    throw new Error(`${MASKED_SOFTMAX_CROSS_ENTROPY_GRAD}: dloss must be a scalar`);
  const dlogits = backend.makeOutput([...logits!.shape], 'float32');
  kernels.softmaxCrossEntropyBackward(
    { logits: logits!, labels: labels!, lse: lse!, dloss: dloss!, dlse: dlse! },
    dlogits,
    size,
    ignoreLabel,
  );
  return dlogits;
}

/** Kernel registration of the fused masked softmax cross-entropy on wasm. */
export const maskedSoftmaxCrossEntropyConfig = wasmKernelConfig(
  MASKED_SOFTMAX_CROSS_ENTROPY,
  maskedSoftmaxCrossEntropy,
);

/** Kernel registration of its gradient on wasm. */
export const maskedSoftmaxCrossEntropyGradConfig = wasmKernelConfig(
  MASKED_SOFTMAX_CROSS_ENTROPY_GRAD,
  maskedSoftmaxCrossEntropyGrad,
);
