/**
 * What a finished run leaves behind (one JSON file per run, see `results-store.ts`), and the recorder of
 * its curves.
 *
 * @packageDocumentation
 */
import type { PerTask } from '../model/tasks.js';
import {
  WEIGHTING_REPORT_FIELDS,
  type StepProgress,
  type WeightingReport,
} from '../model/training-progress.js';
import type { ExperimentRow, RunSpec } from './plan.js';

/** Version of the result file's shape; a file of another version is run again. */
export const RUN_RESULT_FORMAT = 1;

/**
 * Per-task fields that the trainer reports where it learns log-variances (s, sigma, the closed-form
 * optimum s* of the running loss, and s - s*); absent for the other strategies.
 */
export type LogVarianceFields = Omit<WeightingReport, 'weights'>;

/** One point of a run's curves, every `curveEvery` steps (and at the last step). */
export interface CurvePoint extends LogVarianceFields {
  /** Global step (1-based) the point was taken after. */
  step: number;
  /** Mean raw loss of each task over the steps since the previous point. */
  losses: PerTask<number>;
  /** Effective weight of each task at this step. */
  weights: PerTask<number>;
}

/** One epoch of a run: mean losses, weights at its end, and the validation headline numbers. */
export interface EpochPoint extends LogVarianceFields {
  epoch: number;
  losses: PerTask<number>;
  weights: PerTask<number>;
  validation?: Record<string, unknown>;
}

/** A finished run: the file `<row>-seed<k>.json`. */
export interface RunResult {
  format: typeof RUN_RESULT_FORMAT;
  id: string;
  row: ExperimentRow;
  seed: number;
  /** The hash of `spec`: a file whose hash is not the plan's is stale and run again. */
  specHash: string;
  spec: RunSpec;
  steps: number;
  /** Evaluation after the last epoch (`evaluateModel`'s result) on the validation and the test split. */
  metrics: { validation: Record<string, unknown>; test: Record<string, unknown> };
  /** Weights (and log-variances, sigmas, s*, s - s* where learned) after the last epoch. */
  final: LogVarianceFields & { weights: PerTask<number> };
  epochs: EpochPoint[];
  curve: CurvePoint[];
  timing: {
    /** Training (with the per-epoch validation) over every attempt, plus the test evaluation. */
    wallSeconds: number;
    testEvaluationSeconds: number;
    /** Median step time of the last attempt. */
    medianStepMs: number | null;
    /**
     * CPU time of the training process per step in the last attempt (training, validation, test
     * evaluation). Why beside the wall time: on a busy machine a step waits for a core, its CPU time not.
     */
    cpuMsPerStep?: number | null;
  };
  backend: string;
  /** The machine it ran on (`<cores> x <CPU model>`). */
  machine: string;
  /**
   * The machine's 1-minute load average when the run finished. Why: on a shared machine a run's times say
   * little without how busy it was (above the core count, processes waited for a core).
   */
  loadAverage: number;
  finishedAt: string;
}

/** The log-variance fields of a progress record that it has (copied). */
export function logVarianceFields(source: WeightingReport): LogVarianceFields {
  const out: LogVarianceFields = {};
  for (const field of WEIGHTING_REPORT_FIELDS) {
    const values = source[field];
    if (values !== undefined) out[field] = { ...values };
  }
  return out;
}

/** Applies `f` to every value of a per-task record. */
export function mapValues(values: PerTask<number>, f: (value: number) => number): PerTask<number> {
  return Object.fromEntries(Object.entries(values).map(([task, v]) => [task, f(v)])) as PerTask<number>;
}

/**
 * Turns step progress into curve points: the mean raw losses over every `every` steps and the weights,
 * log-variances and sigmas at the step that closes the window (and at the run's last step). A resumed run
 * starts from the points it recorded before: those at or after its first new step are dropped.
 */
export class CurveRecorder {
  private points: CurvePoint[];
  private sums: PerTask<number> = {};
  private count = 0;
  private started = false;

  /**
   * @param every - Steps per point.
   * @param previous - Points recorded by an earlier attempt of the same run.
   */
  constructor(
    private readonly every: number,
    previous: readonly CurvePoint[] = [],
  ) {
    this.points = [...previous];
  }

  /**
   * Adds a step.
   *
   * @returns The point it closed, if any.
   */
  add(progress: StepProgress): CurvePoint | undefined {
    if (!this.started) {
      this.started = true;
      // A resumed attempt repeats the steps after its checkpoint: their points are recorded again.
      this.points = this.points.filter((p) => p.step < progress.step);
    }
    for (const [task, loss] of Object.entries(progress.losses)) {
      this.sums[task as keyof PerTask<number>] = (this.sums[task as keyof PerTask<number>] ?? 0) + loss;
    }
    this.count += 1;
    if (progress.step % this.every !== 0 && progress.step !== progress.totalSteps) return undefined;
    const point: CurvePoint = {
      step: progress.step,
      losses: mapValues(this.sums, (sum) => sum / this.count),
      weights: { ...progress.weights },
      ...logVarianceFields(progress),
    };
    this.points.push(point);
    this.sums = {};
    this.count = 0;
    return point;
  }

  /** Every point so far, in step order. */
  curve(): CurvePoint[] {
    return [...this.points];
  }
}
