/**
 * The check of a job's dataset at submission, so that a bad path is a 422 for the client rather than a
 * failed job later.
 *
 * @packageDocumentation
 */
import { stat } from 'node:fs/promises';
import { posix } from 'node:path';
import { resolveDataPath } from '../data/data-path.js';
import { DatasetError } from '../errors.js';
import type { TrainingSpec } from '../model/training-spec.js';

/**
 * Checks a CityScapes dataset: inside `DATA_DIR`, present, with the training split. A synthetic dataset
 * needs no check (the worker generates it).
 *
 * @param dataDir - `DATA_DIR` (absolute).
 * @param spec - The job's validated spec.
 * @throws {@link DatasetError} (422) naming the path relative to `DATA_DIR`.
 */
export async function checkSubmittedDataset(dataDir: string, spec: TrainingSpec): Promise<void> {
  if (spec.dataset.kind !== 'cityscapes') return;
  const root = await resolveDataPath(dataDir, spec.dataset.path);
  const split = posix.join(spec.dataset.path, 'leftImg8bit', spec.dataset.trainSplit);
  const splitPath = await resolveDataPath(dataDir, split).catch(() => undefined);
  if (splitPath === undefined || !(await stat(splitPath.absolute)).isDirectory()) {
    throw new DatasetError(
      `dataset has no training split "${spec.dataset.trainSplit}" (expected leftImg8bit/${spec.dataset.trainSplit}/{city}/*_leftImg8bit.png)`,
      root.relative,
    );
  }
}
