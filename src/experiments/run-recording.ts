/**
 * The parts of an experiment run that surround its training, in the training worker that is given a study
 * run (the experiment runner's runs are study runs too). While training, a
 * {@link RunRecording} keeps the run's curve (appended to a file, so a resumed attempt keeps its points)
 * and its step times; afterwards {@link completeRun} scores the trained model on the test split and writes
 * the run's {@link RunResult} to the results store.
 *
 * @packageDocumentation
 */
import { appendFile, mkdir, readFile } from 'node:fs/promises';
import { cpus, loadavg } from 'node:os';
import { dirname } from 'node:path';
import { NUM_TRAIN_CLASSES, THING_TRAIN_IDS, createDatasetPipeline } from '../data/index.js';
import { loadModel } from '../model/artifacts.js';
import { evaluateModel } from '../model/evaluate.js';
import type { TrainingJobResult } from '../model/training-job.js';
import type { EpochSummary, StepProgress } from '../model/training-progress.js';
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

/** A run's curve and step times as it trains, the curve also in a JSON-lines file. */
export class RunRecording {
  private readonly stepMs: number[] = [];
  private readonly cpuAtStart = process.cpuUsage();

  private constructor(
    private readonly recorder: CurveRecorder,
    private readonly curveFile: string,
  ) {}

  /**
   * Starts recording a run's curve into `curveFile`, continuing the points an earlier attempt of the run
   * wrote there (a torn last line from a kill is skipped).
   *
   * @param curveEvery - Steps between two curve points (the plan's `curveEvery`).
   */
  static async open(curveFile: string, curveEvery: number): Promise<RunRecording> {
    await mkdir(dirname(curveFile), { recursive: true });
    return new RunRecording(new CurveRecorder(curveEvery, await readCurve(curveFile)), curveFile);
  }

  /** Takes one training step's report; returns the curve point it closed, if any (already in the file). */
  async step(progress: StepProgress): Promise<CurvePoint | undefined> {
    this.stepMs.push(progress.stepMs);
    const point = this.recorder.add(progress);
    if (point !== undefined) await appendFile(this.curveFile, `${JSON.stringify(point)}\n`);
    return point;
  }

  /** Every curve point so far, earlier attempts' included. */
  curve(): CurvePoint[] {
    return this.recorder.curve();
  }

  /** Median wall time of this attempt's steps (null before the first). */
  medianStepMs(): number | null {
    return median(this.stepMs);
  }

  /** This process's CPU time per step of this attempt (null before the first). */
  cpuMsPerStep(): number | null {
    return this.stepMs.length === 0 ? null : cpuMs(process.cpuUsage(this.cpuAtStart)) / this.stepMs.length;
  }
}

/** Where {@link completeRun} finds what the training left and where it puts the result. */
export interface CompletedTraining {
  run: PlannedRun;
  /** What `runTrainingJob` returned. */
  training: TrainingJobResult;
  recording: RunRecording;
  /** The job id the run trained under (its model is `training.modelId`). */
  jobId: string;
  /** DATA_DIR the run's dataset path is resolved in. */
  dataDir: string;
  /** ARTIFACT_DIR the run trained in (its model, the target cache). */
  artifactDir: string;
  /** The results store the result file goes to. */
  resultsDir: string;
}

/**
 * Scores a trained run's model on its dataset's test split and writes its {@link RunResult} (metrics on
 * validation and test, final weights and log-variances, per-epoch summaries, the curve, timings, machine)
 * to the results store.
 *
 * @returns The result as written.
 */
export async function completeRun(done: CompletedTraining): Promise<RunResult> {
  const { run, training, recording } = done;
  const started = performance.now();
  const test = await evaluateOnSplit(done, testSplit(run.spec.dataset));
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
    curve: recording.curve(),
    timing: {
      wallSeconds:
        training.history.reduce((sum, epoch) => sum + epoch.durationMs, 0) / 1000 + testEvaluationSeconds,
      testEvaluationSeconds,
      medianStepMs: recording.medianStepMs(),
      cpuMsPerStep: recording.cpuMsPerStep(),
    },
    backend: training.backend.name,
    machine: `${cpus().length} x ${cpus()[0]?.model.trim() ?? 'unknown CPU'}`,
    loadAverage: loadavg()[0]!,
    finishedAt: new Date().toISOString(),
  };
  await writeRunResult(done.resultsDir, result);
  return result;
}

/** The trained model of the run, evaluated on a split of its dataset (in order, no augmentation). */
async function evaluateOnSplit(done: CompletedTraining, split: string): Promise<Record<string, unknown>> {
  const spec = done.run.spec.training;
  const [height, width] = spec.model.inputSize;
  const { model } = await loadModel(done.artifactDir, done.training.modelId);
  try {
    const pipeline = await createDatasetPipeline({
      dataDir: done.dataDir,
      datasetPath: spec.dataset.kind === 'cityscapes' ? spec.dataset.path : '',
      split,
      width,
      height,
      batchSize: spec.training.batchSize,
      training: false,
      cache: { artifactDir: done.artifactDir },
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
