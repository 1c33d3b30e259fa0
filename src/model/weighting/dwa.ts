import type { Scalar } from '@tensorflow/tfjs';
import type { PerTask, Task } from '../tasks.js';
import { weightedSum } from './static.js';
import type { StrategyState, TaskLossTensors, WeightingSnapshot, WeightingStrategy } from './strategy.js';

/** DWA's temperature: 2, as in Liu, Johns & Davison (CVPR 2019); higher T flattens the weights. */
export const DEFAULT_DWA_TEMPERATURE = 2;

/**
 * Dynamic Weight Average (Liu et al. 2019): w_i = K exp(r_i / T) / sum_j exp(r_j / T), with
 * r_i = L_i(t-1) / L_i(t-2) the ratio of a task's mean loss over the last two epochs; a task whose loss
 * falls slowly gets more weight. The first two epochs use weight 1 for every task.
 */
export class DwaWeighting implements WeightingStrategy {
  readonly name = 'dwa' as const;
  readonly variables = [];
  private history: PerTask<number>[] = [];
  private weights: PerTask<number>;

  constructor(
    readonly tasks: readonly Task[],
    private readonly temperature = DEFAULT_DWA_TEMPERATURE,
  ) {
    this.weights = Object.fromEntries(tasks.map((task) => [task, 1]));
  }

  combine(losses: TaskLossTensors): Scalar {
    return weightedSum(this.tasks, losses, this.weights);
  }

  snapshot(): WeightingSnapshot {
    return { weights: { ...this.weights } };
  }

  onEpochEnd(meanLosses: PerTask<number>): void {
    this.history = [...this.history, meanLosses].slice(-2);
    this.weights = dwaWeights(this.tasks, this.history, this.temperature);
  }

  state(): StrategyState {
    return { history: this.history };
  }

  restore(state: StrategyState): void {
    this.history = (state['history'] as PerTask<number>[] | undefined) ?? [];
    this.weights = dwaWeights(this.tasks, this.history, this.temperature);
  }

  dispose(): void {}
}

/** DWA weights from the last two epochs' mean losses (all 1 until two epochs are known). */
export function dwaWeights(
  tasks: readonly Task[],
  history: readonly PerTask<number>[],
  temperature: number,
): PerTask<number> {
  const [previous, last] = history.length >= 2 ? [history.at(-2)!, history.at(-1)!] : [undefined, undefined];
  if (previous === undefined || last === undefined) return Object.fromEntries(tasks.map((task) => [task, 1]));
  const ratios = tasks.map((task) => (last[task] ?? 0) / Math.max(previous[task] ?? 0, 1e-12));
  const exps = ratios.map((r) => Math.exp(r / temperature));
  const total = exps.reduce((a, b) => a + b, 0);
  return Object.fromEntries(tasks.map((task, i) => [task, (tasks.length * exps[i]!) / total]));
}
