/**
 * The input pipelines of a training job, on the preprocessed cache, as the trainer's {@link BatchSource}.
 *
 * @packageDocumentation
 */
import { createDatasetPipeline, InputPipeline } from '../data/index.js';
import { ValidationError } from '../errors.js';
import type { BatchSource } from './batch-source.js';
import type { PreparedDataset } from './training-dataset.js';
import type { TrainingSpec } from './training-spec.js';

/** A job's batches and how to release what they hold. */
export interface TrainingPipelines {
  /** Training batches (shuffled, flipped unless `augment` is off) and validation batches (in order). */
  source: BatchSource;
  /** Releases the pipelines' sources (and cache files). */
  close(): Promise<void>;
}

/**
 * Opens the training pipeline (shuffled, flipped unless `augment` is off) and the validation pipeline,
 * both on the preprocessed cache under `artifactDir` (all caches together within `cacheMaxBytes` when set).
 *
 * @param signal - The job's signal: building the cache stops between two samples once it fires.
 * @throws ValidationError when the batch size exceeds the training samples; TrainingAbortedError on the signal.
 */
export async function openTrainingPipelines(
  spec: TrainingSpec,
  dataset: PreparedDataset,
  artifactDir: string,
  signal?: AbortSignal,
  cacheMaxBytes?: number,
): Promise<TrainingPipelines> {
  const [height, width] = spec.model.inputSize;
  const { batchSize, seed } = spec.training;
  const common = {
    dataDir: dataset.dataDir,
    datasetPath: dataset.path,
    width,
    height,
    batchSize,
    cache: { artifactDir, ...(signal ? { signal } : {}), maxBytes: cacheMaxBytes },
  };
  const shuffled = await createDatasetPipeline({
    ...common,
    split: dataset.trainSplit,
    training: true,
    seed,
  });
  try {
    if (shuffled.batchesPerEpoch === 0) {
      throw new ValidationError(
        `training.batchSize ${batchSize} is larger than the ${shuffled.source.length} training samples`,
      );
    }
    const training = spec.training.augment
      ? shuffled
      : new InputPipeline({
          source: shuffled.source,
          batchSize,
          shuffle: true,
          flip: false,
          seed,
          dropRemainder: true,
        });
    const validation = await createDatasetPipeline({
      ...common,
      split: dataset.validationSplit,
      training: false,
    });
    // The augmented and plain training pipelines share one source: close it once.
    return {
      source: batchSource(training, validation),
      close: async () => void (await Promise.all([shuffled.close(), validation.close()])),
    };
  } catch (error) {
    await shuffled.close();
    throw error;
  }
}

/** The trainer's view of two input pipelines: their batches are the trainer's batches as they are. */
function batchSource(training: InputPipeline, validation: InputPipeline): BatchSource {
  return {
    stepsPerEpoch: training.batchesPerEpoch,
    train: (epoch, fromStep) => training.batches(epoch, fromStep),
    validation: () => validation.batches(0),
  };
}
