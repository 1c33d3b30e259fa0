/**
 * Pure functions that turn what BullMQ stores about a training job into the public job view: the status
 * mapping, progress with ETA, history, model id and error. No Redis access here, so every rule has a unit
 * test.
 *
 * @packageDocumentation
 */
import type { JobState, JobType } from 'bullmq';
import type { TrainingSpec } from '../model/training-spec.js';
import {
  isTerminalStatus,
  SUMMARY_OMITS,
  TrainingJobSchema,
  type JobProgress,
  type JobProgressRecord,
  type JobStatus,
  type TrainingJob,
  type TrainingJobData,
  type TrainingJobResult,
  type TrainingJobSummary,
} from './job-schemas.js';

/** BullMQ's failure reason for a job whose workers died more often than allowed. Why: mapped to `STALLED`. */
const STALLED_REASON = /stalled more than allowable limit/i;

/** Code of a failure that carries no code of its own (a crash, a backend error, ...). */
export const TRAINING_FAILED_CODE = 'TRAINING_FAILED';

/** Code of a job failed because its workers kept dying (BullMQ's stalled limit). */
export const STALLED_CODE = 'STALLED';

/**
 * BullMQ job types that count as `queued`, for the queries that count and list by state. Why these: a
 * retry waiting out its back-off (`delayed`) is queued too.
 */
export const QUEUED_JOB_TYPES: JobType[] = ['wait', 'prioritized', 'delayed', 'waiting-children'];

/**
 * Maps a BullMQ state to the public status.
 *
 * @param state - BullMQ's state of the job (`getState()`).
 * @param cancelRequested - Whether a cancellation was requested for it.
 * @returns The public status, or undefined when BullMQ does not know the job.
 */
export function statusFromState(
  state: JobState | 'unknown',
  cancelRequested: boolean,
): JobStatus | undefined {
  switch (state) {
    case 'completed':
      return 'completed';
    case 'failed':
      // A running job that was cancelled ends as a failed BullMQ job until the worker archives it.
      return cancelRequested ? 'cancelled' : 'failed';
    case 'active':
      return cancelRequested ? 'cancelling' : 'running';
    case 'unknown':
      return undefined;
    default:
      // waiting, prioritized, delayed (a retry's back-off), paused, waiting-children
      return 'queued';
  }
}

/** What {@link buildJobView} reads: the fields of a BullMQ job it uses, plus what lives beside it. */
export interface JobSnapshot {
  id: string;
  state: JobState | 'unknown';
  data: TrainingJobData;
  /** The raw `job.progress` (a {@link JobProgressRecord} once a worker started it; 0 before). */
  progress: unknown;
  returnvalue: unknown;
  failedReason?: string | undefined;
  attemptsMade: number;
  maxAttempts: number;
  /** Submission time (ms). */
  timestamp: number;
  finishedOn?: number | undefined;
  cancelRequestedAt?: string | undefined;
}

/** Whether `value` looks like a {@link JobProgressRecord} (a fresh job's progress is the number 0). */
export function isProgressRecord(value: unknown): value is JobProgressRecord {
  return (
    typeof value === 'object' &&
    value !== null &&
    Array.isArray((value as { history?: unknown }).history) &&
    typeof (value as { startedAt?: unknown }).startedAt === 'string'
  );
}

/** Whether `value` looks like a {@link TrainingJobResult}. */
function isResult(value: unknown): value is TrainingJobResult {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as { modelId?: unknown }).modelId === 'string'
  );
}

/**
 * The progress part of the view, from the worker's record. A job that has ended has no phase: the record
 * keeps the last one the worker reported ("saving" for a completed job, "preparing" for one cancelled
 * while its dataset was generated), which is no longer true.
 */
export function progressView(record: JobProgressRecord, status: JobStatus): JobProgress {
  const done = status === 'completed';
  const latest = record.latest;
  return {
    ...(isTerminalStatus(status) ? {} : { phase: record.phase }),
    percent: done ? 100 : record.percent,
    etaSeconds: done ? 0 : status === 'running' ? record.etaSeconds : null,
    ...(latest ?? {}),
    updatedAt: record.updatedAt,
  };
}

/**
 * Replaces the absolute `DATA_DIR` and `ARTIFACT_DIR` in an error message by the variable names.
 * Why: a failure message is shown to clients, server paths are not theirs to see.
 */
export function redactPaths(message: string, dirs: Readonly<Record<string, string>>): string {
  let out = message;
  for (const [name, dir] of Object.entries(dirs)) {
    if (dir.length > 1) out = out.split(dir).join(`$${name}`);
  }
  return out;
}

