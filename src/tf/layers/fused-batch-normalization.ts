import type { layers, LayerVariable, Tensor, Tensor1D } from '@tensorflow/tfjs';
import { fusedTrainingKernelsActive } from '../kernels/simd/training-kernels.js';
import { batchNormTraining } from '../ops/batch-norm-training.js';
import { tf } from '../tfjs.js';
import { markRectified } from './relu-marks.js';

type BatchNormalization = ReturnType<typeof tf.layers.batchNormalization>;
type BatchNormalizationArgs = NonNullable<Parameters<typeof tf.layers.batchNormalization>[0]>;
type Kwargs = Parameters<layers.Layer['call']>[1];

/**
 * tfjs-layers' own BatchNormalization class, from the registry that `tf.loadLayersModel` reads (the class
 * is not exported by name; this module never registers its subclass, so the entry stays the stock one).
 */
const StockBatchNormalization = tf.serialization.SerializationMap.getMap().classNameMap[
  'BatchNormalization'
]![0] as unknown as new (args?: BatchNormalizationArgs) => BatchNormalization;

/** The stock layer's fields this subclass reads (private in tfjs-layers 4.22's typings). */
interface BatchNormalizationFields {
  axis: number;
  momentum: number;
  epsilon: number;
  center: boolean;
  scale: boolean;
  gamma: LayerVariable;
  beta: LayerVariable;
  movingMean: LayerVariable;
  movingVariance: LayerVariable;
}

/** Arguments of {@link FusedBatchNormalization}: the stock layer's, plus `relu`. */
export interface FusedBatchNormalizationArgs extends BatchNormalizationArgs {
  /**
   * The layer's only consumer is a ReLU ({@link ReLUAfterBatchNorm}): in training, return the rectified
   * output, which that ReLU passes through. Not serialised: a saved model has the stock BatchNormalization
   * and ReLU, which compute the same.
   */
  relu?: boolean;
}

/**
 * tfjs' BatchNormalization layer whose training-mode call runs {@link batchNormTraining}: on wasm one fused
 * kernel for the statistics and the normalisation (and the ReLU after it), one for the whole backward,
 * instead of ~25 tfjs kernels. The moving mean and variance are updated exactly as the stock layer does;
 * inference, other backends, and configurations other than channels-last with centre and scale, are the
 * stock layer's own code. Its class name stays 'BatchNormalization' and its config the stock one, so
 * model.json is the stock layers format and loads with a plain `tf.loadLayersModel` anywhere.
 */
export class FusedBatchNormalization extends StockBatchNormalization {
  /** See {@link FusedBatchNormalizationArgs.relu}. */
  readonly relu: boolean;

  constructor(args: FusedBatchNormalizationArgs = {}) {
    const { relu = false, ...stock } = args;
    super(stock);
    this.relu = relu;
  }

  override call(inputs: Tensor | Tensor[], kwargs: Kwargs): Tensor | Tensor[] {
    const fields = this as unknown as BatchNormalizationFields;
    const input = Array.isArray(inputs) ? inputs[0]! : inputs;
    const axis = fields.axis >= 0 ? fields.axis : fields.axis + input.rank;
    const fused =
      kwargs['training'] === true &&
      fields.center &&
      fields.scale &&
      axis === input.rank - 1 &&
      fusedTrainingKernelsActive();
    if (!fused) return super.call(inputs, kwargs);
    return tf.tidy(() => {
      const { y, mean, variance } = batchNormTraining(
        input,
        fields.gamma.read() as Tensor1D,
        fields.beta.read() as Tensor1D,
        { epsilon: fields.epsilon, relu: this.relu },
      );
      movingAverage(fields.movingMean, mean, fields.momentum);
      movingAverage(fields.movingVariance, variance, fields.momentum);
      if (this.relu) markRectified(y);
      return y;
    });
  }
}

/** The stock layer's moving-average update, op for op (so the statistics are bit for bit the same). */
function movingAverage(variable: LayerVariable, value: Tensor, momentum: number): void {
  tf.tidy(() => {
    const decay = 1 - momentum;
    const origValue = variable.read();
    const updateDelta = tf.mul(tf.sub(origValue, value), decay);
    variable.write(tf.sub(origValue, updateDelta));
  });
}

/** A {@link FusedBatchNormalization} layer (like `tf.layers.batchNormalization`). */
export function fusedBatchNormalization(args: FusedBatchNormalizationArgs = {}): FusedBatchNormalization {
  return new FusedBatchNormalization(args);
}
