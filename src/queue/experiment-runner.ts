/**
 * The experiment runner: a plan run as a study of the service, on a private one. In `queue/`, not in the
 * experiments library, because it drives the queue and a worker process (DESIGN.md: `experiments/` never
 * imports `queue/` or `workers/`); the library keeps the plan, the results and the table. It starts a redis-server
 * with its data in the work directory, one training worker process (`workers/training-worker.ts`) that
 * runs `concurrency` jobs at once, and submits the plan's request to the same `StudyProducer` that
 * `POST /v1/studies` calls, so every run is an ordinary training job trained, checkpointed and scored by
 * the same code as a study submitted over REST (docs/studies.md). As the runs are scored it copies their
 * result files into `resultsDir`.
 *
 * Resuming: the results already in `resultsDir` with the plan's spec hashes are handed to the study as
 * prior results (those runs get no job); a study stopped mid-way (Ctrl-C, `stopAfter`) is continued on the
 * next invocation with the same work directory, its runs in progress from their last checkpoints, because
 * Redis keeps its data there (AOF) and the work directory remembers which study the plan is.
 *
 * @packageDocumentation
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { extname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { WORKER_GRACE_PERIOD_MS } from '../lifecycle.js';
import { ExperimentRunError, ExperimentWorkerError } from '../experiments/errors.js';
import { specHash, type PlannedRun } from '../experiments/plan.js';
import { readStoredResult, writeRunResult } from '../experiments/results-store.js';
import type { RunResult } from '../experiments/run-result.js';
import { studyResultsDir } from '../experiments/study-run.js';
import {
  MAX_STUDY_RUNS,
  resolveStudyRequest,
  studyPlan,
  type StudyRequest,
} from '../experiments/study-plan.js';
import { JobLifecycle } from './job-lifecycle.js';
import { LocalRedisServer } from './local-redis-server.js';
import { StudyProducer, isFinalStudyStatus, type StudyView } from './study-producer.js';
import { TrainingJobProducer } from './training-job-producer.js';

/** What {@link runExperiment} needs. */
export interface RunExperimentOptions {
  /** The comparison, as `POST /v1/studies` takes it (its name names the plan in reports). */
  request: StudyRequest;
  /** The results store the finished runs are copied to (one JSON file per run), and resumed from. */
  resultsDir: string;
  /**
   * The private service's directory, kept between invocations: its Redis data, `ARTIFACT_DIR` (checkpoints
   * of unfinished runs, the study's own store) and `DATA_DIR` (the generated scenes) beneath it.
   */
  workDir: string;
  /** Training jobs at once (`WORKER_CONCURRENCY`). Default: one per core. */
  concurrency?: number;
  /** Stop (as on `signal`) once this many runs have finished in this invocation: the rest wait for the next. */
  stopAfter?: number;
  /** Stops the runs in progress (each writes a checkpoint and goes back to the queue) and starts no more. */
  signal?: AbortSignal;
  onEvent?: (event: RunnerEvent) => void;
  /** Environment of the worker process (on top of the variables the runner sets). Default: this process's. */
  env?: NodeJS.ProcessEnv;
  /** Between two reads of the study. Default {@link FOLLOW_INTERVAL_MS}. */
  followIntervalMs?: number;
}

/** What happens to the runs, as it happens. */
export type RunnerEvent =
  | { type: 'skipped'; run: PlannedRun }
  | { type: 'stale'; run: PlannedRun; reason: string }
  | { type: 'study'; studyId: string; continued: boolean; workerPid: number | undefined }
  | { type: 'started'; run: PlannedRun; jobId: string }
  | { type: 'progress'; run: PlannedRun; percent: number }
  | { type: 'finished'; run: PlannedRun; seconds: number }
  | { type: 'failed'; run: PlannedRun; message: string };

/** What an invocation did, by run id. */
export interface ExperimentOutcome {
  planned: number;
  /** The study that trained them (absent when every run was already done). */
  studyId?: string;
  /** Already done (a matching result file existed). */
  skipped: string[];
  finished: string[];
  failed: { id: string; message: string }[];
  /** Not finished (stopped, or beyond `stopAfter`). */
  pending: string[];
}

