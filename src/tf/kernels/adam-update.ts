import type { TensorInfo } from '@tensorflow/tfjs';
import { tf } from '../tfjs.js';
import { requireTrainingKernels, type AdamConstants } from './simd/training-kernels.js';
import { wasmKernelConfig, type WasmKernelArgs } from './stock-kernels.js';
import { assertFloat32 } from './wasm-heap.js';

/**
 * One Adam step of one variable: outputs [value, m, v] from inputs value, m, v, gradient (all the same
 * shape) and the optimizer's accBeta1, accBeta2 scalars (beta^t); attrs beta1, beta2, learningRate,
 * epsilon. Bit for bit tfjs-core's AdamOptimizer arithmetic (see simd/adam.c). A project kernel for wasm;
 * `FusedAdamOptimizer` (src/tf/optimizers) runs the stock optimizer elsewhere.
 */
export const ADAM_UPDATE = 'AdamUpdate';

function adamUpdate(args: WasmKernelArgs): TensorInfo[] {
  const { inputs, backend } = args;
  const constants = args.attrs as unknown as AdamConstants;
  const kernels = requireTrainingKernels(ADAM_UPDATE, backend);
  const { value, m, v, gradient, accBeta1, accBeta2 } = inputs as Record<string, TensorInfo>;
  for (const [name, info] of Object.entries({ m, v, gradient })) {
    assertFloat32(ADAM_UPDATE, name, info!);
    if (!tf.util.arraysEqual(info!.shape, value!.shape)) {
      throw new Error(
        `${ADAM_UPDATE}: ${name} has shape [${info!.shape.join(', ')}], value [${value!.shape.join(', ')}]`,
      );
    }
  }
  assertFloat32(ADAM_UPDATE, 'value', value!);
  for (const [name, info] of Object.entries({ accBeta1, accBeta2 })) {
    assertFloat32(ADAM_UPDATE, name, info!);
    if (tf.util.sizeFromShape(info!.shape) !== 1) throw new Error(`${ADAM_UPDATE}: ${name} must be a scalar`);
  }
  const outputs = {
    value: backend.makeOutput([...value!.shape], 'float32'),
    m: backend.makeOutput([...value!.shape], 'float32'),
    v: backend.makeOutput([...value!.shape], 'float32'),
  };
  kernels.adamUpdate(
    { value: value!, m: m!, v: v!, gradient: gradient!, accBeta1: accBeta1!, accBeta2: accBeta2! },
    outputs,
    constants,
  );
  return [outputs.value, outputs.m, outputs.v];
}

/** Kernel registration of the fused Adam step on wasm. */
export const adamUpdateConfig = wasmKernelConfig(ADAM_UPDATE, adamUpdate);