/**
 * Builds the public view of a job that BullMQ still holds.
 *
 * @param snapshot - The job's fields.
 * @param redactDirs - Directories to hide in error messages, by variable name.
 * @returns The view, or undefined when BullMQ does not know the job.
 */
export function buildJobView(
  snapshot: JobSnapshot,
  redactDirs: Readonly<Record<string, string>> = {},
): TrainingJob | undefined {
  const status = statusFromState(snapshot.state, snapshot.cancelRequestedAt !== undefined);
  if (status === undefined) return undefined;
  const record = isProgressRecord(snapshot.progress) ? snapshot.progress : undefined;
  const result = isResult(snapshot.returnvalue) ? snapshot.returnvalue : undefined;
  const history = result?.history ?? record?.history ?? [];
  const spec = snapshot.data.spec as TrainingSpec;
  const view: TrainingJob = {
    id: snapshot.id,
    status,
    createdAt: new Date(snapshot.timestamp).toISOString(),
    attempts: { made: snapshot.attemptsMade, max: snapshot.maxAttempts },
    spec,
    history,
    checkpoints: [],
  };
  if (spec.name !== undefined) view.name = spec.name;
  if (spec.labels !== undefined) view.labels = spec.labels;
  if (record !== undefined) {
    view.startedAt = record.startedAt;
    view.progress = progressView(record, status);
    if (record.resumedFrom !== undefined) view.resumedFrom = record.resumedFrom;
    if (record.resumedAtStep !== undefined) view.resumedAtStep = record.resumedAtStep;
    if (record.backend !== undefined) view.backend = record.backend;
    // A queued job is nobody's: the slot it stopped in (a worker shutdown) runs other jobs now.
    if (record.worker !== undefined && status !== 'queued') view.worker = record.worker;
    if (record.replicas !== undefined) view.replicas = record.replicas;
  }
  if ((status === 'completed' || status === 'failed' || status === 'cancelled') && snapshot.finishedOn) {
    view.finishedAt = new Date(snapshot.finishedOn).toISOString();
  }
  if (status === 'completed' && result !== undefined) {
    view.modelId = result.modelId;
    view.metrics = result.metrics;
    if (result.resumedFrom !== undefined) view.resumedFrom = result.resumedFrom;
    if (result.backend !== undefined) view.backend = result.backend;
    if (result.replicas !== undefined) view.replicas = result.replicas;
  } else if (history.length > 0) {
    const metrics = history[history.length - 1]?.metrics;
    if (metrics !== undefined) view.metrics = metrics;
  }
  if (status === 'failed') {
    const reason = snapshot.failedReason ?? 'unknown error';
    const code = record?.error?.code ?? (STALLED_REASON.test(reason) ? STALLED_CODE : TRAINING_FAILED_CODE);
    view.error = { code, message: redactPaths(reason, redactDirs) };
  }
  if (snapshot.cancelRequestedAt !== undefined) view.cancelRequestedAt = snapshot.cancelRequestedAt;
  // Why reordered: a client reading the JSON (or its first bytes) sees status, progress, model id, metrics
  // and error before the long parts (HTTP answers follow TrainingJobSchema's order anyway; events do not).
  return inSchemaOrder(view);
}

/** The order of a job's fields, TrainingJobSchema's. */
const FIELD_ORDER = Object.keys(TrainingJobSchema.properties);

/**
 * `view` with its fields in {@link TrainingJobSchema}'s order (status, progress, model id, metrics, error
 * first), for the places that send it with `JSON.stringify` (events, archived cancellations).
 */
export function inSchemaOrder(view: TrainingJob): TrainingJob {
  const ordered: Record<string, unknown> = {};
  for (const key of FIELD_ORDER) {
    if ((view as Record<string, unknown>)[key] !== undefined)
      ordered[key] = (view as Record<string, unknown>)[key];
  }
  return ordered as TrainingJob;
}

/** A job without its spec, history and checkpoints: what `?view=summary` answers. */
export function summaryView(view: TrainingJob): TrainingJobSummary {
  const summary: Record<string, unknown> = { ...view };
  for (const key of SUMMARY_OMITS) delete summary[key];
  return summary as TrainingJobSummary;
}

/**
 * The view of a cancelled job, from the snapshot kept when it was archived.
 *
 * @param stored - The view as it was when the job stopped.
 * @param cancelledAt - When it stopped (ISO).
 */
export function cancelledView(stored: TrainingJob, cancelledAt: string): TrainingJob {
  const view: TrainingJob = { ...stored, status: 'cancelled', finishedAt: cancelledAt };
  delete view.error;
  if (view.progress !== undefined) {
    view.progress = { ...view.progress, etaSeconds: null };
    delete view.progress.phase;
  }
  return inSchemaOrder(view);
}
