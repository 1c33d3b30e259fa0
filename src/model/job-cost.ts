/**
 * What a training job will cost before it runs: the pixels it generates, the bytes its dataset and target
 * cache take on disk, and its training steps. Pure functions of the spec and the dataset's sample counts,
 * so the API can refuse a job that is too large when it is submitted (`queue/job-budget.ts`).
 *
 * @packageDocumentation
 */
import { recordLayout } from '../data/shard-format.js';
import type { TrainingSpec } from './training-spec.js';

/**
 * Bytes a generated scene takes on disk per pixel, its five files together (RGB, label ids, 16-bit
 * instance ids and disparity PNGs, camera JSON). Why 2: measured 1.87 at 256x512 and 1.59 at 512x1024
 * (PNG compresses the flat label maps well; the RGB image dominates); rounded up so the estimate errs
 * towards refusing.
 */
export const GENERATED_BYTES_PER_PIXEL = 2;

/** Samples of a job's dataset, per split. */
export interface DatasetSamples {
  train: number;
  validation: number;
}

/** The estimated cost of a job. */
export interface JobCost {
  /** Pixels the job generates (scenes x height x width, both splits); 0 for a dataset on disk. */
  generatedPixels: number;
  /** Bytes written for the dataset: the generated PNGs and the target cache at the training resolution. */
  datasetBytes: number;
  /** Training steps: epochs x whole batches per epoch. */
  trainingSteps: number;
}

/**
 * The validation scenes of a synthetic dataset: as given, or a quarter of the training scenes (at least 2).
 * The one rule, which `prepareDataset` applies too.
 */
export function syntheticValidationScenes(dataset: {
  scenes: number;
  validationScenes?: number | undefined;
}): number {
  return dataset.validationScenes ?? Math.max(2, Math.round(dataset.scenes / 4));
}

/** The samples of a synthetic dataset, per split. */
export function syntheticSamples(
  dataset: Extract<TrainingSpec['dataset'], { kind: 'synthetic' }>,
): DatasetSamples {
  return { train: dataset.scenes, validation: syntheticValidationScenes(dataset) };
}

/**
 * Estimates what a job costs.
 *
 * @param spec - A validated spec.
 * @param samples - Samples per split (a synthetic dataset's from {@link syntheticSamples}; a CityScapes
 *   one's as listed on disk).
 */
export function estimateJobCost(spec: TrainingSpec, samples: DatasetSamples): JobCost {
  const total = samples.train + samples.validation;
  const generatedPixels =
    spec.dataset.kind === 'synthetic' ? total * spec.dataset.size[0] * spec.dataset.size[1] : 0;
  const [inputH, inputW] = spec.model.inputSize;
  const cacheBytes = total * recordLayout(inputW, inputH).bytes;
  return {
    generatedPixels,
    datasetBytes: generatedPixels * GENERATED_BYTES_PER_PIXEL + cacheBytes,
    trainingSteps: spec.training.epochs * Math.floor(samples.train / spec.training.batchSize),
  };
}
