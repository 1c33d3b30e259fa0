/**
 * Turns the trainer's step and epoch callbacks into the progress record a job publishes: latest losses,
 * weights and log-variances, per-epoch history, percent done and ETA, throttled to one update per
 * `PROGRESS_INTERVAL_MS` (epoch ends and phase changes are always published).
 *
 * @packageDocumentation
 */
import type { EpochSummary, StepProgress } from '../src/model/trainer.js';
import { weightingReport } from '../src/model/training-progress.js';
import { isProgressRecord } from '../src/queue/job-view.js';
import type { JobPhase, JobProgressRecord, JobWorker, StepSnapshot } from '../src/queue/job-schemas.js';

/** Options of {@link ProgressReporter}. */
export interface ProgressReporterOptions {
  /** Publishes a record (the processor passes `job.updateProgress`). */
  publish: (record: JobProgressRecord) => Promise<void>;
  /** Least time between two published step updates (ms); 0 publishes every step. */
  intervalMs: number;
  /** The record of an earlier attempt, if any: keeps the first start time across attempts. */
  previous?: JobProgressRecord | undefined;
  /** Epochs already done (from the checkpoint the job resumes from). */
  history?: EpochSummary[] | undefined;
  /** The compute backend of this worker. */
  backend?: JobProgressRecord['backend'];
  /** The checkpoint this attempt resumes from. */
  resumedFrom?: string | undefined;
  /** The worker slot running this attempt. */
  worker?: JobWorker | undefined;
  /** Data-parallel replicas of this attempt. */
  replicas?: number | undefined;
  /** Clock (ms), for tests. */
  now?: () => number;
}

/** Steps that must have run in this attempt before an ETA is given. Why 2: the first step includes warm-up. */
const MIN_STEPS_FOR_ETA = 2;

/** Rounds to 3 significant decimals. Why: progress is shown to people, and shorter JSON is cheaper to publish. */
const round = (x: number): number => Math.round(x * 1000) / 1000;

/** Builds and publishes a job's progress record. */
export class ProgressReporter {
  private readonly options: ProgressReporterOptions;
  private readonly now: () => number;
  private readonly record: JobProgressRecord;
  private lastPublished = Number.NEGATIVE_INFINITY;
  /** Time and global step of the first step of this attempt, for the ETA. */
  private firstStep: { at: number; step: number } | undefined;

  /** @param options - Where to publish, how often, and what earlier attempts left. */
  constructor(options: ProgressReporterOptions) {
    this.options = options;
    this.now = options.now ?? Date.now;
    const now = new Date(this.now()).toISOString();
    this.record = {
      phase: 'preparing',
      startedAt: options.previous?.startedAt ?? now,
      attemptStartedAt: now,
      updatedAt: now,
      percent: options.previous?.percent ?? 0,
      etaSeconds: null,
      history: [...(options.history ?? options.previous?.history ?? [])],
      ...(options.previous?.latest ? { latest: options.previous.latest } : {}),
      ...(options.backend ? { backend: options.backend } : {}),
      ...(options.worker ? { worker: options.worker } : {}),
      ...(options.replicas ? { replicas: options.replicas } : {}),
      ...(options.resumedFrom ? { resumedFrom: options.resumedFrom } : {}),
    };
  }

  /** The current record (a copy). */
  current(): JobProgressRecord {
    return structuredClone(this.record);
  }

  /** Publishes the start of the attempt (phase `preparing`). */
  async start(): Promise<void> {
    await this.publish(true);
  }

  /** Records a finished step; publishes it when the interval has passed or the phase changed. */
  async step(p: StepProgress): Promise<void> {
    const at = this.now();
    this.firstStep ??= { at, step: p.step };
    const latest: StepSnapshot = {
      epoch: p.epoch + 1,
      epochs: p.epochs,
      step: p.step,
      totalSteps: p.totalSteps,
      stepInEpoch: p.stepInEpoch,
      stepsPerEpoch: p.stepsPerEpoch,
      losses: p.losses,
      totalLoss: p.totalLoss,
      ...weightingReport(p),
      learningRate: p.learningRate,
      stepMs: round(p.stepMs),
    };
    this.record.latest = latest;
    this.record.percent = p.totalSteps > 0 ? round((100 * p.step) / p.totalSteps) : 0;
    const stepsThisAttempt = p.step - this.firstStep.step;
    if (stepsThisAttempt >= MIN_STEPS_FOR_ETA) {
      // Wall time per step since the first one of this attempt: includes validation and checkpoints once an
      // epoch has ended, so the estimate converges on the real pace.
      const msPerStep = (at - this.firstStep.at) / stepsThisAttempt;
      this.record.etaSeconds = round((msPerStep * Math.max(0, p.totalSteps - p.step)) / 1000);
    }
    const phase: JobPhase = p.stepInEpoch >= p.stepsPerEpoch ? 'validating' : 'training';
    const changed = phase !== this.record.phase;
    this.record.phase = phase;
    await this.publish(changed || p.step === p.totalSteps);
  }

  /** Records a finished epoch (replacing one of the same number) and publishes. */
  async epoch(summary: EpochSummary): Promise<void> {
    const history = this.record.history.filter((e) => e.epoch !== summary.epoch);
    history.push(summary as JobProgressRecord['history'][number]);
    history.sort((a, b) => a.epoch - b.epoch);
    this.record.history = history;
    const epochs = this.record.latest?.epochs;
    this.record.phase = epochs !== undefined && summary.epoch >= epochs ? 'saving' : 'training';
    await this.publish(true);
  }

  /** Records the error that ends the attempt and publishes it. */
  async fail(code: string, message: string): Promise<void> {
    this.record.error = { code, message };
    this.record.etaSeconds = null;
    await this.publish(true);
  }

  private async publish(force: boolean): Promise<void> {
    const at = this.now();
    if (!force && at - this.lastPublished < this.options.intervalMs) return;
    this.lastPublished = at;
    this.record.updatedAt = new Date(at).toISOString();
    await this.options.publish(this.current());
  }
}

/**
 * The record a worker publishes when it takes a job, before its training child reports: the earlier
 * attempt's record (or a fresh one) naming the slot that runs the job now, so the status shows it at once.
 *
 * @param previous - The job's progress as BullMQ holds it.
 * @param worker - The slot.
 * @param now - Clock (ms), for tests.
 */
export function takenRecord(previous: unknown, worker: JobWorker, now = Date.now()): JobProgressRecord {
  const at = new Date(now).toISOString();
  const base: JobProgressRecord = isProgressRecord(previous)
    ? { ...previous }
    : {
        phase: 'preparing',
        startedAt: at,
        attemptStartedAt: at,
        percent: 0,
        etaSeconds: null,
        history: [],
        updatedAt: at,
      };
  return { ...base, worker, updatedAt: at };
}

/**
 * The record of a job whose attempt ended before it published one, carrying that attempt's error.
 *
 * @param error - The failure's code and message.
 * @param now - Clock (ms), for tests.
 */
export function failedBeforeStartRecord(
  error: { code: string; message: string },
  now = Date.now(),
): JobProgressRecord {
  const at = new Date(now).toISOString();
  return {
    phase: 'preparing',
    startedAt: at,
    attemptStartedAt: at,
    updatedAt: at,
    percent: 0,
    etaSeconds: null,
    history: [],
    error,
  };
}
