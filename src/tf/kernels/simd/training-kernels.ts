import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import type { TensorInfo } from '@tensorflow/tfjs';
import { tf } from '../../tfjs.js';
import { HeapModule } from './heap-module.js';
import { TRAINING_KERNELS_WASM_BASE64 } from './training-kernels.wasm.js';

/** Shape of a channels-last tensor flattened to [pixels, channels], as the kernels take it. */
export interface PixelsByChannels {
  pixels: number;
  channels: number;
}

/** The arithmetic constants of one Adam step (see adam.c); float32 rounding is done on the way in. */
export interface AdamConstants {
  beta1: number;
  beta2: number;
  learningRate: number;
  epsilon: number;
}

/**
 * The kernels of the training module (batch-norm.c, softmax-cross-entropy.c, masked-l1.c, adam.c,
 * resize-bilinear-grad.c, copy.c), bound to one tfjs wasm
 * backend's heap: they read their inputs and write their (freshly allocated) outputs in place by heap
 * offset. None of them ever writes into an input.
 */
export interface TrainingKernels {
  /** Float32 elements of scratch that both batch-norm kernels need. */
  batchNormScratchFloats(channels: number): number;
  /** y, mean, variance from x, gamma, beta (see batch-norm.c). */
  batchNormForward(
    inputs: { x: TensorInfo; gamma: TensorInfo; beta: TensorInfo },
    outputs: { y: TensorInfo; mean: TensorInfo; variance: TensorInfo; scratch: TensorInfo },
    size: PixelsByChannels,
    epsilon: number,
    relu: boolean,
  ): void;
  /**
   * Inference-mode batch norm, y from x and per-channel mean, variance, beta, gamma; `scratch` holds
   * `channels` floats (see batch-norm.c).
   */
  batchNormInference(
    inputs: { x: TensorInfo; mean: TensorInfo; variance: TensorInfo; beta: TensorInfo; gamma: TensorInfo },
    outputs: { y: TensorInfo; scratch: TensorInfo },
    size: PixelsByChannels,
    epsilon: number,
  ): void;
  /** dx, dgamma, dbeta from dy and what the forward saw and made. */
  batchNormBackward(
    inputs: {
      x: TensorInfo;
      dy: TensorInfo;
      gamma: TensorInfo;
      beta: TensorInfo;
      mean: TensorInfo;
      variance: TensorInfo;
      dmean: TensorInfo;
      dvariance: TensorInfo;
    },
    outputs: { dx: TensorInfo; dgamma: TensorInfo; dbeta: TensorInfo; scratch: TensorInfo },
    size: PixelsByChannels,
    epsilon: number,
    relu: boolean,
  ): void;
  /** Per-pixel log-sum-exp and the masked mean loss (see softmax-cross-entropy.c). */
  softmaxCrossEntropyForward(
    inputs: { logits: TensorInfo; labels: TensorInfo },
    outputs: { lse: TensorInfo; loss: TensorInfo },
    size: PixelsByChannels,
    ignoreLabel: number,
  ): void;
  /** dlogits from the loss' and the lse's gradients. */
  softmaxCrossEntropyBackward(
    inputs: { logits: TensorInfo; labels: TensorInfo; lse: TensorInfo; dloss: TensorInfo; dlse: TensorInfo },
    dlogits: TensorInfo,
    size: PixelsByChannels,
    ignoreLabel: number,
  ): void;
  /** The masked L1 loss (see masked-l1.c). */
  maskedL1Forward(
    inputs: { predicted: TensorInfo; target: TensorInfo; mask: TensorInfo },
    loss: TensorInfo,
    size: PixelsByChannels,
  ): void;
  /** Its gradient for one input: 0 predicted, 1 target, 2 mask. */
  maskedL1Backward(
    inputs: { predicted: TensorInfo; target: TensorInfo; mask: TensorInfo; dloss: TensorInfo },
    out: TensorInfo,
    size: PixelsByChannels,
    wrt: 0 | 1 | 2,
  ): void;
  /** Float32 elements of scratch that the resize gradient needs. */
  resizeScratchFloats(geometry: ResizeGeometry): number;
  /** dx = gradient of a bilinear resize for dy (see resize-bilinear-grad.c). */
  resizeBilinearGrad(dy: TensorInfo, dx: TensorInfo, scratch: TensorInfo, geometry: ResizeGeometry): void;
  /**
   * Copies `count` blocks of `elements` 4-byte elements from `src` (block i at element offset
   * srcStart + i * srcStride) to `dst` (dstStart + i * dstStride); see copy.c.
   */
  copyBlocks(dst: CopyEnd, src: CopyEnd, count: number, elements: number): void;
  /** One Adam step of one variable (see adam.c). */
  adamUpdate(
    inputs: {
      value: TensorInfo;
      m: TensorInfo;
      v: TensorInfo;
      gradient: TensorInfo;
      accBeta1: TensorInfo;
      accBeta2: TensorInfo;
    },
    outputs: { value: TensorInfo; m: TensorInfo; v: TensorInfo },
    constants: AdamConstants,
  ): void;
}

