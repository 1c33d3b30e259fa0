import type { Scalar } from '@tensorflow/tfjs';
import { ValidationError } from '../../errors.js';
import { tf } from '../../tf/index.js';
import type { PerTask, Task } from '../tasks.js';
import type { StrategyState, TaskLossTensors, WeightingSnapshot, WeightingStrategy } from './strategy.js';

/**
 * A weighted sum with weights that never change: `equal` (all 1: the "unweighted sum" baseline) or
 * `fixed` (user weights, e.g. the paper's grid-searched 0.89 / 0.01 / 0.1).
 */
export class StaticWeighting implements WeightingStrategy {
  readonly variables = [];
  private readonly weights: PerTask<number>;

  constructor(
    readonly tasks: readonly Task[],
    readonly name: 'fixed' | 'equal',
    weights?: PerTask<number>,
  ) {
    if (name === 'equal') {
      this.weights = Object.fromEntries(tasks.map((task) => [task, 1]));
      return;
    }
    for (const task of tasks) {
      const w = weights?.[task];
      if (w === undefined || !Number.isFinite(w) || w < 0) {
        throw new ValidationError(
          `weighting.weights.${task} must be a number >= 0 for the fixed strategy, got ${w}`,
        );
      }
    }
    this.weights = Object.fromEntries(tasks.map((task) => [task, weights![task]!]));
  }

  combine(losses: TaskLossTensors): Scalar {
    return tf.tidy(() => weightedSum(this.tasks, losses, this.weights));
  }

  snapshot(): WeightingSnapshot {
    return { weights: { ...this.weights } };
  }

  state(): StrategyState {
    return {};
  }

  restore(): void {}

  dispose(): void {}
}

/** sum_i w_i L_i over the tasks; a shared helper of the non-learned strategies. */
export function weightedSum(
  tasks: readonly Task[],
  losses: TaskLossTensors,
  weights: PerTask<number>,
): Scalar {
  return tf.tidy(
    () =>
      tf.addN(
        tasks.map((task) => {
          const loss = losses[task];
          if (loss === undefined) throw new Error(`weighting: no loss for task ${task}`);
          return tf.mul(weights[task] ?? 0, loss);
        }),
      ) as Scalar,
  );
}
