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
import { ValidationError } from '../errors.js';
import { isWellFormedId } from '../model/ids.js';
import type { TrainingJobResult } from '../model/training-job.js';
import type { TrainingSpec } from '../model/training-spec.js';
import { specHash, type PlannedRun } from './plan.js';
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

/** A run id as `planRuns` makes them, `<row>-seed<k>`: it names the run's result file. */
const RUN_ID = /^[a-z0-9][a-z0-9.-]{0,79}-seed[0-9]{1,9}$/;

/**
 * Checks a study run as a job carries it before anything is written for it: a study id that is a
 * well-formed id and a run id of `planRuns`' form (both name paths), a planned run whose spec hash is that
 * of its spec, and a job spec equal to the run's training spec but for the job's labels (so that the
 * result describes what was trained).
 *
 * @throws ValidationError naming the first field that is off (`study.id`, `study.run.id`, ...).
 */
export function checkStudyRun(studyId: string, run: PlannedRun, jobSpec: TrainingSpec): void {
  if (typeof studyId !== 'string' || !isWellFormedId(studyId)) {
    throw new ValidationError(`study.id must be a well-formed id, got ${JSON.stringify(studyId)}`);
  }
  if (typeof run?.id !== 'string' || !RUN_ID.test(run.id)) {
    throw new ValidationError(`study.run.id must match ${String(RUN_ID)}, got ${JSON.stringify(run?.id)}`);
  }
  if (run.spec === undefined || typeof run.specHash !== 'string' || specHash(run.spec) !== run.specHash) {
    throw new ValidationError(`study.run.specHash does not match study.run.spec (run ${run.id})`);
  }
  const withoutLabels = (spec: TrainingSpec) => ({ ...spec, labels: undefined });
  if (specHash(withoutLabels(jobSpec)) !== specHash(withoutLabels(run.spec.training))) {
    throw new ValidationError(`spec differs from study.run.spec.training (run ${run.id})`);
  }
}

/** `ARTIFACT_DIR/studies/<studyId>`: everything a study writes beside its run jobs. */
export function studyDir(artifactDir: string, studyId: string): string {
  return join(artifactDir, 'studies', studyId);
}

/** `ARTIFACT_DIR/studies/<studyId>/results`: the study's results store, one `<run>.json` per finished run. */
export function studyResultsDir(artifactDir: string, studyId: string): string {
  return join(studyDir(artifactDir, studyId), 'results');
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
