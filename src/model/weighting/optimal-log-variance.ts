/**
 * The closed-form optimum s* = log sigma*^2 of each uncertainty form for a fixed raw loss L, derived from
 * the terms `uncertaintyTerm` minimises (`uncertainty.ts`), and the running mean loss it is measured
 * against. Pure functions: the trainer's reports, the "auto" initialisation and the experiment runner use
 * the same ones.
 *
 * @packageDocumentation
 */
import { isRegression, type PerTask, type Task } from '../tasks.js';

/** Which form of the uncertainty loss (Kendall et al. 2018, or Liebel & Koerner 2018's positive variant). */
export type UncertaintyForm = 'uncertainty' | 'uncertainty-positive';

/**
 * s is clamped to [-6, 6] after every update: exp(6) ~ 400 bounds any task's weight, and keeps a task whose
 * loss reaches ~0 (a trivial batch) from driving its weight to infinity and the total loss to -infinity.
 */
export const LOG_VARIANCE_RANGE: readonly [number, number] = [-6, 6];

/**
 * Decay of the running mean loss that s* is reported against: 0.98, a horizon of ~50 steps (1 / (1 - 0.98)).
 * Why: Adam moves s by at most about its learning rate a step, so s follows the loss over tens of steps,
 * not the single batch (whose loss varies by tens of percent). The price is lag: while the loss falls fast
 * (the first ~200 steps of bench/log-variance-convergence.ts) the mean trails it and s - s* reads up to
 * ~0.1-0.2 below zero although s follows the loss (docs/model.md, "How fast s reaches s*").
 */
export const RUNNING_LOSS_DECAY = 0.98;

/**
 * The unconstrained optimum of s for a fixed raw loss L (may be -Infinity for L = 0):
 *
 * - `uncertainty`, regression: d/ds [exp(-s) L / 2 + s / 2] = 0  gives  s* = log L;
 * - `uncertainty`, classification: d/ds [exp(-s) L + s / 2] = 0  gives  s* = log 2L;
 * - `uncertainty-positive` (both kinds): d/ds [exp(-s) L / 2 + log(1 + exp(s))] = 0, i.e. with
 *   v = sigma^2 = exp(s): L / (2v) = v / (1 + v), so v^2 - (L/2) v - L/2 = 0 and
 *   v* = L/4 + sqrt(L^2/16 + L/2), s* = log v*.
 */
export function unconstrainedOptimalLogVariance(form: UncertaintyForm, task: Task, meanLoss: number): number {
  if (form === 'uncertainty-positive') {
    return Math.log(meanLoss / 4 + Math.sqrt((meanLoss * meanLoss) / 16 + meanLoss / 2));
  }
  return Math.log(isRegression(task) ? meanLoss : 2 * meanLoss);
}

/**
 * s* for a fixed raw loss L, within {@link LOG_VARIANCE_RANGE}: each term is convex in s, so the best s the
 * clamp allows is the clamped unconstrained optimum ({@link unconstrainedOptimalLogVariance}). Always finite
 * for L >= 0.
 */
export function optimalLogVariance(form: UncertaintyForm, task: Task, meanLoss: number): number {
  return clampLogVariance(unconstrainedOptimalLogVariance(form, task, meanLoss));
}

/** s* of every task for its loss (tasks without a loss are left out). */
export function optimalLogVariances(
  form: UncertaintyForm,
  tasks: readonly Task[],
  meanLosses: PerTask<number>,
): PerTask<number> {
  const out: PerTask<number> = {};
  for (const task of tasks) {
    const loss = meanLosses[task];
    if (loss !== undefined) out[task] = optimalLogVariance(form, task, loss);
  }
  return out;
}

/** s - s* per task, for the tasks that have both. */
export function logVarianceGaps(logVariances: PerTask<number>, optimal: PerTask<number>): PerTask<number> {
  const out: PerTask<number> = {};
  for (const [task, s] of Object.entries(logVariances) as [Task, number][]) {
    const best = optimal[task];
    if (best !== undefined) out[task] = s - best;
  }
  return out;
}

/** sigma = exp(s / 2) per task. */
export function sigmasOf(logVariances: PerTask<number>): PerTask<number> {
  return Object.fromEntries(
    Object.entries(logVariances).map(([task, s]) => [task, Math.exp(s / 2)]),
  ) as PerTask<number>;
}

/** s clamped into {@link LOG_VARIANCE_RANGE}. */
export function clampLogVariance(s: number): number {
  return Math.min(LOG_VARIANCE_RANGE[1], Math.max(LOG_VARIANCE_RANGE[0], s));
}

/**
 * A bias-corrected exponential running mean of each task's raw loss (decay {@link RUNNING_LOSS_DECAY}),
 * as Adam corrects its moments: after one step it is that step's loss, later a ~50-step average.
 */
export interface RunningLoss {
  /** The uncorrected averages, sum_k (1 - d) d^(t-k) L_k. */
  averages: PerTask<number>;
  /** Steps averaged. */
  steps: number;
}

/** The running mean after one more step's raw losses. */
export function updateRunningLoss(
  running: RunningLoss,
  losses: PerTask<number>,
  decay = RUNNING_LOSS_DECAY,
): RunningLoss {
  const averages: PerTask<number> = { ...running.averages };
  for (const [task, loss] of Object.entries(losses) as [Task, number][]) {
    averages[task] = decay * (averages[task] ?? 0) + (1 - decay) * loss;
  }
  return { averages, steps: running.steps + 1 };
}

/** The bias-corrected running mean loss per task (empty before the first step). */
export function runningMeanLoss(running: RunningLoss, decay = RUNNING_LOSS_DECAY): PerTask<number> {
  if (running.steps === 0) return {};
  const correction = 1 - Math.pow(decay, running.steps);
  return Object.fromEntries(
    Object.entries(running.averages).map(([task, average]) => [task, average / correction]),
  ) as PerTask<number>;
}
