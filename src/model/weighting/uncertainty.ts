import type { Scalar, Variable } from '@tensorflow/tfjs';
import { tf } from '../../tf/index.js';
import { isRegression, type PerTask, type Task } from '../tasks.js';
import type { StrategyState, TaskLossTensors, WeightingSnapshot, WeightingStrategy } from './strategy.js';

/** Default initial s = log(sigma^2): 0, i.e. every task starts with sigma = 1 (the paper's choice). */
export const DEFAULT_INITIAL_LOG_VARIANCE = 0;
/**
 * s is clamped to [-6, 6] after every update: exp(6) ~ 400 bounds any task's weight, and keeps a task whose
 * loss reaches ~0 (a trivial batch) from driving its weight to infinity and the total loss to -infinity.
 */
export const LOG_VARIANCE_RANGE: readonly [number, number] = [-6, 6];

/** Which form of the uncertainty loss (Kendall et al. 2018, or Liebel & Koerner 2018's positive variant). */
export type UncertaintyForm = 'uncertainty' | 'uncertainty-positive';

/**
 * Homoscedastic-uncertainty weighting with a learned s_i = log(sigma_i^2) per task.
 *
 * - `uncertainty` (Kendall, Gal & Cipolla): classification exp(-s) L + s/2; regression exp(-s) L / 2 + s/2.
 *   At the optimum with L fixed, s = log L (regression) and s = log 2L (classification).
 * - `uncertainty-positive` (Liebel & Koerner): L / (2 sigma^2) + log(1 + sigma^2) for every task, whose
 *   regulariser stays positive so the total loss cannot go below zero.
 */
export class UncertaintyWeighting implements WeightingStrategy {
  readonly variables: Variable[];
  private readonly logVariances: Variable;

  constructor(
    readonly tasks: readonly Task[],
    readonly name: UncertaintyForm = 'uncertainty',
    initialLogVariance = DEFAULT_INITIAL_LOG_VARIANCE,
  ) {
    // tidy frees the initial value; the variable itself survives it.
    this.logVariances = tf.tidy(() =>
      tf.variable(tf.fill([tasks.length], clamp(initialLogVariance)), true, uniqueName('log_variances')),
    );
    this.variables = [this.logVariances];
  }

  combine(losses: TaskLossTensors): Scalar {
    return tf.tidy(() => {
      const terms = this.tasks.map((task, i) => {
        const loss = losses[task];
        if (loss === undefined) throw new Error(`uncertainty weighting: no loss for task ${task}`);
        const s = tf.squeeze(tf.slice(this.logVariances, [i], [1])) as Scalar;
        return uncertaintyTerm(loss, s, this.name, isRegression(task));
      });
      return tf.addN(terms) as Scalar;
    });
  }

  snapshot(): WeightingSnapshot {
    const s = Array.from(this.logVariances.dataSync());
    const weights: PerTask<number> = {};
    const logVariances: PerTask<number> = {};
    this.tasks.forEach((task, i) => {
      logVariances[task] = s[i]!;
      weights[task] = effectiveWeight(s[i]!, this.name, isRegression(task));
    });
    return { weights, logVariances };
  }

  afterUpdate(): void {
    tf.tidy(() => this.logVariances.assign(tf.clipByValue(this.logVariances, ...LOG_VARIANCE_RANGE)));
  }

  state(): StrategyState {
    return { logVariances: Array.from(this.logVariances.dataSync()) };
  }

  restore(state: StrategyState): void {
    const values = state['logVariances'];
    if (!Array.isArray(values) || values.length !== this.tasks.length) {
      throw new Error('uncertainty weighting: checkpoint has no matching logVariances');
    }
    tf.tidy(() => this.logVariances.assign(tf.tensor1d(values as number[])));
  }

  dispose(): void {
    this.logVariances.dispose();
  }
}

/**
 * One task's weighted loss for a log-variance s. Pure tensor function (tested on its own).
 */
export function uncertaintyTerm(loss: Scalar, s: Scalar, form: UncertaintyForm, regression: boolean): Scalar {
  return tf.tidy(() => {
    if (form === 'uncertainty-positive') {
      // L / (2 sigma^2) + log(1 + sigma^2), with sigma^2 = exp(s); softplus(s) = log(1 + exp(s)) is stable.
      return tf.add(tf.mul(tf.mul(0.5, tf.exp(tf.neg(s))), loss), tf.softplus(s)) as Scalar;
    }
    const scale = regression ? 0.5 : 1;
    return tf.add(tf.mul(tf.mul(scale, tf.exp(tf.neg(s))), loss), tf.mul(0.5, s)) as Scalar;
  });
}

/** The multiplier of the raw loss for a log-variance s. */
export function effectiveWeight(s: number, form: UncertaintyForm, regression: boolean): number {
  return (form === 'uncertainty-positive' || regression ? 0.5 : 1) * Math.exp(-s);
}

function clamp(s: number): number {
  return Math.min(LOG_VARIANCE_RANGE[1], Math.max(LOG_VARIANCE_RANGE[0], s));
}

let counter = 0;
/** tfjs variable names are global; a counter keeps two strategies (or a restored one) from clashing. */
function uniqueName(base: string): string {
  counter += 1;
  return `${base}_${counter}`;
}
