/**
 * A training job after it ended: delete it (with its files), resume it from its newest checkpoint, or
 * promote one of its checkpoints to a model. The producer (`training-job-producer.ts`) owns submission,
 * reads and cancellation; this module builds on it for the rest of a job's life.
 *
 * Resuming keeps the job's id: a cancelled job (archived, its BullMQ job removed) is queued again under
 * the same id and submission time; a failed one is moved back to the queue by BullMQ with its attempts
 * reset. Either way the worker finds the job's checkpoints where they were (`ARTIFACT_DIR/jobs/{id}/`) and
 * continues from the newest, so clients keep the URL they already poll.
 *
 * @packageDocumentation
 */
import { rm } from 'node:fs/promises';
import { dirname } from 'node:path';
import { ConflictError, JobRunningError, NotFoundError } from '../errors.js';
import type { Logger } from '../logger.js';
import { newModelId, type ModelManifest } from '../model/artifacts.js';
import { listCheckpoints } from '../model/checkpoint.js';
import { promoteCheckpoint, type PromoteCheckpointOptions } from '../model/checkpoint-model.js';
import { jobCheckpointDir } from '../model/training-job.js';
import { backendInfo } from '../tf/index.js';
import type { TrainingSpec } from '../model/training-spec.js';
import { archiveCancelledJob, JobLockedError, JobResumedError, readCancelled } from './cancelled-jobs.js';
import { specFilterKeys } from './job-listing.js';
import type { StudyRunData, TrainingJob } from './job-schemas.js';
import type { TrainingJobProducer } from './training-job-producer.js';

/** The checkpoint name that means "the newest one" in {@link JobLifecycle.promote}. */
export const LATEST_CHECKPOINT = 'latest';

/**
 * The backend written into a promoted model's manifest when the job's view names none (it never reported
 * one). Why cpu: every tfjs install has it, and it computes what the others compute.
 */
const FALLBACK_BACKEND = { name: 'cpu', package: '@tensorflow/tfjs', gpu: false } as const;

/** Options of {@link JobLifecycle}. */
export interface JobLifecycleOptions {
  /** `ARTIFACT_DIR` (absolute): checkpoints, job files and models. */
  artifactDir: string;
  /** `DATA_DIR` (absolute): a CityScapes dataset's camera, for a promoted model's manifest. */
  dataDir: string;
  /** Where to log what was done (the API passes its request-independent logger). */
  logger?: Pick<Logger, 'info'> | undefined;
}

/** Deletes, resumes and promotes training jobs. */
export class JobLifecycle {
  /**
   * @param producer - The API's producer (queue, Redis, job views).
   * @param options - Directories and logger.
   */
  constructor(
    private readonly producer: TrainingJobProducer,
    private readonly options: JobLifecycleOptions,
  ) {}

  /**
   * Deletes a job that has ended: its record (BullMQ's job, or the cancelled archive), its place in the
   * lists, and its files under `ARTIFACT_DIR/jobs/{id}/` (checkpoints). A model it produced is kept (it is
   * deleted through `DELETE /v1/models/{id}`).
   *
   * @throws {@link NotFoundError} for an unknown id; {@link JobRunningError} while it is queued or running.
   */
  async delete(id: string): Promise<void> {
    const { producer } = this;
    await producer.guard(async () => {
      const view = await producer.get(id);
      if (view.status === 'queued' || view.status === 'running' || view.status === 'cancelling') {
        throw new JobRunningError(
          `Training job "${id}" is ${view.status}; cancel it (POST /v1/training-jobs/${id}/cancel) and wait until it is cancelled before deleting it.`,
        );
      }
      const { queue, redis, keys } = producer;
      if ((await queue.getJob(id)) !== undefined && (await queue.remove(id)) !== 1) {
        // A worker holds it: a retry or a resume took it between our read and the removal.
        throw new JobRunningError(`Training job "${id}" was taken by a worker meanwhile; it is running.`);
      }
      const removal = redis
        .multi()
        .hdel(keys.cancelled, id)
        .zrem(keys.cancelledIndex, id)
        .zrem(keys.index, id)
        .hdel(keys.cancelRequests, id);
      // Why: the name and label indexes count it in a filtered list's total until it leaves them.
      for (const key of specFilterKeys(keys, view.spec as TrainingSpec)) removal.zrem(key, id);
      await removal.exec();
      await rm(dirname(jobCheckpointDir(this.options.artifactDir, id)), { recursive: true, force: true });
      this.options.logger?.info({ jobId: id }, 'training job deleted');
    });
  }

