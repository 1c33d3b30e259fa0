/**
 * The check of a job's dataset at submission, so that every dataset field a worker would trip over is a
 * clear answer for the client (422 naming the field) rather than a job that fails when it starts.
 *
 * @packageDocumentation
 */
import { CityscapesReader } from '../data/cityscapes-reader.js';
import { DatasetError, ValidationError } from '../errors.js';
import { syntheticSamples, type DatasetSamples } from '../model/job-cost.js';
import type { TrainingSpec } from '../model/training-spec.js';

/** A CityScapes dataset, as a validated spec names it. */
type CityscapesSpec = Extract<TrainingSpec['dataset'], { kind: 'cityscapes' }>;

/**
 * Checks the dataset of a validated spec the way the worker will use it.
 *
 * - CityScapes: `dataset.path` inside `DATA_DIR`, present, with `leftImg8bit/`; `dataset.trainSplit` and
 *   `dataset.validationSplit` present, each with images whose label, instance, disparity and camera files
 *   are all there (what the training pipelines require); at least `training.batchSize` training images
 *   (an epoch is whole batches). Only directories are listed: no image is opened.
 * - Synthetic: at least `training.batchSize` scenes (the worker generates them; the schema bounds the rest).
 *
 * @param dataDir - `DATA_DIR` (absolute).
 * @param spec - The job's validated spec.
 * @returns The dataset's samples per split (what its cost is estimated from).
 * @throws {@link DatasetError} (422) whose message starts with the field (`dataset.validationSplit: ...`)
 *   and names the offending path relative to `DATA_DIR`; {@link ValidationError} (400) for too few
 *   synthetic scenes.
 */
export async function checkSubmittedDataset(dataDir: string, spec: TrainingSpec): Promise<DatasetSamples> {
  const { batchSize } = spec.training;
  if (spec.dataset.kind === 'synthetic') {
    if (spec.dataset.scenes < batchSize) {
      const message = `must be at least training.batchSize (${batchSize}): an epoch is whole batches`;
      // Why `/body`: this is the body of POST /v1/training-jobs, as the route's own issues say.
      throw new ValidationError(`dataset.scenes ${message}`, [{ path: '/body/dataset/scenes', message }]);
    }
    return syntheticSamples(spec.dataset);
  }
  return checkCityscapes(dataDir, spec.dataset, batchSize);
}

/** See {@link checkSubmittedDataset}. */
async function checkCityscapes(
  dataDir: string,
  dataset: CityscapesSpec,
  batchSize: number,
): Promise<DatasetSamples> {
  const reader = await naming('dataset.path', () => CityscapesReader.open(dataDir, dataset.path));
  const train = await naming('dataset.trainSplit', () => reader.listSamples(dataset.trainSplit));
  const validation = await naming('dataset.validationSplit', () =>
    reader.listSamples(dataset.validationSplit),
  );
  if (train.length < batchSize) {
    throw new DatasetError(
      `dataset.trainSplit: split "${dataset.trainSplit}" has ${train.length} image${train.length === 1 ? '' : 's'}, fewer than training.batchSize (${batchSize})`,
      `${reader.root.relative}/leftImg8bit/${dataset.trainSplit}`,
    );
  }
  return { train: train.length, validation: validation.length };
}

/** Runs `check`; a {@link DatasetError} it throws comes out with `field` in front of its message. */
async function naming<T>(field: string, check: () => Promise<T>): Promise<T> {
  try {
    return await check();
  } catch (err) {
    if (!(err instanceof DatasetError)) throw err;
    const suffix = ` (${err.file})`;
    const reason = err.message.endsWith(suffix) ? err.message.slice(0, -suffix.length) : err.message;
    throw new DatasetError(`${field}: ${reason}`, err.file, { cause: err });
  }
}
