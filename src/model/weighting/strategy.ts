import type { Scalar, Variable } from '@tensorflow/tfjs';
import type { PerTask, Task } from '../tasks.js';

/** The weighting strategies a training job can ask for. */
export const STRATEGY_NAMES = [
  'uncertainty',
  'uncertainty-positive',
  'fixed',
  'equal',
  'gradnorm',
  'dwa',
] as const;
/** One of {@link STRATEGY_NAMES}. */
export type StrategyName = (typeof STRATEGY_NAMES)[number];

/** Per-task raw losses as tensors, inside the step's gradient tape. */
export type TaskLossTensors = PerTask<Scalar>;

/** What a strategy reports every step: the effective weight of each task, and log-variances where learned. */
export interface WeightingSnapshot {
  /** Effective multiplier of each task's raw loss in the total. */
  weights: PerTask<number>;
  /** s = log(sigma^2) per task, for the uncertainty strategies. */
  logVariances?: PerTask<number>;
  /** sigma = exp(s / 2) per task, for the uncertainty strategies. */
  sigmas?: PerTask<number>;
  /**
   * s* per task: the optimum of the strategy's form for the running mean raw loss (a bias-corrected
   * exponential average over ~50 steps, `RUNNING_LOSS_DECAY`); uncertainty strategies, after a step.
   */
  optimalLogVariances?: PerTask<number>;
  /** s - s* per task (with {@link optimalLogVariances}). */
  logVarianceGaps?: PerTask<number>;
}

/** Serialisable state, stored in checkpoints so that a resumed job continues exactly. */
export type StrategyState = Record<string, unknown>;

/**
 * How per-task losses are combined into the one loss the optimiser minimises. Strategies with learned
 * parameters expose them as {@link variables}; the trainer updates those with their own optimiser and
 * learning rate and without weight decay, and calls {@link afterUpdate} to clamp them.
 */
export interface WeightingStrategy {
  readonly name: StrategyName;
  readonly tasks: readonly Task[];
  /** Learned weighting parameters (the log-variances), or none. */
  readonly variables: readonly Variable[];
  /** Total loss from the raw per-task losses; called inside the gradient tape. */
  combine(losses: TaskLossTensors): Scalar;
  /** Current effective weights (and log-variances). */
  snapshot(): WeightingSnapshot;
  /** After each optimiser step: clamp learned parameters into their documented range. */
  afterUpdate?(): void;
  /**
   * Strategies that adapt weights from gradient norms (GradNorm) ask for the norm of each task's gradient
   * at the last shared layer, and the raw loss values, after every step.
   */
  readonly needsTaskGradientNorms?: boolean;
  afterStep?(info: { rawLosses: PerTask<number>; gradientNorms?: PerTask<number> }): void;
  /**
   * True while the strategy waits for the raw losses of the first batch (uncertainty, `"auto"` start): the
   * trainer then computes them before the first step and hands them to {@link initialize}.
   */
  readonly needsInitialLosses?: boolean;
  initialize?(rawLosses: PerTask<number>): void;
  /** At the end of an epoch, with the epoch's mean raw losses (DWA). */
  onEpochEnd?(meanLosses: PerTask<number>): void;
  /** State to checkpoint, and to restore from one. */
  state(): StrategyState;
  restore(state: StrategyState): void;
  /** Frees the strategy's variables. */
  dispose(): void;
}
