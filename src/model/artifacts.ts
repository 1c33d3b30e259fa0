import { randomUUID } from 'node:crypto';
import { copyFile, mkdir, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { LayersModel } from '@tensorflow/tfjs';
import { ModelBrokenError, NotFoundError } from '../errors.js';
import { MODEL_JSON_FILE, WEIGHTS_FILE } from '../tf/io/file-system-handler.js';
import { fileSystemHandler, tf, type BackendInfo } from '../tf/index.js';
import { assertWellFormedId, isWellFormedId } from './ids.js';
import { parseManifest } from './manifest-check.js';
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
  /** The name of the job that trained it, if it had one. */
  name?: string;
  /** The labels of the job that trained it, if it had any. */
  labels?: Record<string, string>;
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
    /** s* for the running mean raw loss at the end of training (`WeightingSnapshot`). */
    optimalLogVariances?: PerTask<number>;
    /** s - s* at the end of training. */
    logVarianceGaps?: PerTask<number>;
  };
  /** Validation metrics of the last epoch. */
  metrics: Record<string, unknown>;
  history: EpochSummary[];
  /** The training spec the model was trained with. */
  training: Record<string, unknown>;
  /** Camera of the training data at the input size, so disparity converts to metres. */
  camera?: { fx: number; baseline: number };
  sourceJob?: string;
  /** The checkpoint of `sourceJob` the model was promoted from (absent: the job's final model). */
  sourceCheckpoint?: string;
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
  return writeModelDir(artifactDir, manifest, async (tmp) => {
    await model.save(fileSystemHandler(tmp));
  });
}

/**
 * Saves a model whose network is already on disk in the tfjs layers format (model.json + weights.bin in
 * `sourceDir`, e.g. a checkpoint's `model/`), with `manifest`, as {@link saveModel} does: the files are
 * copied, not loaded, so the API can promote a checkpoint without running tfjs.
 *
 * @throws NotFoundError when `sourceDir` lacks one of the files (e.g. a checkpoint removed meanwhile).
 */
export async function saveModelFiles(
  artifactDir: string,
  sourceDir: string,
  manifest: ModelManifest,
): Promise<string> {
  return writeModelDir(artifactDir, manifest, async (tmp) => {
    await mkdir(tmp, { recursive: true });
    for (const name of MODEL_FILES) {
      await copyFile(join(sourceDir, name), join(tmp, name)).catch((error: unknown) => {
        if (errnoCode(error) === 'ENOENT') throw new NotFoundError(`${name} of the source is missing`);
        throw error;
      });
    }
  });
}

/**
 * Writes a model directory: `writeNetwork` fills a temporary directory with the network's files, the
 * manifest is added, and the directory is renamed into place (replacing an older one of the same id).
 */
