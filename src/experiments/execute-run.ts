/**
 * One run of an experiment, in the process that trains it: the library's training job on the prepared
 * dataset (with its per-epoch checkpoints, so a stopped run resumes), the curves, the evaluation of the
 * trained model on the test split, and the result file (the last two, and the curves, in
 * `run-recording.ts`, which a training worker's study runs share).
 *
 * @packageDocumentation
 */
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { assertWellFormedId } from '../model/ids.js';
import { runTrainingJob } from '../model/training-job.js';
import type { PlannedRun } from './plan.js';
import type { CurvePoint, RunResult } from './run-result.js';
import { completeRun, RunRecording } from './run-recording.js';

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
  const recording = await RunRecording.open(join(scratch, 'curve.jsonl'), run.spec.curveEvery);
  const training = await runTrainingJob(run.spec.training, {
    jobId,
    dataDir,
    artifactDir: workDir,
    cores: 1,
    checkpointOnAbort: true,
    ...(hooks.signal ? { signal: hooks.signal } : {}),
    onStep: async (progress) => {
      const point = await recording.step(progress);
      if (point !== undefined) hooks.onCurvePoint?.(point, progress.totalSteps);
    },
  });
  const result = await completeRun({
    run,
    training,
    recording,
    jobId,
    dataDir,
    artifactDir: workDir,
    resultsDir: request.resultsDir,
  });
  await Promise.all(
    [scratch, join(workDir, 'jobs', jobId), join(workDir, 'models', jobId)].map((dir) =>
      rm(dir, { recursive: true, force: true }),
    ),
  );
  return result;
}
