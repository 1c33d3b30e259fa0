/**
 * What training reports as it goes: a {@link StepProgress} after every step, an {@link EpochSummary} after
 * every epoch (kept in the history, in checkpoints and in the model manifest), and the sums of the epoch in
 * progress ({@link PartialEpoch}) that a mid-epoch checkpoint keeps.
 *
 * @packageDocumentation
 */
import type { PerTask } from './tasks.js';
import type { WeightingSnapshot } from './weighting/strategy.js';

/**
 * How the tasks were weighted, in every step's and epoch's report: the strategy's snapshot (the effective
 * weights, and for the uncertainty strategies s, sigma, s* for the running mean raw loss, and s - s*).
 */
export type WeightingReport = WeightingSnapshot;

/** The optional per-task fields of {@link WeightingReport}, in the order reports list them. */
export const WEIGHTING_REPORT_FIELDS = [
  'logVariances',
  'sigmas',
  'optimalLogVariances',
  'logVarianceGaps',
] as const;

/**
 * The weighting part of a report, from a snapshot or another report: the weights, and those of the
 * {@link WEIGHTING_REPORT_FIELDS} it has (only the fields, so a report never carries anything else along).
 */
export function weightingReport(snapshot: WeightingSnapshot): WeightingReport {
  const report: WeightingReport = { weights: snapshot.weights };
  for (const key of WEIGHTING_REPORT_FIELDS) {
    const value = snapshot[key];
    if (value !== undefined) report[key] = value;
  }
  return report;
}

/** Reported after every step. */
export interface StepProgress extends WeightingReport {
  epoch: number;
  epochs: number;
  /** Global step, 1-based after the step finished. */
  step: number;
  stepInEpoch: number;
  stepsPerEpoch: number;
  totalSteps: number;
  /** Raw (unweighted) loss of each task on this batch. */
  losses: PerTask<number>;
  /** The weighted total that was minimised. */
  totalLoss: number;
  learningRate: number;
  stepMs: number;
}

/** Validation metrics, whatever the evaluator returns (JSON). */
export type EpochMetrics = Record<string, unknown>;

/** One epoch's summary, kept in the history and in checkpoints. */
export interface EpochSummary extends WeightingReport {
  epoch: number;
  /** Mean raw loss of each task over the epoch's steps. */
  losses: PerTask<number>;
  learningRate: number;
  metrics?: EpochMetrics;
  durationMs: number;
  checkpoint?: string;
}

/** The running sums of the epoch in progress: what its summary's mean losses and duration come from. */
export interface PartialEpoch {
  /** Sum of each task's raw loss over the epoch's steps so far. */
  lossSums: PerTask<number>;
  /** Steps of the epoch done so far. */
  steps: number;
  /** `Date.now()` when the epoch (or, after a resume, its remainder) started. */
  startedAt: number;
}
