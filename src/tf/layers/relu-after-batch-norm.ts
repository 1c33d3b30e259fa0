import type { layers, Tensor } from '@tensorflow/tfjs';
import { tf } from '../tfjs.js';
import { isRectified } from './relu-marks.js';

type ReLU = ReturnType<typeof tf.layers.reLU>;
type ReLUArgs = NonNullable<Parameters<typeof tf.layers.reLU>[0]>;
type Kwargs = Parameters<layers.Layer['call']>[1];

/** tfjs-layers' own ReLU class, from the registry that `tf.loadLayersModel` reads. */
const StockReLU = tf.serialization.SerializationMap.getMap().classNameMap['ReLU']![0] as unknown as new (
  args?: ReLUArgs,
) => ReLU;

/**
 * tfjs' ReLU layer that passes through an input which the fused batch norm before it already rectified
 * (see FusedBatchNormalization's `relu`): relu(relu(z)) = relu(z), value and gradient, so skipping it saves
 * a full-size Relu forward and three full-size kernels backward. Any other input (inference, other
 * backends, a stock layer before it) gets the stock ReLU. Class name and config stay 'ReLU'.
 */
export class ReLUAfterBatchNorm extends StockReLU {
  override call(inputs: Tensor | Tensor[], kwargs: Kwargs): Tensor | Tensor[] {
    const input = Array.isArray(inputs) ? inputs[0]! : inputs;
    // tfjs-layers' apply() clones an input returned as is (a zero-copy Identity on wasm).
    if (this.maxValue == null && isRectified(input)) return input;
    return super.call(inputs, kwargs);
  }
}

/** A {@link ReLUAfterBatchNorm} layer (like `tf.layers.reLU`). */
export function reLUAfterBatchNorm(args: ReLUArgs = {}): ReLUAfterBatchNorm {
  return new ReLUAfterBatchNorm(args);
}
