/**
 * The API's side of studies (docs/studies.md): a study is a set of ordinary training jobs, one per
 * planned run, with deterministic ids (`<studyId>-run<k>`), so that adding a run again is a no-op. The
 * study's own record in Redis holds its request and times; everything else (status, per-run progress,
 * the table) is derived from the run jobs' views and the result files the workers write, so there is no
 * second copy to drift.
 *
 * @packageDocumentation
 */
import { randomUUID } from 'node:crypto';
import { rm } from 'node:fs/promises';
import { ConflictError, JobRunningError, NotFoundError } from '../errors.js';
import type { Logger } from '../logger.js';
import { renderSummaryTable, summariseExperiment } from '../experiments/summary.js';
import { loadPlanResults, matchingResults, writeRunResult } from '../experiments/results-store.js';
import type { RunResult } from '../experiments/run-result.js';
import { studyDir, studyResultsDir } from '../experiments/study-run.js';
import { resolveStudyRequest, studyPlan, type StudyRequest } from '../experiments/study-plan.js';
import type { ExperimentPlan, PlannedRun } from '../experiments/plan.js';
import { deleteModel } from '../model/artifacts.js';
import type { TrainingSpec } from '../model/training-spec.js';
import { checkStudyCost } from './study-cost.js';
import type { JobLimits } from './job-budget.js';
import { IdempotencyKeys } from './idempotency-keys.js';
import { QUEUE_PREFIX } from './queue-names.js';
import type { JobLifecycle } from './job-lifecycle.js';
import {
  buildStudyView,
  studyCurves,
  studyRunJobId,
  type StudyCurves,
  type StudyRecord,
  type StudySummary,
  type StudyView,
} from './study-view.js';
import type { TrainingJobProducer } from './training-job-producer.js';

export * from './study-view.js';

/** The label every run job of a study carries (`?label=study:<id>` lists them). */
export const STUDY_LABEL = 'study';

/** Options of {@link StudyProducer}. */
export interface StudyProducerOptions {
  queueName: string;
  /** `DATA_DIR` (absolute): a CityScapes-layout dataset is checked at submission. */
  dataDir: string;
  /** `ARTIFACT_DIR` (absolute): the studies' result stores. */
  artifactDir: string;
  /** `MAX_QUEUED_JOBS`: every run of a study must fit in the queue. */
  maxQueuedJobs: number;
  limits?: JobLimits | undefined;
  logger?: Pick<Logger, 'info' | 'warn'> | undefined;
}

/** Options of {@link StudyProducer.submit}. */
export interface SubmitStudyOptions {
  /** The client's `Idempotency-Key`: a resubmission with the same key and body returns the same study. */
  idempotencyKey?: string | undefined;
  /**
   * Results of runs trained earlier (not over REST: the experiment runner hands in a bench's committed
   * results). Each one that is a planned run's, with its spec hash (`matchingResults`), is written to
   * the study's store and that run gets no job.
   */
  priorResults?: readonly RunResult[] | undefined;
}

/** Keys of the studies of one queue, under the queue's own `scene-mtl:{queue}:x:` space. */
function studyKeys(queueName: string) {
  const base = `${QUEUE_PREFIX}:${queueName}:x:studies:`;
  return {
    /** Sorted set: study id, score = creation time (ms). */
    index: `${base}index`,
    /** `{record}{id}` -> JSON {@link StudyRecord}. */
    record: `${base}record:`,
    idempotency: `${base}idempotency:`,
  };
}

/** Submits, reads, lists, cancels and deletes studies over the training queue. */
export class StudyProducer {
  private readonly keys: ReturnType<typeof studyKeys>;
  private readonly idempotency: IdempotencyKeys<StudyView>;

  /**
   * @param jobs - The API's training-job producer (its queue and connection).
   * @param lifecycle - Deletes a study's run jobs.
   * @param options - Directories and limits.
   */
  constructor(
    private readonly jobs: TrainingJobProducer,
    private readonly lifecycle: JobLifecycle,
    private readonly options: StudyProducerOptions,
  ) {
    this.keys = studyKeys(options.queueName);
    this.idempotency = new IdempotencyKeys<StudyView>(jobs.redis, this.keys.idempotency, (id) =>
      this.find(id),
    );
  }