async function writeModelDir(
  artifactDir: string,
  manifest: ModelManifest,
  writeNetwork: (tmp: string) => Promise<void>,
): Promise<string> {
  assertModelId(manifest.id);
  const root = modelsRoot(artifactDir);
  const dir = join(root, manifest.id);
  const tmp = join(root, `.${manifest.id}.tmp-${process.pid}`);
  await mkdir(root, { recursive: true });
  await rm(tmp, { recursive: true, force: true });
  try {
    await writeNetwork(tmp);
    await writeFile(join(tmp, 'manifest.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  } catch (error) {
    await rm(tmp, { recursive: true, force: true });
    throw error;
  }
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

/** A model directory, or undefined when there is none (deleted, or never there). */
async function modelDir(artifactDir: string, id: string): Promise<string | undefined> {
  const dir = join(modelsRoot(artifactDir), id);
  return (await isDirectory(dir)) ? dir : undefined;
}

async function isDirectory(path: string): Promise<boolean> {
  return stat(path).then(
    (s) => s.isDirectory(),
    () => false,
  );
}

const errnoCode = (error: unknown) => (error as NodeJS.ErrnoException).code ?? 'EIO';

/**
 * Reads and checks a model's manifest.
 *
 * @throws NotFoundError when there is no such model; ModelBrokenError when its manifest.json is missing,
 *   unreadable, not JSON or lacks a field the service reads.
 */
export async function readManifest(artifactDir: string, id: string): Promise<ModelManifest> {
  assertModelId(id);
  const file = join(modelsRoot(artifactDir), id, 'manifest.json');
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if (errnoCode(error) !== 'ENOENT') {
      throw new ModelBrokenError(id, `manifest.json cannot be read (${errnoCode(error)})`, { cause: error });
    }
    if ((await modelDir(artifactDir, id)) === undefined) throw new NotFoundError(`model ${id} not found`);
    throw new ModelBrokenError(id, 'manifest.json is missing');
  }
  return parseManifest(id, text);
}

/** Files a model directory must hold besides manifest.json (the tfjs layers format). */
export const MODEL_FILES = [MODEL_JSON_FILE, WEIGHTS_FILE] as const;

/** One of {@link MODEL_FILES}. */
export type ModelFileName = (typeof MODEL_FILES)[number];

/**
 * The path of one of a model's files (to serve it as it is, e.g. to a browser's `tf.loadLayersModel`).
 *
 * @throws NotFoundError when there is no such model; ModelBrokenError when the model lacks the file.
 */
export async function modelFilePath(artifactDir: string, id: string, name: ModelFileName): Promise<string> {
  assertModelId(id);
  const path = join(modelsRoot(artifactDir), id, name);
  const found = await stat(path).catch(() => undefined);
  if (found?.isFile()) return path;
  if ((await modelDir(artifactDir, id)) === undefined) throw new NotFoundError(`model ${id} not found`);
  throw new ModelBrokenError(id, `${name} is missing`);
}

/**
 * The manifest of a model whose files are all there: what the model list and `GET /v1/models/{id}` show.
 * Only presence is checked here (model.json and weights.bin are read by {@link loadModel}).
 *
 * @throws NotFoundError when there is no such model; ModelBrokenError when its manifest is broken or
 *   model.json or weights.bin is missing.
 */
export async function describeModel(artifactDir: string, id: string): Promise<ModelManifest> {
  const manifest = await readManifest(artifactDir, id);
  const missing = await missingFile(join(modelsRoot(artifactDir), id));
  if (missing === undefined) return manifest;
  if ((await modelDir(artifactDir, id)) === undefined) throw new NotFoundError(`model ${id} not found`);
  throw new ModelBrokenError(id, `${missing} is missing`);
}

/** The first of {@link MODEL_FILES} that `dir` lacks, if any. */
async function missingFile(dir: string): Promise<string | undefined> {
  for (const name of MODEL_FILES) {
    const present = await stat(join(dir, name)).then(
      (s) => s.isFile(),
      () => false,
    );
    if (!present) return name;
  }
  return undefined;
}

/**
 * Loads a model and its manifest.
 *
 * @throws NotFoundError when there is no such model, also when it is deleted while being loaded;
 *   ModelBrokenError when its files are missing, unreadable or do not match (the message names the file,
 *   never a server path) or the network does not fit its manifest.
 */
export async function loadModel(
  artifactDir: string,
  id: string,
): Promise<{ model: LayersModel; manifest: ModelManifest }> {
  const manifest = await readManifest(artifactDir, id);
  const dir = join(modelsRoot(artifactDir), id);
  let model: LayersModel;
  try {
    model = await tf.loadLayersModel(fileSystemHandler(dir));
  } catch (error) {
    // A DELETE renames the directory away: files vanishing under the loader mean the model is gone.
    if ((await modelDir(artifactDir, id)) === undefined) throw new NotFoundError(`model ${id} not found`);
    const missing = await missingFile(dir);
    const problem = missing === undefined ? loaderProblem(error, dir) : `${missing} is missing`;
    throw new ModelBrokenError(id, problem, { cause: error });
  }
  const problem = mismatch(model, manifest);
  if (problem !== undefined) {
    model.dispose();
    throw new ModelBrokenError(id, problem);
  }
  return { model, manifest };
}

/** Longest loader message quoted in a ModelBrokenError. Why: tfjs can print a whole layer config. */
const MAX_PROBLEM_CHARS = 300;

/** The loader's message about `dir`, with the directory's path taken out (clients see file names only). */
function loaderProblem(error: unknown, dir: string): string {
  const message = (error instanceof Error ? error.message : String(error))
    .split(`${dir}/`)
    .join('')
    .split(dir)
    .join('the model folder');
  const line = message.split('\n')[0]!.trim();
  const text = line.length > MAX_PROBLEM_CHARS ? `${line.slice(0, MAX_PROBLEM_CHARS)}...` : line;
  return `its network does not load: ${text}`;
}

/** Why a loaded network cannot serve its manifest (input size, number of heads), if it cannot. */
function mismatch(model: LayersModel, manifest: ModelManifest): string | undefined {
  const [height, width] = manifest.inputSize;
  const shape = model.inputs[0]?.shape ?? [];
  if ((shape[1] !== null && shape[1] !== height) || (shape[2] !== null && shape[2] !== width)) {
    return `model.json takes ${String(shape[1])}x${String(shape[2])} images, the manifest says ${height}x${width}`;
  }
  if (model.outputs.length !== manifest.tasks.length) {
    return `model.json has ${model.outputs.length} heads, the manifest lists ${manifest.tasks.length} tasks`;
  }
  return undefined;
}

/** Loads a model from its directory (model.json, weights.bin, manifest.json), e.g. for the predict CLI. */
export async function loadModelDir(dir: string): Promise<{ model: LayersModel; manifest: ModelManifest }> {
  const manifest = JSON.parse(await readFile(join(dir, 'manifest.json'), 'utf8')) as ModelManifest;
  const model = await tf.loadLayersModel(fileSystemHandler(dir));
  return { model, manifest };
}

/** One entry of {@link listModels}: a usable model, or a broken one with what is wrong. */
export type ModelListing =
  | { id: string; status: 'ready'; manifest: ModelManifest }
  | { id: string; status: 'broken'; problem: string; modifiedAt: string };

/**
 * Every model directory, newest first: ready models (by createdAt) and broken ones (by the directory's
 * modification time) with their problem, so that one bad folder never hides or fails the others.
 */
export async function listModels(artifactDir: string): Promise<ModelListing[]> {
  const root = modelsRoot(artifactDir);
  const entries = await readdir(root, { withFileTypes: true }).catch(() => []);
  const listed = await Promise.all(
    entries.filter((e) => e.isDirectory() && isWellFormedId(e.name)).map((e) => listing(artifactDir, e.name)),
  );
  const time = (m: ModelListing) => (m.status === 'ready' ? m.manifest.createdAt : m.modifiedAt);
  return listed
    .filter((m): m is ModelListing => m !== undefined)
    .sort((a, b) => time(b).localeCompare(time(a)));
}

/** The listing of one directory; undefined when it vanished (deleted meanwhile). */
async function listing(artifactDir: string, id: string): Promise<ModelListing | undefined> {
  try {
    return { id, status: 'ready', manifest: await describeModel(artifactDir, id) };
  } catch (error) {
    if (!(error instanceof ModelBrokenError)) return undefined;
    const modified = await stat(join(modelsRoot(artifactDir), id)).catch(() => undefined);
    if (modified === undefined) return undefined;
    return { id, status: 'broken', problem: error.problem, modifiedAt: modified.mtime.toISOString() };
  }
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
