/**
 * One run of an experiment, in the process that trains it: the library's training job on the prepared
 * dataset (with its per-epoch checkpoints, so a stopped run resumes), the curves, the evaluation of the
 * trained model on the test split, and the result file.
 *
 * @packageDocumentation
 */
import { appendFile, mkdir, readFile, rm } from 'node:fs/promises';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { NUM_TRAIN_CLASSES, THING_TRAIN_IDS, createDatasetPipeline } from '../data/index.js';
import { loadModel } from '../model/artifacts.js';
import { assertWellFormedId } from '../model/ids.js';
import { evaluateModel } from '../model/evaluate.js';
import { runTrainingJob } from '../model/training-job.js';
import type { EpochSummary } from '../model/training-progress.js';
import { testSplit, type PlannedRun } from './plan.js';
import { writeRunResult } from './results-store.js';
import {
  CurveRecorder,
  logVarianceFields,
  RUN_RESULT_FORMAT,
  type CurvePoint,
  type EpochPoint,
  type RunResult,
} from './run-result.js';

/** What a training process needs to run one planned run. */
export interface RunRequest {
  run: PlannedRun;
  /** Root the run's dataset path is resolved in (see `prepareExperimentDataset`). */
  dataDir: string;
  /** The runner's scratch space: checkpoints, the trained model, the target cache. */
  workDir: string;
  /** The results store the result file is written to. */
  resultsDir: string;
}

/** Reports of a run in progress. */
export interface RunHooks {
  onCurvePoint?: (point: CurvePoint, totalSteps: number) => void;
  signal?: AbortSignal;
}

/**
 * The job id of a run: its id and the start of its hash, so a changed spec never resumes old checkpoints.
 * Dots (in fixed-weight row ids such as `fixed-1-0.3-1.2`) become underscores: job and model ids allow
 * none (`ID_PATTERN`).
 */
export function runJobId(run: PlannedRun): string {
  const id = `${run.id.replaceAll('.', '_')}-${run.specHash.slice(0, 12)}`;
  assertWellFormedId(id, 'job');
  return id;
}

/**
 * Trains a planned run (resuming from its newest checkpoint in `workDir`, if a previous attempt left
 * one), evaluates the model on the validation and test splits, writes `<resultsDir>/<run>.json` and
 * removes the run's checkpoints and model from `workDir`.
 *
 * @throws TrainingAbortedError when `hooks.signal` fires (after writing a mid-epoch checkpoint).
 */
export async function executeRun(request: RunRequest, hooks: RunHooks = {}): Promise<RunResult> {
  const { run, workDir, dataDir } = request;
  const jobId = runJobId(run);
  const scratch = join(workDir, 'runs', jobId);
  const curveFile = join(scratch, 'curve.jsonl');
  await mkdir(scratch, { recursive: true });
  const recorder = new CurveRecorder(run.spec.curveEvery, await readCurve(curveFile));
  const stepMs: number[] = [];
  const cpuAtStart = process.cpuUsage();
  const training = await runTrainingJob(run.spec.training, {
    jobId,
    dataDir,
    artifactDir: workDir,
    cores: 1,
    checkpointOnAbort: true,
    ...(hooks.signal ? { signal: hooks.signal } : {}),
    onStep: async (progress) => {
      stepMs.push(progress.stepMs);
      const point = recorder.add(progress);
      if (point === undefined) return;
      await appendFile(curveFile, `${JSON.stringify(point)}\n`);
      hooks.onCurvePoint?.(point, progress.totalSteps);
    },
  });
  const started = performance.now();
  const test = await evaluateOnSplit(request, jobId, testSplit(run.spec.dataset));
  const testEvaluationSeconds = (performance.now() - started) / 1000;
  const last = training.history.at(-1)!;
  const result: RunResult = {
    format: RUN_RESULT_FORMAT,
    id: run.id,
    row: run.row,
    seed: run.seed,
    specHash: run.specHash,
    spec: run.spec,
    steps: training.steps,
    metrics: { validation: last.metrics ?? {}, test },
    final: { weights: { ...last.weights }, ...logVarianceFields(last) },
    epochs: training.history.map(epochPoint),
    curve: recorder.curve(),
    timing: {
      wallSeconds:
        training.history.reduce((sum, epoch) => sum + epoch.durationMs, 0) / 1000 + testEvaluationSeconds,
      testEvaluationSeconds,
      medianStepMs: median(stepMs),
      cpuMsPerStep: stepMs.length === 0 ? null : cpuMs(process.cpuUsage(cpuAtStart)) / stepMs.length,
    },
    backend: training.backend.name,
    machine: `${cpus().length} x ${cpus()[0]?.model.trim() ?? 'unknown CPU'}`,
    loadAverage: loadavg()[0]!,
    finishedAt: new Date().toISOString(),
  };
  await writeRunResult(request.resultsDir, result);
  await Promise.all(
    [scratch, join(workDir, 'jobs', jobId), join(workDir, 'models', jobId)].map((dir) =>
      rm(dir, { recursive: true, force: true }),
    ),
  );
  return result;
}

/** The trained model of the run, evaluated on a split of its dataset (in order, no augmentation). */
async function evaluateOnSplit(
  request: RunRequest,
  jobId: string,
  split: string,
): Promise<Record<string, unknown>> {
  const spec = request.run.spec.training;
  const [height, width] = spec.model.inputSize;
  const { model } = await loadModel(request.workDir, jobId);
  try {
    const pipeline = await createDatasetPipeline({
      dataDir: request.dataDir,
      datasetPath: spec.dataset.kind === 'cityscapes' ? spec.dataset.path : '',
      split,
      width,
      height,
      batchSize: spec.training.batchSize,
      training: false,
      cache: { artifactDir: request.workDir },
    });
    try {
      const result = await evaluateModel(model, spec.tasks, pipeline.batches(0), {
        classes: NUM_TRAIN_CLASSES,
        thingTrainIds: THING_TRAIN_IDS,
      });
      return result as unknown as Record<string, unknown>;
    } finally {
      await pipeline.close();
    }
  } finally {
    model.dispose();
  }
}

/** An epoch summary as the result keeps it: the headline validation numbers, not every per-class IoU. */
function epochPoint(summary: EpochSummary): EpochPoint {
  const headline = (summary.metrics as { headline?: Record<string, unknown> } | undefined)?.headline;
  return {
    epoch: summary.epoch,
    losses: { ...summary.losses },
    weights: { ...summary.weights },
    ...logVarianceFields(summary),
    ...(headline ? { validation: { ...headline } } : {}),
  };
}

/** Curve points an earlier attempt wrote (a torn last line from a kill is skipped). */
async function readCurve(file: string): Promise<CurvePoint[]> {
  const text = await readFile(file, 'utf8').catch(() => '');
  return text
    .split('\n')
    .filter((line) => line.trim() !== '')
    .flatMap((line) => {
      try {
        return [JSON.parse(line) as CurvePoint];
      } catch {
        return [];
      }
    });
}

/** User plus system CPU time in ms. */
function cpuMs(usage: NodeJS.CpuUsage): number {
  return (usage.user + usage.system) / 1000;
}

/** The median of some numbers; null when there are none. */
function median(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}
