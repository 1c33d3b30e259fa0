/**
 * The experiment runner: the runs of a plan that have no result yet, one training process per core at a
 * time, each writing its result file when it finishes. Runs whose result file exists with the plan's
 * spec hash are skipped, so a stopped experiment continues where it stopped (here, or on a clone that
 * has the committed result files); a run stopped mid-way also resumes from its last checkpoint when the
 * same `workDir` is still there.
 *
 * @packageDocumentation
 */
import { fork, type ChildProcess } from 'node:child_process';
import { availableParallelism } from 'node:os';
import { extname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createDatasetPipeline } from '../data/index.js';
import { prepareExperimentDataset } from './dataset.js';
import { ExperimentRunError } from './errors.js';
import type { RunRequest } from './execute-run.js';
import { planRuns, testSplit, trainingDataset, type ExperimentPlan, type PlannedRun } from './plan.js';
import { readStoredResult } from './results-store.js';
import type { RunChildMessage, RunChildRequest } from './run-child.js';

/** What {@link runExperiment} needs. */
export interface RunExperimentOptions {
  plan: ExperimentPlan;
  /** The results store (one JSON file per finished run). */
  resultsDir: string;
  /** Scratch space kept between invocations: generated data, target cache, checkpoints of unfinished runs. */
  workDir: string;
  /** DATA_DIR for a plan on a CityScapes-layout dataset. */
  dataDir?: string;
  /** Training processes at once. Default: one per core (`os.availableParallelism()`). */
  concurrency?: number;
  /** Start at most this many runs (the rest stay pending), e.g. for a smoke test of a long plan. */
  maxRuns?: number;
  /** Start only the runs of these rows (the rest stay pending). */
  rows?: readonly string[];
  /** Stops the runs in progress (each writes a checkpoint first) and starts no more. */
  signal?: AbortSignal;
  onEvent?: (event: RunnerEvent) => void;
  /** Environment of the training processes. Default: this process's. */
  env?: NodeJS.ProcessEnv;
}

/** What happens to the runs, as it happens. */
export type RunnerEvent =
  | { type: 'skipped'; run: PlannedRun }
  | { type: 'stale'; run: PlannedRun; reason: string }
  | { type: 'started'; run: PlannedRun; pid: number | undefined }
  | { type: 'progress'; run: PlannedRun; step: number; totalSteps: number }
  | { type: 'finished'; run: PlannedRun; seconds: number }
  | { type: 'failed'; run: PlannedRun; message: string };

/** What an invocation did, by run id. */
export interface ExperimentOutcome {
  planned: number;
  /** Already done (a matching result file existed). */
  skipped: string[];
  finished: string[];
  failed: { id: string; message: string }[];
  /** Not started (stopped, or beyond `maxRuns`). */
  pending: string[];
}

/** The training process's entry file: `.ts` under tsx, `.js` when built. */
const CHILD_ENTRY = fileURLToPath(
  new URL(`./run-child${extname(fileURLToPath(import.meta.url))}`, import.meta.url),
);

/**
 * Runs every run of `plan` that has no result yet.
 *
 * @throws ValidationError for an invalid plan (before anything runs). A run that fails is reported in the
 *   outcome (and as an event); the others go on.
 */
