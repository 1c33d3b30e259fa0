/**
 * The training processor: trains one job inside a training child (`training-child-main`), the process the
 * worker forks so that the CPU-bound training never blocks the worker's event loop and its lock renewals.
 *
 * It selects the compute backend (`TF_BACKEND`) once per child, resumes from the job's newest checkpoint
 * when there is one, reports progress through `job.updateProgress`, and stops within one step when the
 * worker aborts its signal (`cancelled` or `shutdown`), writing a checkpoint first. What happens to the job
 * then (cancelled, or back to the queue) is decided by the worker, which knows why it aborted.
 *
 * A job that is a run of a study (`data.study`) also records its curve and, once trained, is scored on its
 * dataset's test split into the study's results store (src/experiments/study-run.ts).
 *
 * Invalid specs and dataset errors fail at once (`UnrecoverableError`: retrying cannot help); other errors
 * keep their message and stack and are retried up to `JOB_ATTEMPTS` times, resuming from the checkpoint.
 *
 * @packageDocumentation
 */
import { availableParallelism } from 'node:os';
import { UnrecoverableError } from 'bullmq';
import { getConfig } from '../src/config.js';
import type { PlannedRun } from '../src/experiments/plan.js';
// Not the experiments index: it also loads the plotting libraries, which a training child never needs.
import {
  checkStudyRun,
  completeStudyRun,
  openStudyRun,
  type StudyRunPlace,
} from '../src/experiments/study-run.js';
import { prepareSyntheticDataset } from '../src/experiments/dataset.js';
import { AppError, TrainingAbortedError } from '../src/errors.js';
import { createLogger, jobLogger, setLogLevel } from '../src/logger.js';
import { latestCheckpoint, readCheckpointHistory } from '../src/model/checkpoint.js';
import { jobCheckpointDir, jobReplicaCount, runTrainingJob } from '../src/model/training-job.js';
import { parseTrainingSpec, type TrainingSpec } from '../src/model/training-spec.js';
import type { JobProgressRecord, TrainingJobResult } from '../src/queue/job-schemas.js';
import { isProgressRecord, TRAINING_FAILED_CODE } from '../src/queue/job-view.js';
import { selectBackend, type BackendInfo } from '../src/tf/index.js';
import { epochLogLine } from './epoch-log.js';
import { failedBeforeStartRecord, ProgressReporter } from './progress-reporter.js';
import type { TrainingChildJob } from './training-child-protocol.js';

const log = createLogger('training-processor');

/** The backend of this child, chosen on its first job. */
let backend: Promise<BackendInfo> | undefined;

/** An error that fails the job at once, keeping the original message, stack and code. */
function unrecoverable(err: AppError): UnrecoverableError {
  const out = new UnrecoverableError(err.message);
  out.stack = err.stack ?? out.stack;
  Object.assign(out, { code: err.code });
  return out;
}

/**
 * Trains one job.
 *
 * @param job - The job as the worker passed it to this child.
 * @param signal - Aborted by the worker on cancellation or shutdown, with the reason.
 * @returns What the job produced.
 */
export default async function processTrainingJob(
  job: TrainingChildJob,
  signal?: AbortSignal,
): Promise<TrainingJobResult> {
  const config = getConfig();
  setLogLevel(config.LOG_LEVEL);
  const jobId = job.id;
  const jlog = jobLogger(log, jobId);
  const previous: JobProgressRecord | undefined = isProgressRecord(job.progress) ? job.progress : undefined;

  let spec: TrainingSpec;
  try {
    spec = parseTrainingSpec(job.data.spec);
  } catch (err) {
    if (err instanceof AppError) {
      jlog.warn({ err }, 'invalid training spec; failing without retry');
      await job.updateProgress({
        ...(previous ?? failedBeforeStartRecord({ code: err.code, message: err.message })),
        error: { code: err.code, message: err.message },
      });
      throw unrecoverable(err);
    }
    throw err;
  }

  const info = await (backend ??= selectBackend(config.TF_BACKEND));
  const slot = job.slot;
  const cores = slot?.cores ?? availableParallelism();
  const replicas = jobReplicaCount(spec, info.name, cores);
  const checkpoint = await latestCheckpoint(jobCheckpointDir(config.ARTIFACT_DIR, jobId));
  const history = checkpoint ? ((await readCheckpointHistory(checkpoint.dir)) ?? previous?.history) : [];
  const reporter = new ProgressReporter({
    publish: (record) => job.updateProgress(record),
    intervalMs: config.PROGRESS_INTERVAL_MS,
    previous,
    history,
    backend: { name: info.name, package: info.package, gpu: info.gpu },
    resumedFrom: checkpoint?.name,
    resumedAtStep: checkpoint?.globalStep,
    worker: slot ? { name: slot.name, slot: slot.slot } : undefined,
    replicas,
  });
  jlog.info(
    {
      backend: info.name,
      resumeFrom: checkpoint?.name,
      attempt: job.attemptsMade + 1,
      slot: slot?.slot,
      replicas,
    },
    checkpoint ? `resuming training from checkpoint ${checkpoint.name}` : 'starting training',
  );
  await reporter.start();
  const study: StudyRunPlace | undefined = job.data.study && {
    studyId: job.data.study.id,
    run: job.data.study.run as unknown as PlannedRun,
    jobId,
    dataDir: config.DATA_DIR,
    artifactDir: config.ARTIFACT_DIR,
  };

  try {
    // Inside the try: a malformed study run fails the job at once, like an invalid spec.
    if (study) checkStudyRun(study.studyId, study.run, spec);
    // A study's synthetic scenes are generated by its first run to start, into DATA_DIR where its spec's
    // dataset path points (the others find them there, or race harmlessly: publishPreparedDataset).
    const studyDataset = study?.run.spec.dataset;
    if (studyDataset?.kind === 'synthetic') await prepareSyntheticDataset(studyDataset, config.DATA_DIR);
    const recording = study ? await openStudyRun(study) : undefined;
    const result = await runTrainingJob(spec, {
      jobId,
      dataDir: config.DATA_DIR,
      artifactDir: config.ARTIFACT_DIR,
      targetCacheMaxBytes: config.TARGET_CACHE_MAX_BYTES,
      cores,
      ...(signal ? { signal } : {}),
      // Why always: on shutdown the next worker loses nothing; on cancel the job keeps where it stopped.
      checkpointOnAbort: true,
      onStep: async (p) => {
        await reporter.step(p);
        await recording?.step(p);
      },
      onEpoch: (s) => {
        const line = epochLogLine(s, spec.training.epochs);
        jlog.info(line.fields, line.message);
        return reporter.epoch(s);
      },
      logger: jlog,
    });
    jlog.info({ modelId: result.modelId, steps: result.steps }, 'training completed');
    if (study && recording) {
      await completeStudyRun(study, result, recording);
      jlog.info({ study: study.studyId, run: study.run.id }, 'study run scored on its test split');
    }
    return result;
  } catch (err) {
    if (err instanceof TrainingAbortedError || signal?.aborted) {
      jlog.info({ reason: String(signal?.reason ?? 'aborted') }, 'training stopped');
      throw err;
    }
    if (err instanceof AppError && err.statusCode < 500) {
      jlog.warn({ err }, 'training failed on its input; failing without retry');
      await reporter.fail(err.code, err.message);
      throw unrecoverable(err);
    }
    jlog.error({ err }, 'training failed');
    await reporter.fail(
      err instanceof AppError ? err.code : TRAINING_FAILED_CODE,
      err instanceof Error ? err.message : String(err),
    );
    throw err;
  }
}