  /**
   * Queues a cancelled or failed job again under its id; its worker continues from the newest of its
   * checkpoints (from the start when it has none), and its view then shows `resumedFrom` and
   * `resumedAtStep`.
   *
   * @returns The job's view after the request (usually `queued`).
   * @throws {@link NotFoundError} for an unknown id; {@link ConflictError} unless it is cancelled or failed;
   *   `ServiceUnavailableError` when the queue is full or Redis is down.
   */
  async resume(id: string, options: { study?: StudyRunData } = {}): Promise<TrainingJob> {
    const { producer } = this;
    return producer.guard(async () => {
      const view = await producer.get(id);
      if (view.status !== 'cancelled' && view.status !== 'failed') {
        throw new ConflictError(
          `Training job "${id}" is ${view.status}; only cancelled or failed jobs can be resumed.`,
        );
      }
      await producer.assertRoomInQueue();
      const { queue, redis, keys } = producer;
      const job = await queue.getJob(id);
      if (view.status === 'failed' && job !== undefined) {
        await job.retry('failed', { resetAttemptsMade: true }).catch(async (err: unknown) => {
          // A concurrent resume moved it first: that is what this request asked for.
          if ((await producer.get(id)).status === 'failed') throw err;
        });
      } else {
        // A cancelled job whose worker has not archived it yet (BullMQ holds it, failed) is archived here,
        // which frees its id; in any other state a concurrent resume queued it again first.
        if (job !== undefined) {
          if ((await job.getState()) !== 'failed') throw resumedMeanwhile(id);
          await archiveCancelledJob(queue, redis, keys, job).catch((err: unknown) => {
            throw err instanceof JobLockedError || err instanceof JobResumedError
              ? resumedMeanwhile(id)
              : err;
          });
        }
        await redis.hdel(keys.cancelRequests, id);
        // A study's run goes back as the same run of its study (the caller's link first: an archive written
        // before archives kept it has none).
        const study = options.study ?? (await readCancelled(redis, keys, id))?.study;
        // Queue first, then drop the archive: a reader finds the job in one place or the other, never none.
        // Why the cast: a stored spec has its defaults applied (the schema types the sections as optional).
        await producer.requeue(id, view.spec as TrainingSpec, Date.parse(view.createdAt), study);
        await redis.multi().hdel(keys.cancelled, id).zrem(keys.cancelledIndex, id).exec();
      }
      this.options.logger?.info({ jobId: id, was: view.status }, 'training job resumed');
      return producer.get(id);
    });
  }

  /**
   * Writes a new model from one of a job's checkpoints (any status: checkpoints are complete once listed).
   *
   * @param id - The job.
   * @param checkpoint - A checkpoint's name (as in the job's `checkpoints`), or {@link LATEST_CHECKPOINT}.
   * @returns The new model's manifest (`sourceJob` and `sourceCheckpoint` name where it came from).
   * @throws {@link NotFoundError} for an unknown job or checkpoint.
   */
  async promote(id: string, checkpoint: string): Promise<ModelManifest> {
    const view = await this.producer.get(id);
    const refs = await listCheckpoints(jobCheckpointDir(this.options.artifactDir, id));
    const ref = checkpoint === LATEST_CHECKPOINT ? refs.at(-1) : refs.find((r) => r.name === checkpoint);
    if (ref === undefined) {
      const names = refs.map((r) => r.name).join(', ');
      throw new NotFoundError(
        `Training job "${id}" has no checkpoint "${checkpoint}"; it has ${names === '' ? 'none' : names}.`,
      );
    }
    const manifest = await promoteCheckpoint({
      artifactDir: this.options.artifactDir,
      dataDir: this.options.dataDir,
      jobId: id,
      spec: view.spec as TrainingSpec,
      checkpoint: ref,
      modelId: newModelId(),
      // Why the cast: the view's backend name is any string in the schema, but a worker wrote one of ours.
      backend:
        (view.backend as PromoteCheckpointOptions['backend'] | undefined) ??
        backendInfo() ??
        FALLBACK_BACKEND,
    });
    this.options.logger?.info(
      { jobId: id, checkpoint: ref.name, modelId: manifest.id },
      'checkpoint promoted',
    );
    return manifest;
  }
}

/** A resume that lost the race to another: that one queued the job again (409, as for a queued job). */
function resumedMeanwhile(id: string): ConflictError {
  return new ConflictError(`Training job "${id}" is being resumed by another request.`);
}