/** What the resize gradient takes: NHWC sizes and the source step per destination row / column. */
export interface ResizeGeometry {
  batch: number;
  inH: number;
  inW: number;
  outH: number;
  outW: number;
  channels: number;
  scaleH: number;
  scaleW: number;
}

/** One side of {@link TrainingKernels.copyBlocks}: a tensor, an element offset in it and a block stride. */
export interface CopyEnd {
  tensor: TensorInfo;
  start: number;
  stride: number;
}

/** The C functions, with tensors as heap byte offsets. */
interface KernelExports {
  batch_norm_scratch_floats(channels: number): number;
  batch_norm_forward_f32(...args: number[]): void;
  batch_norm_backward_f32(...args: number[]): void;
  batch_norm_inference_f32(...args: number[]): void;
  softmax_cross_entropy_forward_f32(...args: number[]): void;
  softmax_cross_entropy_backward_f32(...args: number[]): void;
  adam_update_f32(...args: number[]): void;
  masked_l1_forward_f32(...args: number[]): void;
  masked_l1_backward_f32(...args: number[]): void;
  resize_bilinear_scratch_floats(outW: number, channels: number): number;
  resize_bilinear_grad_f32(...args: number[]): void;
  copy_blocks(...args: number[]): void;
}

const module = new HeapModule<KernelExports>(TRAINING_KERNELS_WASM_BASE64);
const bound = new WeakMap<BackendWasm, TrainingKernels | null>();
let enabled = true;

/**
 * Switches the fused training kernels off (or back on): batch norm, the segmentation loss and Adam then
 * take tfjs' stock path, so that tests and benchmarks can compare the two in one process. Returns the
 * previous setting.
 */
export function setFusedTrainingKernelsEnabled(on: boolean): boolean {
  const previous = enabled;
  enabled = on;
  return previous;
}

/**
 * The kernels of the module for `backend`, or undefined where they cannot share its heap, whatever
 * {@link setFusedTrainingKernelsEnabled} says: for the kernels that replace stock ones (resize, data
 * movement), which benchmarks swap like any registered kernel.
 */
export function heapKernels(backend: BackendWasm): TrainingKernels | undefined {
  let kernels = bound.get(backend);
  if (kernels === undefined) {
    const exports = module.exportsFor(backend);
    kernels = exports === undefined ? null : bind(backend, exports);
    bound.set(backend, kernels);
  }
  return kernels ?? undefined;
}

/** The fused training kernels for `backend`, or undefined where they are off or cannot share its heap. */
export function trainingKernels(backend: BackendWasm): TrainingKernels | undefined {
  return enabled ? heapKernels(backend) : undefined;
}

/**
 * The fused training kernels for `backend`, for the kernel functions that run them.
 *
 * @throws Error naming `kernel` where they are off or cannot share the heap (the ops in src/tf/ops never
 * call these kernels then: they take tfjs ops).
 */
export function requireTrainingKernels(kernel: string, backend: BackendWasm): TrainingKernels {
  const kernels = trainingKernels(backend);
  if (kernels === undefined) {
    throw new Error(
      `${kernel}: the fused training kernels are off or cannot share this wasm heap; call the op in src/tf/ops, which then takes tfjs ops`,
    );
  }
  return kernels;
}