/** Between two reads of the study. Why 5 s: a run takes minutes; a read parses every result so far (~50 KB each). */
export const FOLLOW_INTERVAL_MS = 5_000;

/** The start of the runner's queue names on its private Redis (one queue per plan, see {@link planKey}). */
const QUEUE_PREFIX_NAME = 'experiments';

/** The worker entry: `.ts` under tsx, `.js` when built. */
const WORKER_ENTRY = fileURLToPath(
  new URL(`../../workers/training-worker${extname(fileURLToPath(import.meta.url))}`, import.meta.url),
);

/**
 * Runs every run of the request's plan that has no result in `resultsDir` yet, as a study on a private
 * service (see the module's documentation).
 *
 * @throws ValidationError for a request that makes no plan (before anything starts);
 *   ExperimentWorkerError when the worker process exits by itself. A run that fails is reported in the
 *   outcome (and as an event); the others go on.
 */
export async function runExperiment(options: RunExperimentOptions): Promise<ExperimentOutcome> {
  const { runs } = studyPlan(resolveStudyRequest(options.request));
  const outcome: ExperimentOutcome = {
    planned: runs.length,
    skipped: [],
    finished: [],
    failed: [],
    pending: [],
  };
  const prior: RunResult[] = [];
  for (const run of runs) {
    const stored = await readStoredResult(options.resultsDir, run);
    if (stored.state === 'done') {
      prior.push(stored.result);
      outcome.skipped.push(run.id);
      options.onEvent?.({ type: 'skipped', run });
    } else if (stored.state === 'stale') {
      options.onEvent?.({ type: 'stale', run, reason: stored.reason });
    }
  }
  if (prior.length === runs.length || options.signal?.aborted) {
    outcome.pending = runs.filter((run) => !outcome.skipped.includes(run.id)).map((run) => run.id);
    return outcome;
  }
  const service = await PrivateService.start(options, planKey(runs));
  try {
    const { study, continued, recovered } = await service.openStudy(options, prior);
    outcome.studyId = study.id;
    outcome.skipped.push(...recovered);
    if (!options.signal?.aborted) {
      const worker = service.startWorker(options);
      options.onEvent?.({ type: 'study', studyId: study.id, continued, workerPid: worker.pid });
    }
    await follow(service, study.id, runs, options, outcome);
  } finally {
    await service.close();
  }
  return outcome;
}

/**
 * What names a plan's private queue and its study in the work directory: its runs' spec hashes. Why not
 * the name: two plans (profiles) share a work directory, and each must have a queue of its own, or the
 * worker would take another plan's leftover runs first.
 */
function planKey(runs: readonly PlannedRun[]): string {
  return specHash(runs.map((run) => run.specHash)).slice(0, 16);
}

/** Reads the study until it ends, the worker dies, `stopAfter` runs have finished or `signal` fires. */
async function follow(
  service: PrivateService,
  studyId: string,
  runs: readonly PlannedRun[],
  options: RunExperimentOptions,
  outcome: ExperimentOutcome,
): Promise<void> {
  const byId = new Map(runs.map((run) => [run.id, run]));
  const startedAt = new Map<string, number>();
  const lastPercent = new Map<string, number>();
  const ended = new Set(outcome.skipped);
  const interval = options.followIntervalMs ?? FOLLOW_INTERVAL_MS;
  for (;;) {
    const view = await service.studies.get(studyId);
    for (const runView of view.runs) {
      const run = byId.get(runView.id)!;
      if (ended.has(run.id)) continue;
      if (runView.status === 'running' && !startedAt.has(run.id)) {
        startedAt.set(run.id, performance.now());
        options.onEvent?.({ type: 'started', run, jobId: runView.jobId });
      }
      if (runView.status === 'running' && runView.percent !== lastPercent.get(run.id)) {
        lastPercent.set(run.id, runView.percent);
        options.onEvent?.({ type: 'progress', run, percent: runView.percent });
      }
      if (runView.scored) {
        await copyResult(service.resultsDir(studyId), options.resultsDir, run);
        ended.add(run.id);
        outcome.finished.push(run.id);
        const seconds = (performance.now() - (startedAt.get(run.id) ?? performance.now())) / 1000;
        options.onEvent?.({ type: 'finished', run, seconds });
      } else if (runView.status === 'failed' || runView.status === 'cancelled') {
        const message = runView.error?.message ?? `the run's job was ${runView.status}`;
        ended.add(run.id);
        outcome.failed.push({ id: run.id, message });
        options.onEvent?.({ type: 'failed', run, message });
      }
    }
    const stop =
      isFinalStudyStatus(view.status) ||
      options.signal?.aborted === true ||
      (options.stopAfter !== undefined && outcome.finished.length >= options.stopAfter);
    if (stop) break;
    const exit = await service.waitOrWorkerExit(interval, options.signal);
    if (exit !== undefined) {
      throw new ExperimentWorkerError(studyId, exit);
    }
  }
  outcome.pending = runs.filter((run) => !ended.has(run.id)).map((run) => run.id);
}

