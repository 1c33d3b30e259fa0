import type { SceneBatch } from '../data/batch.js';

/**
 * Where the trainer gets its data (the input pipelines in a job, an in-memory source in tests). Batches
 * carry the targets of the tasks the source provides; the trainer disposes each one once it is done with it.
 * `train(epoch, fromStep)` must yield the same batches for the same arguments (seeded shuffle and
 * augmentation per epoch): that is what makes a resumed run equal an uninterrupted one.
 */
export interface BatchSource {
  /** Batches per training epoch. */
  readonly stepsPerEpoch: number;
  /** The training batches of `epoch` (0-based), starting at batch `fromStep`. */
  train(epoch: number, fromStep: number): AsyncIterable<SceneBatch>;
  /** The validation batches, in a fixed order, without augmentation. */
  validation(): AsyncIterable<SceneBatch>;
}
