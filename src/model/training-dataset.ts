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
  const validationScenes = dataset.validationScenes ?? Math.max(2, Math.round(dataset.scenes / 4));
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
 * @param dirs - DATA_DIR and ARTIFACT_DIR.
 */
export async function prepareDataset(
  dataset: TrainingSpec['dataset'],
  dirs: { dataDir: string; artifactDir: string },
): Promise<PreparedDataset> {
  if (dataset.kind === 'cityscapes') {
    return {
      dataDir: dirs.dataDir,
      path: dataset.path,
      trainSplit: dataset.trainSplit,
      validationSplit: dataset.validationSplit,
    };
  }
  const [height, width] = dataset.size;
  const validationScenes = dataset.validationScenes ?? Math.max(2, Math.round(dataset.scenes / 4));
  const name = syntheticDatasetName(dataset);
  const root = join(dirs.artifactDir, GENERATED_DATASETS_DIR);
  const dir = join(root, name);
  const exists = await stat(join(dir, COMPLETE_MARKER)).then(
    () => true,
    () => false,
  );
  if (!exists) {
    const tmp = join(root, `.${name}.tmp-${process.pid}-${Date.now()}`);
    await mkdir(tmp, { recursive: true });
    await generateDataset({
      outDir: tmp,
      scenes: dataset.scenes,
      width,
      height,
      seed: dataset.seed,
      split: 'train',
    });
    await generateDataset({
      outDir: tmp,
      scenes: validationScenes,
      width,
      height,
      seed: dataset.seed,
      split: 'val',
    });
    await writeFile(join(tmp, COMPLETE_MARKER), `${new Date().toISOString()}\n`);
    // Another worker may have finished the same dataset meanwhile: theirs is identical, keep it.
    await rename(tmp, dir).catch(async () => rm(tmp, { recursive: true, force: true }));
  }
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