  /**
   * Plans a study, checks it like a job (dataset, cost of one run, room in the queue for all of them) and
   * queues its runs.
   *
   * @throws {@link ValidationError} (400) when the request cannot make a plan, naming the field;
   *   {@link DatasetError} / {@link JobTooLargeError} (422) as for a job; {@link ConflictError} for an
   *   Idempotency-Key reused with another body; {@link ServiceUnavailableError} (503) when the queue has
   *   no room for every run, or Redis is down.
   */
  async submit(
    request: StudyRequest,
    options: SubmitStudyOptions = {},
  ): Promise<{ study: StudyView; replayed: boolean }> {
    return this.jobs.guard(async () => {
      const resolved = resolveStudyRequest(request);
      const { runs } = studyPlan(resolved);
      await checkStudyCost(resolved, runs, this.options);
      const reused = matchingResults(runs, options.priorResults ?? []);
      // Why less the reused runs: they get no job.
      const toQueue = runs.length - reused.length;
      const key = options.idempotencyKey;
      let id: string = randomUUID();
      if (key !== undefined) {
        const earlier = await this.idempotency.earlierJob(key, resolved);
        if (earlier !== undefined) return { study: earlier, replayed: true };
        await this.jobs.assertRoomInQueue(toQueue);
        const reservation = await this.idempotency.reserve(key, resolved);
        if ('earlierJob' in reservation) return { study: reservation.earlierJob, replayed: true };
        id = reservation.jobId;
      } else {
        await this.jobs.assertRoomInQueue(toQueue);
      }
      const record: StudyRecord = { id, request: resolved, createdAt: new Date().toISOString() };
      if (reused.length > 0) {
        // Before the record: a study never names a reused run whose result is not in its store.
        for (const result of reused) await writeRunResult(this.resultsDir(id), result);
        record.reused = reused.map((r) => r.id);
      }
      try {
        // The record first: a crash before the runs are all added leaves a study whose missing runs the
        // next read adds (ensureRuns), never runs without a study.
        await this.jobs.redis
          .multi()
          .set(this.recordKey(id), JSON.stringify(record))
          .zadd(this.keys.index, Date.parse(record.createdAt), id)
          .exec();
      } catch (err) {
        if (key !== undefined) await this.idempotency.release(key);
        throw err;
      }
      await this.ensureRuns(record, runs);
      this.options.logger?.info({ studyId: id, runs: runs.length, reused: reused.length }, 'study queued');
      return { study: await this.get(id), replayed: false };
    });
  }

  /**
   * A study's view (adding any run a crash left out, unless it is being cancelled).
   *
   * @throws {@link NotFoundError} for an unknown id.
   */
  async get(id: string): Promise<StudyView> {
    const view = await this.find(id);
    if (view === undefined) throw new NotFoundError(`Study "${id}" not found`);
    return view;
  }

  /** A study's view, or undefined when there is none with that id. */
  async find(id: string): Promise<StudyView | undefined> {
    return this.jobs.guard(async () => {
      const record = await this.readRecord(id);
      return record && this.viewOf(record, true);
    });
  }

  /** Studies, newest first. */
  async list(options: { limit: number; offset: number }): Promise<{ items: StudySummary[]; total: number }> {
    return this.jobs.guard(async () => {
      const { redis } = this.jobs;
      const total = await redis.zcard(this.keys.index);
      const ids = await redis.zrevrange(this.keys.index, options.offset, options.offset + options.limit - 1);
      const items: StudySummary[] = [];
      for (const id of ids) {
        const record = await this.readRecord(id);
        if (record === undefined) continue;
        const {
          runs,
          table: _table,
          request: _request,
          ...summary
        } = await this.viewOf(record, false, false);
        items.push({ ...summary, runsPlanned: runs.length });
      }
      return { items, total };
    });
  }

