/**
 * A study run trained by a training worker (docs/studies-design.md): an ordinary training job whose data
 * names its study and planned run. The worker records its curve beside the job's checkpoints, so a resumed
 * attempt keeps it, and when training is done scores the model on the test split and writes the run's
 * result into the study's results store, exactly as the experiment runner's own processes do
 * (`run-recording.ts`).
 *
 * @packageDocumentation
 */
import { join } from 'node:path';
import type { TrainingJobResult } from '../model/training-job.js';
import type { PlannedRun } from './plan.js';
import type { RunResult } from './run-result.js';
import { completeRun, RunRecording } from './run-recording.js';

/** Where a study run lives: the study, the planned run, and the service's directories. */
export interface StudyRunPlace {
  studyId: string;
  run: PlannedRun;
  /** The training job's id (also its model's). */
  jobId: string;
  dataDir: string;
  artifactDir: string;
}

/** `ARTIFACT_DIR/studies/<studyId>/results`: the study's results store, one `<run>.json` per finished run. */
export function studyResultsDir(artifactDir: string, studyId: string): string {
  return join(artifactDir, 'studies', studyId, 'results');
}

/** `ARTIFACT_DIR/jobs/<jobId>/curve.jsonl`: a study run's curve, beside its job's checkpoints. */
export function studyRunCurveFile(artifactDir: string, jobId: string): string {
  return join(artifactDir, 'jobs', jobId, 'curve.jsonl');
}

/** Starts (or, after an interrupted attempt, continues) recording a study run's curve. */
export function openStudyRun(place: StudyRunPlace): Promise<RunRecording> {
  return RunRecording.open(studyRunCurveFile(place.artifactDir, place.jobId), place.run.spec.curveEvery);
}

/**
 * Finishes a trained study run: the test-split evaluation and its result file in the study's store.
 *
 * @returns The result as written.
 */
export function completeStudyRun(
  place: StudyRunPlace,
  training: TrainingJobResult,
  recording: RunRecording,
): Promise<RunResult> {
  return completeRun({
    run: place.run,
    training,
    recording,
    jobId: place.jobId,
    dataDir: place.dataDir,
    artifactDir: place.artifactDir,
    resultsDir: studyResultsDir(place.artifactDir, place.studyId),
  });
}
