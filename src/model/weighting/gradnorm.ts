import type { Scalar } from '@tensorflow/tfjs';
import type { PerTask, Task } from '../tasks.js';
import { weightedSum } from './static.js';
import type { StrategyState, TaskLossTensors, WeightingSnapshot, WeightingStrategy } from './strategy.js';

/** GradNorm's asymmetry alpha: 1.5, the value Chen et al. (ICML 2018) use for NYUv2 multi-task runs. */
export const DEFAULT_GRADNORM_ALPHA = 1.5;
/** Learning rate of the task weights: 0.025, as in the GradNorm paper. */
export const DEFAULT_GRADNORM_LEARNING_RATE = 0.025;
/** Weights are kept above this so that no task is switched off entirely. */
const MIN_WEIGHT = 1e-3;

/**
 * GradNorm (Chen et al. 2018): adapts w_i so that the norms of the weighted task gradients at the last
 * shared layer, G_i = w_i ||grad_W L_i||, move towards mean(G) * r_i^alpha, where r_i is task i's relative
 * inverse training rate (L_i(t)/L_i(0) over its mean). The update is the gradient of
 * sum_i |G_i - target_i| in w_i with targets held constant, followed by renormalising sum w_i to the number
 * of tasks. The trainer supplies ||grad_W L_i|| every step ({@link needsTaskGradientNorms}).
 */
export class GradNormWeighting implements WeightingStrategy {
  readonly name = 'gradnorm' as const;
  readonly variables = [];
  readonly needsTaskGradientNorms = true;
  private weights: PerTask<number>;
  private initialLosses: PerTask<number> | undefined;

  constructor(
    readonly tasks: readonly Task[],
    private readonly alpha = DEFAULT_GRADNORM_ALPHA,
    private readonly learningRate = DEFAULT_GRADNORM_LEARNING_RATE,
  ) {
    this.weights = Object.fromEntries(tasks.map((task) => [task, 1]));
  }

  combine(losses: TaskLossTensors): Scalar {
    return weightedSum(this.tasks, losses, this.weights);
  }

  snapshot(): WeightingSnapshot {
    return { weights: { ...this.weights } };
  }

  afterStep({
    rawLosses,
    gradientNorms,
  }: {
    rawLosses: PerTask<number>;
    gradientNorms?: PerTask<number>;
  }): void {
    if (gradientNorms === undefined) throw new Error('gradnorm: the trainer did not supply gradient norms');
    this.initialLosses ??= { ...rawLosses };
    this.weights = gradNormUpdate({
      tasks: this.tasks,
      weights: this.weights,
      rawLosses,
      initialLosses: this.initialLosses,
      gradientNorms,
      alpha: this.alpha,
      learningRate: this.learningRate,
    });
  }

  state(): StrategyState {
    return { weights: this.weights, initialLosses: this.initialLosses };
  }

  restore(state: StrategyState): void {
    this.weights = (state['weights'] as PerTask<number> | undefined) ?? this.weights;
    this.initialLosses = state['initialLosses'] as PerTask<number> | undefined;
  }

  dispose(): void {}
}

/** One GradNorm step on plain numbers (pure, tested on its own). */
export function gradNormUpdate(args: {
  tasks: readonly Task[];
  weights: PerTask<number>;
  rawLosses: PerTask<number>;
  initialLosses: PerTask<number>;
  gradientNorms: PerTask<number>;
  alpha: number;
  learningRate: number;
}): PerTask<number> {
  const { tasks, weights, rawLosses, initialLosses, gradientNorms, alpha, learningRate } = args;
  const norms = tasks.map((task) => gradientNorms[task] ?? 0);
  const weighted = tasks.map((task, i) => (weights[task] ?? 1) * norms[i]!);
  const meanNorm = weighted.reduce((a, b) => a + b, 0) / tasks.length;
  const ratios = tasks.map((task) => (rawLosses[task] ?? 0) / Math.max(initialLosses[task] ?? 0, 1e-12));
  const meanRatio = ratios.reduce((a, b) => a + b, 0) / tasks.length;
  const updated = tasks.map((task, i) => {
    const target = meanNorm * Math.pow(ratios[i]! / Math.max(meanRatio, 1e-12), alpha);
    const gradient = Math.sign(weighted[i]! - target) * norms[i]!;
    return Math.max(MIN_WEIGHT, (weights[task] ?? 1) - learningRate * gradient);
  });
  const total = updated.reduce((a, b) => a + b, 0);
  return Object.fromEntries(tasks.map((task, i) => [task, (tasks.length * updated[i]!) / total]));
}