/** Copies a scored run's result from the study's store into the experiment's (checked, written atomically). */
async function copyResult(from: string, to: string, run: PlannedRun): Promise<void> {
  const stored = await readStoredResult(from, run);
  if (stored.state !== 'done') {
    throw new ExperimentRunError(run.id, `the study's result of the run is ${stored.state}`);
  }
  await writeRunResult(to, stored.result);
}

/** The private service: its Redis, the producers the API would use, and the worker process. */
class PrivateService {
  private worker: ChildProcess | undefined;
  private workerExit: Promise<string> | undefined;

  private constructor(
    private readonly redis: LocalRedisServer,
    private readonly jobs: TrainingJobProducer,
    readonly studies: StudyProducer,
    private readonly place: {
      workDir: string;
      artifactDir: string;
      dataDir: string;
      queueName: string;
      key: string;
    },
  ) {}

  /** Starts Redis (its data in the work directory) and the producers on the plan's own queue. */
  static async start(options: RunExperimentOptions, key: string): Promise<PrivateService> {
    const workDir = resolve(options.workDir);
    const dirs = { artifactDir: join(workDir, 'artifacts'), dataDir: join(workDir, 'data') };
    const queueName = `${QUEUE_PREFIX_NAME}-${key}`;
    await mkdir(dirs.dataDir, { recursive: true });
    const redis = await LocalRedisServer.start(join(workDir, 'redis'));
    try {
      const jobs = new TrainingJobProducer({
        redisUrl: redis.url,
        queueName,
        ...dirs,
        maxQueuedJobs: MAX_STUDY_RUNS,
        // Why 3 (JOB_ATTEMPTS' default): a crashed training child is retried from its checkpoint.
        jobAttempts: 3,
      });
      const studies = new StudyProducer(jobs, new JobLifecycle(jobs, dirs), {
        queueName,
        ...dirs,
        maxQueuedJobs: MAX_STUDY_RUNS,
      });
      return new PrivateService(redis, jobs, studies, { workDir, ...dirs, queueName, key });
    } catch (error) {
      await redis.stop();
      throw error;
    }
  }

  /** The study's own results store. */
  resultsDir(studyId: string): string {
    return studyResultsDir(this.place.artifactDir, studyId);
  }

