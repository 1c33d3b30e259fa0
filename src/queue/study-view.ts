/**
 * How the API shows a study: its status, runs and table, derived from its record, its run jobs' views
 * and its result files (`study-producer.ts` reads them). Pure, so the rules (docs/studies.md) are in one place.
 *
 * @packageDocumentation
 */
import { TRAIN_ID_TO_NAME } from '../data/cityscapes-labels.js';
import type { ResolvedStudyRequest } from '../experiments/study-plan.js';
import { summariseExperiment, type ExperimentSummary } from '../experiments/summary.js';
import type { ExperimentPlan, PlannedRun } from '../experiments/plan.js';
import type { RunResult } from '../experiments/run-result.js';
import type { JobStatus, TrainingJob } from './job-schemas.js';

/** Where a study stands, derived from its runs. */
export type StudyStatus = 'queued' | 'running' | 'cancelling' | 'cancelled' | 'completed' | 'failed';

/** What Redis keeps of a study: the request and the times; the rest is derived. */
export interface StudyRecord {
  id: string;
  request: ResolvedStudyRequest;
  createdAt: string;
  cancelRequestedAt?: string;
  /**
   * Runs whose result was handed in at submission (`priorResults`: the same run id and spec hash, trained
   * earlier, e.g. the bench's committed results): they are scored without a job.
   */
  reused?: string[];
}

/** One run of a study as the API shows it. */
export interface StudyRunView {
  /** `<row>-seed<k>`. */
  id: string;
  row: string;
  seed: number;
  /** The training job (and model) id; a reused run has none (see `reused`). */
  jobId: string;
  /**
   * The job's status; `queued` for a run whose job is still being added (`cancelled` once its study is
   * being cancelled); `completed` for a reused run.
   */
  status: JobStatus;
  /** Steps done over all steps, in %. */
  percent: number;
  modelId?: string;
  /** True once its result (the test-split scores) is in the study's store. */
  scored: boolean;
  /** True for a run whose result was handed in at submission, trained earlier: it has no job. */
  reused?: true;
  error?: { code: string; message: string };
}

/** A study as the API shows it. */
export interface StudyView {
  id: string;
  name: string;
  status: StudyStatus;
  createdAt: string;
  cancelRequestedAt?: string;
  finishedAt?: string;
  runCounts: Record<JobStatus, number>;
  request: ResolvedStudyRequest;
  runs: StudyRunView[];
  /** The comparison over the runs scored so far (absent before the first). */
  table?: ExperimentSummary;
}

/** A study in a list: everything but the runs and the table. */
export type StudySummary = Omit<StudyView, 'runs' | 'table' | 'request'> & { runsPlanned: number };

/** The curves and per-class scores of a study's scored runs ({@link StudyProducer.curves}). */
export interface StudyCurves {
  classes: { trainId: number; name: string }[];
  runs: {
    id: string;
    row: string;
    label: string;
    group: string;
    seed: number;
    tasks: string[];
    curve: RunResult['curve'];
    final: RunResult['final'];
    /** Test-split IoU per train id (null: absent from the split); null without a segmentation head. */
    perClassIoU: (number | null)[] | null;
  }[];
}

/** The job id of run `k` of a study. Why the index, not the run id: run ids hold dots, job ids may not. */
export function studyRunJobId(studyId: string, index: number): string {
  return `${studyId}-run${index}`;
}

/**
 * A study's view from its record, its planned runs, their jobs' views (undefined: not added yet, shown
 * as queued) and the results scored so far.
 */
