import type { Tensor, Variable } from '@tensorflow/tfjs';
import { ADAM_UPDATE } from '../kernels/adam-update.js';
import { fusedTrainingKernelsActive } from '../kernels/simd/training-kernels.js';
import { tf } from '../tfjs.js';

/** What `applyGradients` takes (tfjs-core's NamedTensor and NamedVariableMap are not exported by name). */
type VariableGradients = Parameters<InstanceType<typeof tf.AdamOptimizer>['applyGradients']>[0];

/** A moment slot as tfjs-core's AdamOptimizer keeps it (its OptimizerVariable is not exported). */
interface MomentSlot {
  originalName: string;
  variable: Variable;
}

/** The stock optimizer's state this subclass reads and writes (private in tfjs-core 4.22's typings). */
interface AdamState {
  accBeta1: Variable;
  accBeta2: Variable;
  accumulatedFirstMoment: MomentSlot[];
  accumulatedSecondMoment: MomentSlot[];
}

/**
 * tfjs' Adam with one kernel call per variable and step on wasm (src/tf/kernels/simd/adam.c: the same
 * float32 arithmetic in the same order, so the same values bit for bit) instead of ~13; other backends run
 * the stock `applyGradients`. Its state is the stock optimizer's own (the same moment variables, names and
 * order, the same beta powers), so `getWeights`/`setWeights`, and the checkpoints built on them, are
 * unchanged, and its class name stays 'Adam'.
 */
export class FusedAdamOptimizer extends tf.AdamOptimizer {
  override applyGradients(variableGradients: VariableGradients): void {
    if (!fusedTrainingKernelsActive()) {
      super.applyGradients(variableGradients);
      return;
    }
    const state = this as unknown as AdamState;
    const names = Array.isArray(variableGradients)
      ? variableGradients.map((v) => v.name)
      : Object.keys(variableGradients);
    tf.tidy(() => {
      names.forEach((name, i) => {
        const value = tf.engine().registeredVariables[name]!;
        state.accumulatedFirstMoment[i] ??= momentSlot(`${name}/m`, value);
        state.accumulatedSecondMoment[i] ??= momentSlot(`${name}/v`, value);
        const gradient = Array.isArray(variableGradients)
          ? variableGradients[i]!.tensor
          : variableGradients[name];
        if (gradient == null) return;
        const m = state.accumulatedFirstMoment[i].variable;
        const v = state.accumulatedSecondMoment[i].variable;
        const [newValue, newM, newV] = tf
          .engine()
          .runKernel(
            ADAM_UPDATE,
            { value, m, v, gradient, accBeta1: state.accBeta1, accBeta2: state.accBeta2 },
            { beta1: this.beta1, beta2: this.beta2, learningRate: this.learningRate, epsilon: this.epsilon },
          ) as [Tensor, Tensor, Tensor];
        m.assign(newM);
        v.assign(newV);
        value.assign(newValue);
      });
      state.accBeta1.assign(tf.mul(state.accBeta1, this.beta1));
      state.accBeta2.assign(tf.mul(state.accBeta2, this.beta2));
    });
    this.incrementIterations();
  }
}

/** A zero-filled, non-trainable moment variable like the stock optimizer makes. */
function momentSlot(originalName: string, like: Variable): MomentSlot {
  return { originalName, variable: tf.tidy(() => tf.zerosLike(like).variable(false)) };
}

/**
 * Adam (like `tf.train.adam`) with the fused update where it is available.
 *
 * @param learningRate - Step size.
 * @param beta1 - Decay of the first moment (default 0.9, as tf.train.adam).
 * @param beta2 - Decay of the second moment (default 0.999).
 * @param epsilon - Added to the root of the second moment (default: the backend's epsilon, as tf.train.adam).
 */
export function fusedAdam(
  learningRate: number,
  beta1 = 0.9,
  beta2 = 0.999,
  epsilon?: number,
): FusedAdamOptimizer {
  return new FusedAdamOptimizer(learningRate, beta1, beta2, epsilon);
}
