/**
 * The cost limits of a training job, checked at submission: its estimated cost (`model/job-cost.ts`)
 * against the configured limits, and its data against the free disk under `ARTIFACT_DIR`.
 *
 * @packageDocumentation
 */
import { statfs } from 'node:fs/promises';
import { dirname } from 'node:path';
import { InsufficientDiskError, JobTooLargeError } from '../errors.js';
import { estimateJobCost, type DatasetSamples, type JobCost } from '../model/job-cost.js';
import type { TrainingSpec } from '../model/training-spec.js';

/** The limits, by their settings. */
export interface JobLimits {
  MAX_JOB_GENERATED_PIXELS: number;
  MAX_JOB_DATASET_BYTES: number;
  MAX_JOB_TRAINING_STEPS: number;
  DISK_RESERVE_BYTES: number;
}

/** A number with thousands separators, for messages. */
function count(n: number): string {
  return n.toLocaleString('en-US');
}

/** Bytes in GB (10^9) with two decimals, or MB below 0.1 GB, for messages. */
export function humanBytes(bytes: number): string {
  return bytes >= 1e8 ? `${(bytes / 1e9).toFixed(2)} GB` : `${(bytes / 1e6).toFixed(1)} MB`;
}

/**
 * The first limit `cost` exceeds, as the error to answer, or undefined.
 *
 * @param spec - The job's spec (its numbers go into the message).
 * @param cost - Its estimated cost.
 * @param limits - The configured limits.
 */
export function overBudget(
  spec: TrainingSpec,
  cost: JobCost,
  limits: JobLimits,
): JobTooLargeError | undefined {
  const tooLarge = (limit: keyof JobLimits, value: number, what: string, advice: string) =>
    new JobTooLargeError(
      `${what} is ${count(value)}, over ${limit} = ${count(limits[limit])}; ${advice}, or raise ${limit}.`,
      { limit, value, max: limits[limit] },
    );
  if (cost.generatedPixels > limits.MAX_JOB_GENERATED_PIXELS && spec.dataset.kind === 'synthetic') {
    const [h, w] = spec.dataset.size;
    const scenes = cost.generatedPixels / (h * w);
    return tooLarge(
      'MAX_JOB_GENERATED_PIXELS',
      cost.generatedPixels,
      `The dataset to generate (${count(scenes)} scenes, training and validation, of ${h}x${w} pixels)`,
      'ask for fewer or smaller scenes (dataset.scenes, dataset.validationScenes, dataset.size)',
    );
  }
  if (cost.datasetBytes > limits.MAX_JOB_DATASET_BYTES) {
    return tooLarge(
      'MAX_JOB_DATASET_BYTES',
      cost.datasetBytes,
      `The estimated data of the job (generated images and the target cache at model.inputSize, in bytes: ${humanBytes(cost.datasetBytes)})`,
      'use fewer or smaller scenes, or a smaller model.inputSize',
    );
  }
  if (cost.trainingSteps > limits.MAX_JOB_TRAINING_STEPS) {
    return tooLarge(
      'MAX_JOB_TRAINING_STEPS',
      cost.trainingSteps,
      `The training steps of the job (training.epochs x training samples / training.batchSize)`,
      'use fewer epochs or a larger training.batchSize',
    );
  }
  return undefined;
}

/**
 * Free bytes for an unprivileged writer on the disk of `dir`, or of its nearest existing parent (the
 * artifact directory may not exist before the first job).
 */
export async function freeDiskBytes(dir: string): Promise<number> {
  for (let current = dir; ; current = dirname(current)) {
    try {
      const stats = await statfs(current);
      return stats.bavail * stats.bsize;
    } catch (err) {
      const parent = dirname(current);
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT' || parent === current) throw err;
    }
  }
}

/**
 * Checks a job against the limits and the free disk.
 *
 * @param spec - The validated spec.
 * @param samples - Its dataset's samples per split.
 * @param limits - The configured limits.
 * @param artifactDir - `ARTIFACT_DIR`, where the job's data is written.
 * @throws {@link JobTooLargeError} naming the first limit exceeded; {@link InsufficientDiskError} when the
 *   data would leave less than `DISK_RESERVE_BYTES` free.
 */
export async function checkJobBudget(
  spec: TrainingSpec,
  samples: DatasetSamples,
  limits: JobLimits,
  artifactDir: string,
): Promise<void> {
  const cost = estimateJobCost(spec, samples);
  const refused = overBudget(spec, cost, limits);
  if (refused !== undefined) throw refused;
  const free = await freeDiskBytes(artifactDir);
  if (free - cost.datasetBytes < limits.DISK_RESERVE_BYTES) {
    throw new InsufficientDiskError(
      `Not enough free disk under ARTIFACT_DIR: the job needs about ${humanBytes(cost.datasetBytes)} for its data, ${humanBytes(free)} are free, and DISK_RESERVE_BYTES = ${count(limits.DISK_RESERVE_BYTES)} (${humanBytes(limits.DISK_RESERVE_BYTES)}) must stay free; free some space (old models, datasets, the target cache) or use a smaller job.`,
      {
        limit: 'DISK_RESERVE_BYTES',
        neededBytes: cost.datasetBytes,
        freeBytes: free,
        reserveBytes: limits.DISK_RESERVE_BYTES,
      },
    );
  }
}