export function buildStudyView(
  record: StudyRecord,
  plan: ExperimentPlan,
  runs: readonly PlannedRun[],
  jobs: readonly (TrainingJob | undefined)[],
  results: readonly RunResult[],
): StudyView {
  const scoredIds = new Set(results.map((r) => r.id));
  const reused = new Set(record.reused);
  const runViews = runs.map((run, k) =>
    reused.has(run.id)
      ? reusedRunView(run, studyRunJobId(record.id, k))
      : runView(
          run,
          studyRunJobId(record.id, k),
          jobs[k],
          scoredIds.has(run.id),
          record.cancelRequestedAt !== undefined,
        ),
  );
  const runCounts: Record<JobStatus, number> = {
    queued: 0,
    running: 0,
    cancelling: 0,
    completed: 0,
    failed: 0,
    cancelled: 0,
  };
  const trainedHere = { ...runCounts };
  for (const run of runViews) {
    runCounts[run.status] += 1;
    if (!run.reused) trainedHere[run.status] += 1;
  }
  // Why without the reused runs: they were done before the study began, so they do not make it `running`.
  const status = studyStatus(trainedHere, record.cancelRequestedAt !== undefined);
  const view: StudyView = {
    id: record.id,
    name: record.request.name,
    status,
    createdAt: record.createdAt,
    ...(record.cancelRequestedAt !== undefined ? { cancelRequestedAt: record.cancelRequestedAt } : {}),
    runCounts,
    request: record.request,
    runs: runViews,
  };
  const finished = jobs.map((job) => job?.finishedAt).filter((t): t is string => t !== undefined);
  if (isFinalStudyStatus(status) && finished.length > 0) view.finishedAt = finished.sort().at(-1)!;
  if (results.length > 0) view.table = summariseExperiment(plan, results);
  return view;
}

/** What the compare page draws of a study's scored runs: curves, final weights, per-class test IoU. */
export function studyCurves(results: readonly RunResult[]): StudyCurves {
  return {
    classes: TRAIN_ID_TO_NAME.map((name, trainId) => ({ trainId, name })),
    runs: results.map((r) => ({
      id: r.id,
      row: r.row.id,
      label: r.row.label,
      group: r.row.group,
      seed: r.seed,
      tasks: r.row.tasks,
      curve: r.curve,
      final: r.final,
      perClassIoU: perClassIoU(r.metrics.test),
    })),
  };
}

/** The per-class IoU (by train id; null for a class absent from the split) of an evaluation. */
export function perClassIoU(evaluation: Record<string, unknown>): (number | null)[] | null {
  const segmentation = evaluation['segmentation'] as { perClassIoU?: (number | null)[] } | undefined;
  return segmentation?.perClassIoU ?? null;
}

/**
 * A run as its job shows it. A run without a job is `queued` (its job is being added), or `cancelled` in a
 * study being cancelled, which adds no run any more (so that such a study ends, and can be resumed).
 */
function runView(
  run: PlannedRun,
  jobId: string,
  job: TrainingJob | undefined,
  scored: boolean,
  cancelRequested: boolean,
): StudyRunView {
  const view: StudyRunView = {
    id: run.id,
    row: run.row.id,
    seed: run.seed,
    jobId,
    status: job?.status ?? (cancelRequested ? 'cancelled' : 'queued'),
    percent: job?.status === 'completed' ? 100 : (job?.progress?.percent ?? 0),
    scored,
  };
  if (job?.modelId !== undefined) view.modelId = job.modelId;
  if (job?.error !== undefined) view.error = { code: job.error.code, message: job.error.message };
  return view;
}

/** A run scored at submission from an earlier result: completed, with no job. */
function reusedRunView(run: PlannedRun, jobId: string): StudyRunView {
  return {
    id: run.id,
    row: run.row.id,
    seed: run.seed,
    jobId,
    status: 'completed',
    percent: 100,
    scored: true,
    reused: true,
  };
}

/** A study's status from its runs' (see docs/studies.md). */
export function studyStatus(counts: Record<JobStatus, number>, cancelRequested: boolean): StudyStatus {
  const active = counts.queued + counts.running + counts.cancelling;
  if (cancelRequested) return active > 0 ? 'cancelling' : 'cancelled';
  if (active > 0)
    return counts.running + counts.cancelling + counts.completed + counts.failed > 0 ? 'running' : 'queued';
  return counts.failed + counts.cancelled > 0 ? 'failed' : 'completed';
}

export function isFinalStudyStatus(status: StudyStatus): boolean {
  return status === 'completed' || status === 'failed' || status === 'cancelled';
}
