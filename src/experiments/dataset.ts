/**
 * The dataset of an experiment, made ready on disk once before any run starts.
 *
 * @packageDocumentation
 */
import { randomUUID } from 'node:crypto';
import { mkdir, rename, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { generateDataset } from '../data/synthetic/index.js';
import { syntheticDatasetName, type ExperimentDataset } from './plan.js';

/** Marks a generated dataset complete. Why a marker: a crash may leave a partial one behind. */
const COMPLETE_MARKER = 'COMPLETE';

/** Where the runs read the dataset: a root (the training spec's DATA_DIR) holding the spec's path. */
export interface ExperimentDataLocation {
  dataDir: string;
}

/**
 * Makes the plan's dataset ready: a synthetic one is generated (train, val and test splits of one seed)
 * under `<workDir>/datasets/` unless it is there already; a CityScapes-layout one is read from `dataDir`.
 * Written to a temporary folder of its own and renamed, so an interrupted generation is started again,
 * never used, and two preparers at once never remove each other's folder (see {@link publishPreparedDataset}).
 *
 * @returns The root the runs' training specs resolve their dataset path in.
 */
export async function prepareExperimentDataset(
  dataset: ExperimentDataset,
  dirs: { workDir: string; dataDir?: string },
): Promise<ExperimentDataLocation> {
  if (dataset.kind === 'cityscapes') return { dataDir: dirs.dataDir ?? dirs.workDir };
  const root = join(dirs.workDir, 'datasets');
  await prepareSyntheticDataset(dataset, root);
  return { dataDir: root };
}

/**
 * Generates a synthetic experiment dataset as `<root>/<syntheticDatasetName>` (train, val and test splits
 * of one seed) unless it is there complete already: what the runs' training specs point at when `root` is
 * their data root (the runner's work folder; `DATA_DIR` for a study's runs on the workers). Safe with two
 * preparers at once (see {@link publishPreparedDataset}).
 *
 * @returns The dataset's folder.
 */
export async function prepareSyntheticDataset(
  dataset: Extract<ExperimentDataset, { kind: 'synthetic' }>,
  root: string,
): Promise<string> {
  const dir = join(root, syntheticDatasetName(dataset));
  if (await isComplete(dir)) return dir;
  const tmp = `${dir}.tmp-${process.pid}-${randomUUID().slice(0, 8)}`;
  await mkdir(tmp, { recursive: true });
  try {
    const [height, width] = dataset.size;
    const splits: [string, number][] = [
      ['train', dataset.train],
      ['val', dataset.validation],
      ['test', dataset.test],
    ];
    for (const [split, scenes] of splits) {
      await generateDataset({ outDir: tmp, scenes, width, height, seed: dataset.seed, split });
    }
    await writeFile(join(tmp, COMPLETE_MARKER), `${new Date().toISOString()}\n`);
    await publishPreparedDataset(tmp, dir);
  } catch (error) {
    await rm(tmp, { recursive: true, force: true });
    throw error;
  }
  return dir;
}

/** Whether `dir` holds a whole generated dataset. */
async function isComplete(dir: string): Promise<boolean> {
  return stat(join(dir, COMPLETE_MARKER)).then(
    () => true,
    () => false,
  );
}

/**
 * Moves a whole generated dataset from `tmp` to `dir`. When another preparer got there first (two
 * experiments on the same data, or two bench invocations), its complete folder is kept, since runs may
 * be reading it, and `tmp` is removed. Only a folder without the marker is replaced.
 */
export async function publishPreparedDataset(tmp: string, dir: string): Promise<void> {
  try {
    await rename(tmp, dir);
    return;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code !== 'ENOTEMPTY' && code !== 'EEXIST') throw error;
  }
  if (await isComplete(dir)) {
    await rm(tmp, { recursive: true, force: true });
    return;
  }
  await rm(dir, { recursive: true, force: true });
  await rename(tmp, dir);
}