  /**
   * Cancels a study: records the request (so no run is added again), then cancels every run that has not
   * ended. The study is `cancelling` until none is active, then `cancelled`.
   *
   * @throws {@link NotFoundError} for an unknown id; {@link ConflictError} when it has completed or failed.
   */
  async cancel(id: string): Promise<StudyView> {
    return this.jobs.guard(async () => {
      const record = await this.readRecord(id);
      if (record === undefined) throw new NotFoundError(`Study "${id}" not found`);
      const before = await this.viewOf(record, false);
      if (before.status === 'completed' || before.status === 'failed') {
        throw new ConflictError(`Study "${id}" has already ${before.status}; there is nothing to cancel.`);
      }
      if (record.cancelRequestedAt === undefined) {
        record.cancelRequestedAt = new Date().toISOString();
        await this.jobs.redis.set(this.recordKey(id), JSON.stringify(record));
      }
      for (const run of before.runs) {
        if (run.status !== 'queued' && run.status !== 'running') continue;
        await this.jobs.cancel(run.jobId).catch((err: unknown) => {
          // It ended (or was never added) between our read and the request: nothing left to stop.
          if (!(err instanceof ConflictError) && !(err instanceof NotFoundError)) throw err;
        });
      }
      this.options.logger?.info({ studyId: id }, 'study cancellation requested');
      return this.viewOf(record, false);
    });
  }

  /**
   * Resumes a study that was cancelled or failed: forgets the cancel request, then queues again every run
   * that was cancelled or failed, each from its newest checkpoint and still a run of the study
   * (`JobLifecycle.resume`), and adds any run that was never queued. Scored and reused runs stay as they
   * are. A crash part-way leaves a study that is `failed` (its cancel request gone): resuming it again
   * finishes the job.
   *
   * @throws {@link NotFoundError} for an unknown id; {@link ConflictError} unless it is cancelled or failed;
   *   {@link ServiceUnavailableError} when the queue has no room for those runs.
   */
  async resume(id: string): Promise<StudyView> {
    return this.jobs.guard(async () => {
      const record = await this.readRecord(id);
      if (record === undefined) throw new NotFoundError(`Study "${id}" not found`);
      const before = await this.viewOf(record, false, false);
      if (before.status !== 'cancelled' && before.status !== 'failed') {
        throw new ConflictError(
          `Study "${id}" is ${before.status}; only a cancelled or failed study can be resumed.`,
        );
      }
      const ended = before.runs.filter((run) => run.status === 'cancelled' || run.status === 'failed');
      await this.jobs.assertRoomInQueue(ended.length);
      if (record.cancelRequestedAt !== undefined) {
        delete record.cancelRequestedAt;
        await this.jobs.redis.set(this.recordKey(id), JSON.stringify(record));
      }
      const { runs } = studyPlan(record.request);
      for (const run of ended) {
        const k = before.runs.indexOf(run);
        // Why the link from the plan: an archive written before archives kept it has none.
        const study = { id: record.id, run: { ...runs[k]! } };
        await this.lifecycle.resume(run.jobId, { study }).catch((err: unknown) => {
          // A concurrent resume of the study, or of this run, queued it first; a run that never got a job
          // (cancelled before it was added) is added below.
          if (!(err instanceof ConflictError) && !(err instanceof NotFoundError)) throw err;
        });
      }
      await this.ensureRuns(record, runs);
      this.options.logger?.info({ studyId: id, runs: ended.length }, 'study resumed');
      return this.viewOf(record, false);
    });
  }

  /**
   * Deletes a study that has ended: its run jobs, its results, its record, and with `models` the models
   * its runs trained.
   *
   * @throws {@link NotFoundError} for an unknown id; {@link JobRunningError} (409) while it is active.
   */
  async delete(id: string, options: { models: boolean }): Promise<void> {
    await this.jobs.guard(async () => {
      const record = await this.readRecord(id);
      if (record === undefined) throw new NotFoundError(`Study "${id}" not found`);
      const view = await this.viewOf(record, false);
      if (view.status === 'queued' || view.status === 'running' || view.status === 'cancelling') {
        throw new JobRunningError(
          `Study "${id}" is ${view.status}; cancel it (POST /v1/studies/${id}/cancel) and wait until it is cancelled before deleting it.`,
        );
      }
      for (const run of view.runs) {
        await this.lifecycle.delete(run.jobId).catch((err: unknown) => {
          if (!(err instanceof NotFoundError)) throw err;
        });
        if (options.models && run.modelId !== undefined) {
          await deleteModel(this.options.artifactDir, run.modelId).catch((err: unknown) => {
            if (!(err instanceof NotFoundError)) throw err;
          });
        }
      }
      await rm(studyDir(this.options.artifactDir, id), { recursive: true, force: true });
      await this.jobs.redis.multi().del(this.recordKey(id)).zrem(this.keys.index, id).exec();
      this.options.logger?.info({ studyId: id, models: options.models }, 'study deleted');
    });
  }