  /**
   * The plan's study: the one an earlier invocation left unfinished, or a new one with the prior results.
   * An earlier study that has ended (one of its runs failed, say, or its last run was scored while the
   * worker stopped) has its scored results copied into the results directory first (`recovered`: run ids),
   * then it is deleted and a new one submitted with them, so only the rest is trained again.
   */
  async openStudy(
    options: RunExperimentOptions,
    prior: readonly RunResult[],
  ): Promise<{ study: StudyView; continued: boolean; recovered: string[] }> {
    const pointer = join(this.place.workDir, `study-${this.place.key}.json`);
    const earlierId = await readFile(pointer, 'utf8').then(
      (text) => (JSON.parse(text) as { studyId: string }).studyId,
      () => undefined,
    );
    const earlier = earlierId === undefined ? undefined : await this.studies.find(earlierId);
    if (earlier !== undefined && !isFinalStudyStatus(earlier.status)) {
      return { study: earlier, continued: true, recovered: [] };
    }
    const known = new Set(prior.map((r) => r.id));
    const recovered: RunResult[] = [];
    if (earlier !== undefined) {
      // The same plan's study (the pointer is named after the plan): its results are of the plan's runs.
      for (const result of (await this.studies.results(earlier.id)).results) {
        if (known.has(result.id)) continue;
        await writeRunResult(options.resultsDir, result);
        recovered.push(result);
      }
      await this.studies.delete(earlier.id, { models: true });
    }
    const { study } = await this.studies.submit(options.request, { priorResults: [...prior, ...recovered] });
    await writeFile(`${pointer}.tmp`, `${JSON.stringify({ studyId: study.id })}\n`);
    await rename(`${pointer}.tmp`, pointer);
    return { study, continued: false, recovered: recovered.map((r) => r.id) };
  }

  /** Starts the training worker on the plan's queue, `concurrency` jobs at once. */
  startWorker(options: RunExperimentOptions): ChildProcess {
    const concurrency = Math.max(1, options.concurrency ?? availableParallelism());
    // Why the runner's execArgv: under tsx it carries the TypeScript loader the worker needs too (but not
    // the test runner's flags, under node --test).
    const execArgv = process.execArgv.filter((arg) => !arg.startsWith('--test'));
    const child = spawn(process.execPath, [...execArgv, WORKER_ENTRY], {
      env: {
        ...(options.env ?? process.env),
        REDIS_URL: this.redis.url,
        QUEUE_NAME: this.place.queueName,
        ARTIFACT_DIR: this.place.artifactDir,
        DATA_DIR: this.place.dataDir,
        WORKER_CONCURRENCY: String(concurrency),
      },
      // Why detached: Ctrl-C reaches the whole foreground process group, and a worker that got SIGINT from
      // the terminal would take our SIGTERM a moment later as a second signal and exit without its
      // checkpoint. Only the runner stops it.
      detached: true,
      stdio: ['ignore', 'inherit', 'inherit'],
    });
    this.worker = child;
    this.workerExit = new Promise((resolveExit) =>
      child.once('exit', (code, signal) => resolveExit(signal ?? `code ${String(code)}`)),
    );
    // Why: a crash of this process must not leave the worker training on.
    const killOnExit = (): void => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    };
    process.once('exit', killOnExit);
    void this.workerExit.then(() => process.off('exit', killOnExit));
    return child;
  }

  /** Waits `ms` (or until `signal`); returns how the worker exited if it did meanwhile. */
  async waitOrWorkerExit(ms: number, signal: AbortSignal | undefined): Promise<string | undefined> {
    let timer: NodeJS.Timeout | undefined;
    let onAbort: (() => void) | undefined;
    const waited = new Promise<undefined>((resolveWait) => {
      timer = setTimeout(() => resolveWait(undefined), ms);
      onAbort = () => resolveWait(undefined);
      signal?.addEventListener('abort', onAbort, { once: true });
    });
    try {
      return await Promise.race([waited, this.workerExit ?? waited]);
    } finally {
      clearTimeout(timer);
      if (onAbort) signal?.removeEventListener('abort', onAbort);
    }
  }

  /**
   * Stops the worker (SIGTERM: its jobs in progress checkpoint and go back to the queue; SIGKILL after
   * the worker's own grace period, {@link WORKER_GRACE_PERIOD_MS}), then the producers and Redis.
   */
  async close(): Promise<void> {
    try {
      const worker = this.worker;
      if (worker !== undefined && worker.exitCode === null && worker.signalCode === null) {
        worker.kill('SIGTERM');
        const timer = setTimeout(() => worker.kill('SIGKILL'), WORKER_GRACE_PERIOD_MS);
        await this.workerExit;
        clearTimeout(timer);
      }
      await this.jobs.close();
    } finally {
      await this.redis.stop();
    }
  }
}
