/**
 * The dataset of an experiment, made ready on disk once before any run starts.
 *
 * @packageDocumentation
 */
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
 * Written to a temporary folder and renamed, so an interrupted generation is started again, never used.
 *
 * @returns The root the runs' training specs resolve their dataset path in.
 */
export async function prepareExperimentDataset(
  dataset: ExperimentDataset,
  dirs: { workDir: string; dataDir?: string },
): Promise<ExperimentDataLocation> {
  if (dataset.kind === 'cityscapes') return { dataDir: dirs.dataDir ?? dirs.workDir };
  const root = join(dirs.workDir, 'datasets');
  const dir = join(root, syntheticDatasetName(dataset));
  const done = await stat(join(dir, COMPLETE_MARKER)).then(
    () => true,
    () => false,
  );
  if (!done) {
    const tmp = `${dir}.tmp-${process.pid}`;
    await rm(tmp, { recursive: true, force: true });
    await mkdir(tmp, { recursive: true });
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
    await rm(dir, { recursive: true, force: true });
    await rename(tmp, dir);
  }
  return { dataDir: root };
}
