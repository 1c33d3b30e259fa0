/**
 * The dataset of a training job, made ready on disk: a synthetic one is generated (once per scenes, size
 * and seed, shared by every job that asks for it), a CityScapes-layout one is resolved inside DATA_DIR.
 *
 * @packageDocumentation
 */
import { mkdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { CityscapesReader, parseCameraJson, scaleCamera } from '../data/index.js';
import { generateDataset } from '../data/synthetic/index.js';
import { syntheticValidationScenes } from './job-cost.js';
import { TEMPORARY_MARK } from './temporary-files.js';
import type { TrainingSpec } from './training-spec.js';

/** Name of the file that marks a generated dataset complete. Why a marker: a crash may leave a partial one. */
export const COMPLETE_MARKER = 'COMPLETE';

/** Folder of the generated datasets under `ARTIFACT_DIR`. Why a fixed name: workers and the API (`/v1/datasets`) must agree on it. */
export const GENERATED_DATASETS_DIR = 'datasets';

/** The synthetic part of a spec's dataset. */
type SyntheticDataset = Extract<TrainingSpec['dataset'], { kind: 'synthetic' }>;

/**
 * Name of the directory (under `ARTIFACT_DIR/datasets`) of a synthetic dataset: one per scenes, validation
 * scenes, size and seed, e.g. `synthetic-8-2-64x128-seed1`. It is also the dataset's id in `/v1/datasets`.
 */
export function syntheticDatasetName(dataset: SyntheticDataset): string {
  const [height, width] = dataset.size;
  const validationScenes = syntheticValidationScenes(dataset);
  return `synthetic-${dataset.scenes}-${validationScenes}-${height}x${width}-seed${dataset.seed}`;
}

/** Where a job's dataset lives: a root (DATA_DIR, or the synthetic store) and a path inside it. */
export interface PreparedDataset {
  dataDir: string;
  path: string;
  trainSplit: string;
  validationSplit: string;
}

/** The camera of the training data at the training resolution, so disparity converts to metres. */
export interface TrainingCamera {
  /** Focal length in training pixels. */
  fx: number;
  /** Stereo baseline in metres. */
  baseline: number;
}

/**
 * Synthetic datasets are generated once per (scenes, size, seed) into ARTIFACT_DIR/datasets and shared
 * by every job that asks for the same one (generation is deterministic); written to a temporary directory
 * and renamed, so a crash never leaves a partial dataset that looks complete. CityScapes datasets are
 * resolved inside DATA_DIR.
 *
 * @param dataset - The spec's dataset.
 * @param dirs - DATA_DIR and ARTIFACT_DIR, and the job's signal: generation stops between two scenes once
 *   it fires, and the temporary directory is removed (as after any failure).
 * @throws TrainingAbortedError when the signal fired during generation.
 */
export async function prepareDataset(
  dataset: TrainingSpec['dataset'],
  dirs: { dataDir: string; artifactDir: string; signal?: AbortSignal | undefined },
): Promise<PreparedDataset> {
  if (dataset.kind === 'cityscapes') {
    return {
      dataDir: dirs.dataDir,
      path: dataset.path,
      trainSplit: dataset.trainSplit,
      validationSplit: dataset.validationSplit,
    };
  }
  const { root, name, validationScenes } = syntheticLocation(dataset, dirs.artifactDir);
  const [height, width] = dataset.size;
  const dir = join(root, name);
  const exists = await isComplete(dir);
  if (!exists) {
    const tmp = join(root, `.${name}${TEMPORARY_MARK}${process.pid}-${Date.now()}`);
    const common = { outDir: tmp, width, height, seed: dataset.seed, signal: dirs.signal };
    try {
      await mkdir(tmp, { recursive: true });
      await generateDataset({ ...common, scenes: dataset.scenes, split: 'train' });
      await generateDataset({ ...common, scenes: validationScenes, split: 'val' });
      await writeFile(join(tmp, COMPLETE_MARKER), `${new Date().toISOString()}\n`);
      // Another worker may have finished the same dataset meanwhile: theirs is identical, keep it.
      await rename(tmp, dir).catch(async () => rm(tmp, { recursive: true, force: true }));
    } catch (err) {
      await rm(tmp, { recursive: true, force: true });
      throw err;
    }
  }
  return { dataDir: root, path: name, trainSplit: 'train', validationSplit: 'val' };
}

/** Where a synthetic dataset lives: its store under ARTIFACT_DIR and its name (scenes, size, seed). */
function syntheticLocation(
  dataset: Extract<TrainingSpec['dataset'], { kind: 'synthetic' }>,
  artifactDir: string,
): { root: string; name: string; validationScenes: number } {
  return {
    root: join(artifactDir, GENERATED_DATASETS_DIR),
    name: syntheticDatasetName(dataset),
    validationScenes: syntheticValidationScenes(dataset),
  };
}

const isComplete = (dir: string): Promise<boolean> =>
  stat(join(dir, COMPLETE_MARKER)).then(
    () => true,
    () => false,
  );

/**
 * The dataset of a spec if it is on disk already, without generating anything (e.g. to read its camera
 * after the job that made it ended): a complete synthetic one, or the CityScapes path as given.
 *
 * @returns The dataset, or undefined when a synthetic one is not (or no longer) there.
 */
export async function existingDataset(
  dataset: TrainingSpec['dataset'],
  dirs: { dataDir: string; artifactDir: string },
): Promise<PreparedDataset | undefined> {
  if (dataset.kind === 'cityscapes') return prepareDataset(dataset, dirs);
  const { root, name } = syntheticLocation(dataset, dirs.artifactDir);
  if (!(await isComplete(join(root, name)))) return undefined;
  return { dataDir: root, path: name, trainSplit: 'train', validationSplit: 'val' };
}

/**
 * The camera of the first training image, scaled to the training resolution.
 *
 * @returns The camera, or undefined when the dataset has no camera files.
 */
export async function trainingCamera(
  dataset: PreparedDataset,
  width: number,
  height: number,
): Promise<TrainingCamera | undefined> {
  const reader = await CityscapesReader.open(dataset.dataDir, dataset.path);
  const [sample] = await reader.listSamples(dataset.trainSplit);
  if (sample?.files.camera === undefined) return undefined;
  const { width: imageW, height: imageH } = await reader.checkSample(sample);
  const camera = parseCameraJson(
    await readFile(reader.absolutePath(sample.files.camera), 'utf8'),
    sample.files.camera,
  );
  const scaled = scaleCamera(camera, imageW, imageH, width, height);
  return { fx: scaled.fx, baseline: scaled.baseline };
}