function bind(backend: BackendWasm, exports: KernelExports): TrainingKernels {
  const at = (info: TensorInfo): number => backend.getMemoryOffset(info.dataId);
  return {
    batchNormScratchFloats: (channels) => exports.batch_norm_scratch_floats(channels),
    batchNormForward(i, o, size, epsilon, relu) {
      exports.batch_norm_forward_f32(
        ...[i.x, i.gamma, i.beta, o.y, o.mean, o.variance, o.scratch].map(at),
        size.pixels,
        size.channels,
        epsilon,
        relu ? 1 : 0,
      );
    },
    batchNormInference(i, o, size, epsilon) {
      exports.batch_norm_inference_f32(
        ...[i.x, i.mean, i.variance, i.beta, i.gamma, o.y, o.scratch].map(at),
        size.pixels,
        size.channels,
        epsilon,
      );
    },
    batchNormBackward(i, o, size, epsilon, relu) {
      exports.batch_norm_backward_f32(
        ...[i.x, i.dy, i.gamma, i.beta, i.mean, i.variance, i.dmean, i.dvariance].map(at),
        ...[o.dx, o.dgamma, o.dbeta, o.scratch].map(at),
        size.pixels,
        size.channels,
        epsilon,
        relu ? 1 : 0,
      );
    },
    softmaxCrossEntropyForward(i, o, size, ignoreLabel) {
      exports.softmax_cross_entropy_forward_f32(
        ...[i.logits, i.labels, o.lse, o.loss].map(at),
        size.pixels,
        size.channels,
        ignoreLabel,
      );
    },
    softmaxCrossEntropyBackward(i, dlogits, size, ignoreLabel) {
      exports.softmax_cross_entropy_backward_f32(
        ...[i.logits, i.labels, i.lse, i.dloss, i.dlse, dlogits].map(at),
        size.pixels,
        size.channels,
        ignoreLabel,
      );
    },
    maskedL1Forward(i, loss, size) {
      exports.masked_l1_forward_f32(
        ...[i.predicted, i.target, i.mask, loss].map(at),
        size.pixels,
        size.channels,
      );
    },
    maskedL1Backward(i, out, size, wrt) {
      exports.masked_l1_backward_f32(
        ...[i.predicted, i.target, i.mask, i.dloss, out].map(at),
        size.pixels,
        size.channels,
        wrt,
      );
    },
    resizeScratchFloats: (g) => exports.resize_bilinear_scratch_floats(g.outW, g.channels),
    resizeBilinearGrad(dy, dx, scratch, g) {
      exports.resize_bilinear_grad_f32(at(dy), at(dx), at(scratch), ...resizeArgs(g));
    },
    copyBlocks(dst, src, count, elements) {
      exports.copy_blocks(
        at(dst.tensor) + 4 * dst.start,
        4 * dst.stride,
        at(src.tensor) + 4 * src.start,
        4 * src.stride,
        count,
        4 * elements,
      );
    },
    adamUpdate(i, o, c) {
      exports.adam_update_f32(
        ...[i.value, i.m, i.v, i.gradient, i.accBeta1, i.accBeta2, o.value, o.m, o.v].map(at),
        elementCount(i.value),
        c.beta1,
        c.beta2,
        Math.fround(1 - c.beta1),
        Math.fround(1 - c.beta2),
        -c.learningRate,
        c.epsilon,
      );
    },
  };
}

function resizeArgs(g: ResizeGeometry): number[] {
  return [g.batch, g.inH, g.inW, g.outH, g.outW, g.channels, g.scaleH, g.scaleW];
}

/** Element count of a tensor (the Adam kernel's n). */
function elementCount(info: TensorInfo): number {
  return info.shape.reduce((a, b) => a * b, 1);
}

/**
 * Whether the fused training kernels run on the active backend (wasm, with the kernels switched on and
 * bound to its heap): the ops, layers and optimizer of src/tf take them then, and tfjs ops otherwise.
 */
export function fusedTrainingKernelsActive(): boolean {
  return tf.getBackend() === 'wasm' && trainingKernels(tf.backend() as BackendWasm) !== undefined;
}
