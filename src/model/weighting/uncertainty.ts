import type { Scalar, Variable } from '@tensorflow/tfjs';
import { tf } from '../../tf/index.js';
import { isRegression, type PerTask, type Task } from '../tasks.js';
import {
  clampLogVariance,
  LOG_VARIANCE_RANGE,
  logVarianceGaps,
  optimalLogVariance,
  optimalLogVariances,
  runningMeanLoss,
  sigmasOf,
  updateRunningLoss,
  type RunningLoss,
  type UncertaintyForm,
} from './optimal-log-variance.js';
import type { StrategyState, TaskLossTensors, WeightingSnapshot, WeightingStrategy } from './strategy.js';

/**
 * Where s = log(sigma^2) starts: a number for every task, a number per task (tasks left out start at
 * `"auto"`), or `"auto"`: each task's s is set, before the first step, to the optimum of its form for that
 * batch's raw loss ({@link optimalLogVariance}), so the weights start balanced instead of travelling there.
 * 0 (sigma = 1 for every task) is the paper's start.
 */
export type InitialLogVariance = number | 'auto' | PerTask<number>;

/** Default start: `"auto"` (see {@link InitialLogVariance}). */
export const DEFAULT_INITIAL_LOG_VARIANCE: InitialLogVariance = 'auto';

/**
 * Homoscedastic-uncertainty weighting with a learned s_i = log(sigma_i^2) per task.
 *
 * - `uncertainty` (Kendall, Gal & Cipolla): classification exp(-s) L + s/2; regression exp(-s) L / 2 + s/2.
 *   At the optimum with L fixed, s = log L (regression) and s = log 2L (classification).
 * - `uncertainty-positive` (Liebel & Koerner): L / (2 sigma^2) + log(1 + sigma^2) for every task, whose
 *   regulariser stays positive so the total loss cannot go below zero.
 *
 * Besides s it keeps a running mean of each task's raw loss (fed by {@link afterStep}), against which its
 * {@link snapshot} reports the optimum s* and the gap s - s*.
 */
export class UncertaintyWeighting implements WeightingStrategy {
  readonly variables: Variable[];
  private readonly logVariances: Variable;
  /** Tasks whose s waits for the first batch's losses (`"auto"`). */
  private pending: Task[];
  private running: RunningLoss = { averages: {}, steps: 0 };

  constructor(
    readonly tasks: readonly Task[],
    readonly name: UncertaintyForm = 'uncertainty',
    initialLogVariance: InitialLogVariance = DEFAULT_INITIAL_LOG_VARIANCE,
  ) {
    const start = tasks.map((task) => initialValue(initialLogVariance, task));
    this.pending = tasks.filter((_, i) => start[i] === undefined);
    // tidy frees the initial value; the variable itself survives it.
    this.logVariances = tf.tidy(() =>
      tf.variable(tf.tensor1d(start.map((s) => clampLogVariance(s ?? 0))), true, uniqueName('log_variances')),
    );
    this.variables = [this.logVariances];
  }

  /** Whether some task's s still waits for the first batch's raw losses (`"auto"`). */
  get needsInitialLosses(): boolean {
    return this.pending.length > 0;
  }

  /** `"auto"`: sets each waiting task's s to the optimum of its form for the first batch's raw loss. */
  initialize(rawLosses: PerTask<number>): void {
    if (this.pending.length === 0) return;
    const s = Array.from(this.logVariances.dataSync());
    this.tasks.forEach((task, i) => {
      const loss = rawLosses[task];
      if (!this.pending.includes(task)) return;
      if (loss === undefined) throw new Error(`uncertainty weighting: no initial loss for task ${task}`);
      s[i] = optimalLogVariance(this.name, task, loss);
    });
    tf.tidy(() => this.logVariances.assign(tf.tensor1d(s)));
    this.pending = [];
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
    const snapshot: WeightingSnapshot = { weights, logVariances, sigmas: sigmasOf(logVariances) };
    if (this.running.steps > 0) {
      const optimal = optimalLogVariances(this.name, this.tasks, runningMeanLoss(this.running));
      snapshot.optimalLogVariances = optimal;
      snapshot.logVarianceGaps = logVarianceGaps(logVariances, optimal);
    }
    return snapshot;
  }

  /** Adds the step's raw losses to the running mean that s* is measured against. */
  afterStep(info: { rawLosses: PerTask<number> }): void {
    this.running = updateRunningLoss(this.running, info.rawLosses);
  }

  afterUpdate(): void {
    tf.tidy(() => this.logVariances.assign(tf.clipByValue(this.logVariances, ...LOG_VARIANCE_RANGE)));
  }

  state(): StrategyState {
    return {
      logVariances: Array.from(this.logVariances.dataSync()),
      pending: [...this.pending],
      runningLoss: { averages: { ...this.running.averages }, steps: this.running.steps },
    };
  }

  restore(state: StrategyState): void {
    const values = state['logVariances'];
    if (!Array.isArray(values) || values.length !== this.tasks.length) {
      throw new Error('uncertainty weighting: checkpoint has no matching logVariances');
    }
    tf.tidy(() => this.logVariances.assign(tf.tensor1d(values as number[])));
    // Checkpoints from before "auto" and the running loss have neither: their s was set at the start.
    const pending = state['pending'];
    this.pending = Array.isArray(pending) ? this.tasks.filter((task) => pending.includes(task)) : [];
    const running = state['runningLoss'] as RunningLoss | undefined;
    this.running =
      running !== undefined && typeof running.steps === 'number'
        ? { averages: { ...running.averages }, steps: running.steps }
        : { averages: {}, steps: 0 };
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

/** A task's start: a number, or undefined for `"auto"`. */
function initialValue(initial: InitialLogVariance, task: Task): number | undefined {
  if (initial === 'auto') return undefined;
  if (typeof initial === 'number') return initial;
  return initial[task];
}

let counter = 0;
/** tfjs variable names are global; a counter keeps two strategies (or a restored one) from clashing. */
function uniqueName(base: string): string {
  counter += 1;
  return `${base}_${counter}`;
}
