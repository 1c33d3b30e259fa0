import { randomUUID } from 'node:crypto';
import { mkdir, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { LayersModel } from '@tensorflow/tfjs';
import { NotFoundError } from '../errors.js';
import { fileSystemHandler, tf, type BackendInfo } from '../tf/index.js';
import { assertWellFormedId, isWellFormedId } from './ids.js';
import type { PerTask, Task } from './tasks.js';
import type { EpochSummary } from './training-progress.js';
import type { StrategyName } from './weighting/index.js';

/** Version of manifest.json's layout; bumped on incompatible changes. */
export const MANIFEST_VERSION = 1;

/** One segmentation class of a model. */
export interface ManifestClass {
  trainId: number;
  name: string;
  color: readonly [number, number, number];
  /** Countable objects (person, car, ...) whose pixels are clustered into instances. */
  isThing: boolean;
}

/** manifest.json: everything a consumer needs to use a model without reading the training code. */
export interface ModelManifest {
  version: number;
  id: string;
  createdAt: string;
  tasks: Task[];
  classes: ManifestClass[];
  /** [height, width] the network takes; the predictor resizes any image to it. */
  inputSize: [number, number];
  /** Per-channel RGB normalisation applied to 0..255 pixels: (p / 255 - mean) / std. */
  normalisation: { mean: [number, number, number]; std: [number, number, number] };
  weighting: {
    strategy: StrategyName;
    weights: PerTask<number>;
    logVariances?: PerTask<number>;
    /** sigma = exp(s / 2) per task, the learned task uncertainty. */
    sigmas?: PerTask<number>;
  };
  /** Validation metrics of the last epoch. */
  metrics: Record<string, unknown>;
  history: EpochSummary[];
  /** The training spec the model was trained with. */
  training: Record<string, unknown>;
  /** Camera of the training data at the input size, so disparity converts to metres. */
  camera?: { fx: number; baseline: number };
  sourceJob?: string;
  backend: Pick<BackendInfo, 'name' | 'package' | 'gpu' | 'tfjsVersion'>;
}

/** Where the models live under ARTIFACT_DIR. */
export function modelsRoot(artifactDir: string): string {
  return join(artifactDir, 'models');
}

/** Throws a ValidationError unless `id` is a well-formed model id (`ID_PATTERN` of ids.ts). */
export function assertModelId(id: string): void {
  assertWellFormedId(id, 'model');
}

/** A fresh model id. */
export function newModelId(): string {
  return randomUUID();
}

/**
 * Saves a trained model as `ARTIFACT_DIR/models/{id}/` (model.json, weights.bin, manifest.json). Written
 * into a temporary directory and renamed, so a listed model is always complete.
 */
export async function saveModel(
  artifactDir: string,
  model: LayersModel,
  manifest: ModelManifest,
): Promise<string> {
  assertModelId(manifest.id);
  const root = modelsRoot(artifactDir);
  const dir = join(root, manifest.id);
  const tmp = join(root, `.${manifest.id}.tmp-${process.pid}`);
  await mkdir(root, { recursive: true });
  await rm(tmp, { recursive: true, force: true });
  await model.save(fileSystemHandler(tmp));
  await writeFile(join(tmp, 'manifest.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  // A retried job saves its model again: move the old one aside first (rename cannot replace a non-empty
  // directory), so readers see the old model or the new one, never a half-written one.
  const previous = join(root, `.${manifest.id}.previous-${process.pid}`);
  const replaced = await rename(dir, previous).then(
    () => true,
    (error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT') return false;
      throw error;
    },
  );
  await rename(tmp, dir);
  if (replaced) await rm(previous, { recursive: true, force: true });
  return dir;
}

/** Reads a model's manifest. @throws NotFoundError when there is no such model. */
export async function readManifest(artifactDir: string, id: string): Promise<ModelManifest> {
  assertModelId(id);
  const file = join(modelsRoot(artifactDir), id, 'manifest.json');
  try {
    return JSON.parse(await readFile(file, 'utf8')) as ModelManifest;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') throw new NotFoundError(`model ${id} not found`);
    throw error;
  }
}

/** Loads a model and its manifest. @throws NotFoundError when there is no such model. */
export async function loadModel(
  artifactDir: string,
  id: string,
): Promise<{ model: LayersModel; manifest: ModelManifest }> {
  const manifest = await readManifest(artifactDir, id);
  const model = await tf.loadLayersModel(fileSystemHandler(join(modelsRoot(artifactDir), id)));
  return { model, manifest };
}

/** Loads a model from its directory (model.json, weights.bin, manifest.json), e.g. for the predict CLI. */
export async function loadModelDir(dir: string): Promise<{ model: LayersModel; manifest: ModelManifest }> {
  const manifest = JSON.parse(await readFile(join(dir, 'manifest.json'), 'utf8')) as ModelManifest;
  const model = await tf.loadLayersModel(fileSystemHandler(dir));
  return { model, manifest };
}

/** Manifests of every complete model, newest first. */
export async function listModels(artifactDir: string): Promise<ModelManifest[]> {
  const root = modelsRoot(artifactDir);
  const entries = await readdir(root, { withFileTypes: true }).catch(() => []);
  const manifests = await Promise.all(
    entries
      .filter((e) => e.isDirectory() && isWellFormedId(e.name))
      .map((e) => readManifest(artifactDir, e.name).catch(() => undefined)),
  );
  return manifests
    .filter((m): m is ModelManifest => m !== undefined)
    .sort((a, b) => b.createdAt.localeCompare(a.createdAt));
}

/** Deletes a model. @throws NotFoundError when there is no such model. */
export async function deleteModel(artifactDir: string, id: string): Promise<void> {
  assertModelId(id);
  const dir = join(modelsRoot(artifactDir), id);
  await stat(dir).catch(() => {
    throw new NotFoundError(`model ${id} not found`);
  });
  // Rename first so that readers never see a half-deleted model.
  const doomed = join(modelsRoot(artifactDir), `.${id}.deleted-${process.pid}-${Date.now()}`);
  await rename(dir, doomed).catch((error: NodeJS.ErrnoException) => {
    // Another request deleted it between our stat and rename.
    if (error.code === 'ENOENT') throw new NotFoundError(`model ${id} not found`);
    throw error;
  });
  await rm(doomed, { recursive: true, force: true });
}
