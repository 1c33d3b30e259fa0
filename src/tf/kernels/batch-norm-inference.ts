import type { FusedBatchNormAttrs, TensorInfo } from '@tensorflow/tfjs';
import { tf } from '../tfjs.js';
import { heapKernels } from './simd/training-kernels.js';
import { runStockWasmKernel, wasmKernelConfig, type WasmKernelArgs } from './stock-kernels.js';

/** tfjs' name of the inference-mode batch norm kernel (`tf.batchNorm`). */
const FUSED_BATCH_NORM = 'FusedBatchNorm';

/** Whether `info` is a float32 vector of `channels` values (any rank with one non-unit axis, the last). */
function isChannelVector(info: TensorInfo | undefined, channels: number): info is TensorInfo {
  return (
    info !== undefined &&
    info.dtype === 'float32' &&
    info.shape.at(-1) === channels &&
    tf.util.sizeFromShape(info.shape) === channels
  );
}

/**
 * FusedBatchNorm (`tf.batchNorm`, what a loaded model's BatchNormalization layers run at prediction) on the
 * wasm backend: one SIMD pass of `(x - mean) * gamma / sqrt(variance + eps) + beta` with the per-channel
 * factors computed once (simd/batch-norm.c). The stock kernel finds every element's channel with a modulo
 * and reads all four vectors per element: 2.8 ms of a 22 ms forward pass at 128x256 (bench/results/
 * vs-pytorch.md). Only float32 channels-last calls with all four per-channel vectors are taken here; any
 * other broadcast (a scalar mean, a missing offset or scale, statistics over another axis) goes to the
 * stock kernel.
 */
function fusedBatchNorm(args: WasmKernelArgs): TensorInfo {
  const { inputs, backend } = args;
  const { x, mean, variance, offset, scale } = inputs;
  const { varianceEpsilon } = args.attrs as unknown as FusedBatchNormAttrs;
  const channels = x?.shape.at(-1) ?? 0;
  const perChannel = [mean, variance, offset, scale].every((v) => isChannelVector(v, channels));
  const kernels = x?.dtype === 'float32' && channels > 0 && perChannel ? heapKernels(backend) : undefined;
  if (kernels === undefined) return runStockWasmKernel(FUSED_BATCH_NORM, args) as TensorInfo;
  const y = backend.makeOutput([...x!.shape], 'float32');
  const pixels = tf.util.sizeFromShape(x!.shape) / channels;
  if (pixels === 0) return y;
  const scratch = backend.makeOutput([channels], 'float32');
  try {
    kernels.batchNormInference(
      { x: x!, mean: mean!, variance: variance!, beta: offset!, gamma: scale! },
      { y, scratch },
      { pixels, channels },
      varianceEpsilon,
    );
  } finally {
    backend.disposeData(scratch.dataId);
  }
  return y;
}

/** Kernel registration of the inference-mode batch norm on wasm. */
export const fusedBatchNormConfig = wasmKernelConfig(FUSED_BATCH_NORM, fusedBatchNorm);
