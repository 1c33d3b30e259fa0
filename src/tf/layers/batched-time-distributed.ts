import type { layers, Tensor } from '@tensorflow/tfjs';
import { tf } from '../tfjs.js';

type TimeDistributed = ReturnType<typeof tf.layers.timeDistributed>;
type TimeDistributedArgs = Parameters<typeof tf.layers.timeDistributed>[0];
type Kwargs = Parameters<layers.Layer['call']>[1];

/** tfjs-layers' own TimeDistributed class, from the registry that `tf.loadLayersModel` reads. */
const StockTimeDistributed = tf.serialization.SerializationMap.getMap().classNameMap[
  'TimeDistributed'
]![0] as unknown as new (args: TimeDistributedArgs) => TimeDistributed;

/**
 * Inner layers that treat every sample of a batch on its own, in training and inference alike, so that
 * applying them once to all time steps folded into the batch equals applying them step by step. Not
 * batch norm (its training statistics are over the batch) nor anything stateful.
 */
const PER_SAMPLE_LAYERS = new Set(['Conv2D', 'Dense']);

/**
 * tfjs' TimeDistributed layer that applies a per-sample inner layer (a Conv2D, as in `atrousConv2d`) once
 * to the input with its time axis folded into the batch, `[b, t, ...] -> [b * t, ...]`, instead of the
 * stock layer's loop over time steps (`K.rnn`: a transpose to time-major, an unstack, one inner call per
 * step, a stack and a transpose back, and the gradients of each).
 *
 * Why: the dilated convs of the network run as TimeDistributed convs over rate^2 phase images (4 and 16),
 * so the stock layer makes 24 more conv calls per forward pass than the network has convs, each on a
 * small phase image, and as many more for each conv gradient, plus the transposes, stacks and unstacks
 * around them. One conv on the folded batch computes the same outputs (each sample's convolution does
 * not depend on its batch neighbours) in bigger GEMMs.
 *
 * The class name and config stay 'TimeDistributed', so model.json is the stock layers format;
 * {@link registerBatchedTimeDistributed} makes `tf.loadLayersModel` build this class for it. Inner layers
 * other than {@link PER_SAMPLE_LAYERS} get the stock loop.
 */
export class BatchedTimeDistributed extends StockTimeDistributed {
  override call(inputs: Tensor | Tensor[], kwargs: Kwargs): Tensor | Tensor[] {
    const input = Array.isArray(inputs) ? inputs[0]! : inputs;
    const inner = (this as unknown as { layer: layers.Layer }).layer;
    if (!PER_SAMPLE_LAYERS.has(inner.getClassName()) || input.rank < 3) return super.call(inputs, kwargs);
    return tf.tidy(() => {
      const [batch, steps, ...sample] = input.shape as number[];
      const folded = tf.reshape(input, [batch! * steps!, ...sample]);
      const output = inner.call(folded, kwargs);
      const y = Array.isArray(output) ? output[0]! : output;
      return tf.reshape(y, [batch!, steps!, ...y.shape.slice(1)]);
    });
  }
}

/** A {@link BatchedTimeDistributed} layer (like `tf.layers.timeDistributed`). */
export function batchedTimeDistributed(args: TimeDistributedArgs): BatchedTimeDistributed {
  return new BatchedTimeDistributed(args);
}

let registered = false;

/**
 * Makes `tf.loadLayersModel` build {@link BatchedTimeDistributed} for every 'TimeDistributed' layer of a
 * model.json (idempotent), so that loaded models predict with the batched call too. The saved format is
 * unchanged; a model saved here loads anywhere with the stock class.
 */
export function registerBatchedTimeDistributed(): void {
  if (registered) return;
  // Only the class-name entry that deserialisation reads: `registerClass` would also record the class
  // under 'Custom>TimeDistributed'.
  tf.serialization.SerializationMap.register(
    BatchedTimeDistributed as unknown as Parameters<typeof tf.serialization.SerializationMap.register>[0],
  );
  registered = true;
}