  /** The results of a study's scored runs, in plan order, with its plan. */
  async results(id: string): Promise<{ plan: ExperimentPlan; results: RunResult[] }> {
    const record = await this.readRecord(id);
    if (record === undefined) throw new NotFoundError(`Study "${id}" not found`);
    const { plan, runs } = studyPlan(record.request);
    return { plan, results: await loadPlanResults(this.resultsDir(id), runs) };
  }

  /**
   * What the dashboard's compare page draws of a study: every scored run's recorded curve, final weights
   * and per-class IoU on the test split, with the class names.
   *
   * @throws {@link NotFoundError} for an unknown id.
   */
  async curves(id: string): Promise<StudyCurves> {
    return studyCurves((await this.results(id)).results);
  }

  /** The table of a study as markdown (the bench's table). */
  async markdownTable(id: string): Promise<string> {
    const { plan, results } = await this.results(id);
    return renderSummaryTable(summariseExperiment(plan, results));
  }

  /**
   * Adds the runs of a study that BullMQ does not hold and were not reused (a no-op for the others; the
   * callers skip cancelled studies).
   */
  private async ensureRuns(record: StudyRecord, runs: readonly PlannedRun[]): Promise<void> {
    const submittedAt = Date.parse(record.createdAt);
    const reused = new Set(record.reused);
    // Seed by seed (the queue is first in, first out), so that a study stopped part-way has a table with
    // every row in it.
    const seedMajor = [...runs.entries()].sort(
      ([a, x], [b, y]) =>
        record.request.seeds.indexOf(x.seed) - record.request.seeds.indexOf(y.seed) || a - b,
    );
    for (const [k, run] of seedMajor) {
      if (reused.has(run.id)) continue;
      const jobId = studyRunJobId(record.id, k);
      if ((await this.jobs.find(jobId)) !== undefined) continue;
      await this.jobs.addStudyRun(
        jobId,
        runSpec(record.id, run),
        { id: record.id, run: { ...run } },
        submittedAt,
      );
    }
  }

  /** Builds a study's view; `repair` adds missing runs first (see {@link StudyProducer.ensureRuns}). */
  private async viewOf(record: StudyRecord, repair: boolean, withTable = true): Promise<StudyView> {
    const { plan, runs } = studyPlan(record.request);
    let jobs = await Promise.all(runs.map((_, k) => this.jobs.find(studyRunJobId(record.id, k))));
    const reused = new Set(record.reused);
    const missing = jobs.some((job, k) => job === undefined && !reused.has(runs[k]!.id));
    if (repair && record.cancelRequestedAt === undefined && missing) {
      await this.ensureRuns(record, runs);
      jobs = await Promise.all(runs.map((_, k) => this.jobs.find(studyRunJobId(record.id, k))));
    }
    const results = withTable ? await loadPlanResults(this.resultsDir(record.id), runs) : [];
    return buildStudyView(record, plan, runs, jobs, results);
  }

  /** The study's results store. */
  private resultsDir(id: string): string {
    return studyResultsDir(this.options.artifactDir, id);
  }

  private recordKey(id: string): string {
    return `${this.keys.record}${id}`;
  }

  private async readRecord(id: string): Promise<StudyRecord | undefined> {
    const text = await this.jobs.redis.get(this.recordKey(id));
    return text === null ? undefined : (JSON.parse(text) as StudyRecord);
  }
}

/** A run's training spec as queued: the planned spec with the study's label. */
function runSpec(studyId: string, run: PlannedRun): TrainingSpec {
  return { ...run.spec.training, labels: { [STUDY_LABEL]: studyId } };
}