export async function runExperiment(options: RunExperimentOptions): Promise<ExperimentOutcome> {
  const runs = planRuns(options.plan);
  const outcome: ExperimentOutcome = {
    planned: runs.length,
    skipped: [],
    finished: [],
    failed: [],
    pending: [],
  };
  const todo: PlannedRun[] = [];
  // Seed by seed, so that a stopped experiment has a partial table with every row in it.
  for (const run of seedMajor(runs, options.plan.seeds)) {
    const stored = await readStoredResult(options.resultsDir, run);
    if (stored.state === 'done') {
      outcome.skipped.push(run.id);
      options.onEvent?.({ type: 'skipped', run });
      continue;
    }
    if (stored.state === 'stale') options.onEvent?.({ type: 'stale', run, reason: stored.reason });
    todo.push(run);
  }
  const wanted = todo.filter((run) => options.rows === undefined || options.rows.includes(run.row.id));
  const queue = wanted.slice(0, options.maxRuns ?? Infinity);
  outcome.pending = todo.filter((run) => !queue.includes(run)).map((run) => run.id);
  if (queue.length === 0) return outcome;
  const location = await prepareExperimentDataset(options.plan.dataset, {
    workDir: options.workDir,
    ...(options.dataDir !== undefined ? { dataDir: options.dataDir } : {}),
  });
  await warmTargetCaches(options.plan, location.dataDir, options.workDir);
  const concurrency = Math.max(1, options.concurrency ?? availableParallelism());
  const workers = Array.from({ length: Math.min(concurrency, queue.length) }, async () => {
    for (let run = queue.shift(); run !== undefined; run = queue.shift()) {
      if (options.signal?.aborted) {
        outcome.pending.push(run.id);
        continue;
      }
      const request: RunRequest = {
        run,
        dataDir: location.dataDir,
        workDir: options.workDir,
        resultsDir: options.resultsDir,
      };
      const started = performance.now();
      try {
        await runInChild(request, options);
        outcome.finished.push(run.id);
        options.onEvent?.({ type: 'finished', run, seconds: (performance.now() - started) / 1000 });
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        if (options.signal?.aborted) outcome.pending.push(run.id);
        else outcome.failed.push({ id: run.id, message });
        options.onEvent?.({ type: 'failed', run, message });
      }
    }
  });
  await Promise.all(workers);
  return outcome;
}

/** The runs ordered by seed, then by row. */
function seedMajor(runs: readonly PlannedRun[], seeds: readonly number[]): PlannedRun[] {
  return [...runs].sort((a, b) => seeds.indexOf(a.seed) - seeds.indexOf(b.seed));
}

/**
 * Builds the target caches of the three splits before the training processes start, so they do not
 * each build the same one at once.
 */
async function warmTargetCaches(plan: ExperimentPlan, dataDir: string, workDir: string): Promise<void> {
  const dataset = trainingDataset(plan.dataset);
  if (dataset.kind !== 'cityscapes') return;
  const [height, width] = plan.model.inputSize;
  for (const split of [dataset.trainSplit, dataset.validationSplit, testSplit(plan.dataset)]) {
    const pipeline = await createDatasetPipeline({
      dataDir,
      datasetPath: dataset.path,
      split,
      width,
      height,
      batchSize: 1,
      training: false,
      cache: { artifactDir: workDir },
    });
    await pipeline.close();
  }
}

/** Trains one run in a fresh process and waits for its result file. */
function runInChild(request: RunRequest, options: RunExperimentOptions): Promise<void> {
  const { run } = request;
  // Why the runner's execArgv: under tsx it carries the TypeScript loader the child needs too (but not
  // the test runner's flags, under node --test).
  const child: ChildProcess = fork(CHILD_ENTRY, [], {
    execArgv: process.execArgv.filter((arg) => !arg.startsWith('--test')),
    env: options.env ?? process.env,
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  options.onEvent?.({ type: 'started', run, pid: child.pid });
  const stop = (): void => void child.kill('SIGTERM');
  options.signal?.addEventListener('abort', stop, { once: true });
  return new Promise<void>((resolve, reject) => {
    let outcome: RunChildMessage | undefined;
    child.on('message', (message: RunChildMessage) => {
      if (message.type === 'point') {
        options.onEvent?.({ type: 'progress', run, step: message.step, totalSteps: message.totalSteps });
      } else {
        outcome = message;
      }
    });
    child.on('error', (error) => reject(new ExperimentRunError(run.id, error.message)));
    child.on('exit', (code, signal) => {
      options.signal?.removeEventListener('abort', stop);
      if (outcome?.type === 'done' && code === 0) return resolve();
      const why =
        outcome?.type === 'failed'
          ? outcome.message
          : `training process exited with ${signal ?? `code ${String(code)}`} before its result`;
      reject(new ExperimentRunError(run.id, why));
    });
    const message: RunChildRequest = { type: 'run', request };
    child.send(message);
  });
}
