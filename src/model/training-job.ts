import { createHash } from 'node:crypto';
import { mkdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  CityscapesReader,
  createDatasetPipeline,
  IMAGE_NORMALISATION,
  InputPipeline,
  NUM_TRAIN_CLASSES,
  parseCameraJson,
  scaleCamera,
  THING_TRAIN_IDS,
  TRAIN_CLASSES,
} from '../data/index.js';
import { generateDataset } from '../data/synthetic/index.js';
import { ValidationError } from '../errors.js';
import type { Logger } from '../logger.js';
import type { LayersModel } from '@tensorflow/tfjs';
import { backendInfo, selectBackend } from '../tf/index.js';
import { assertModelId, MANIFEST_VERSION, saveModel, type ModelManifest } from './artifacts.js';
import type { BatchSource } from './batch-source.js';
import { evaluateModel } from './evaluate.js';
import { buildNetwork } from './network.js';
import { resolveOptimizerSpec } from './optimizers.js';
import { canonicalTasks } from './tasks.js';
import type { TrainingSpec } from './training-spec.js';
import { train, type EpochMetrics, type EpochSummary, type StepProgress } from './trainer.js';
import { createWeighting, type WeightingStrategy } from './weighting/index.js';

/** What the caller (a worker's processor, or the CLI) provides to {@link runTrainingJob}. */
export interface TrainingJobContext {
  /** The job's id; also the id of the model it produces (a retried job overwrites its own model only). */
  jobId: string;
  dataDir: string;
  artifactDir: string;
  /** Stops after the step in progress (cancel, or worker shutdown). */
  signal?: AbortSignal;
  /** On abort, write a mid-epoch checkpoint first (worker shutdown), so the next worker loses nothing. */
  checkpointOnAbort?: boolean;
  onStep?: (progress: StepProgress) => void | Promise<void>;
  onEpoch?: (summary: EpochSummary) => void | Promise<void>;
  logger?: Logger;
}

/** What a finished training job produced. */
export interface TrainingJobResult {
  modelId: string;
  history: EpochSummary[];
  /** Validation metrics of the last epoch. */
  metrics: Record<string, unknown>;
  steps: number;
  /** The checkpoint the job resumed from, when it was retried or moved to another worker. */
  resumedFrom?: string;
}

/** `ARTIFACT_DIR/jobs/{jobId}/checkpoints`: where a job's checkpoints live (DESIGN.md, Model artifacts). */
export function jobCheckpointDir(artifactDir: string, jobId: string): string {
  return join(artifactDir, 'jobs', jobId, 'checkpoints');
}

/**
 * Runs one training job end to end: prepares the dataset (generating a synthetic one, or reading a
 * CityScapes-layout directory inside DATA_DIR), builds the network and weighting strategy, trains with
 * validation and a checkpoint per epoch (resuming from the job's newest checkpoint if there is one), and
 * saves the model with its manifest under ARTIFACT_DIR/models/{jobId}.
 *
 * @throws TrainingAbortedError when `context.signal` fires; ValidationError / DatasetError for bad input.
 */
export async function runTrainingJob(
  spec: TrainingSpec,
  context: TrainingJobContext,
): Promise<TrainingJobResult> {
  // The job id names directories (checkpoints, the model): refuse anything that could walk out of them.
  assertModelId(context.jobId);
  const log = context.logger;
  const backend = backendInfo() ?? (await selectBackend('auto'));
  const dataset = await prepareDataset(spec, context);
  log?.info({ dataset: dataset.path }, 'dataset ready');
  const [inputH, inputW] = spec.model.inputSize;
  const tasks = canonicalTasks(spec.tasks);
  const { training, validation, close } = await openPipelines(spec, dataset, context.artifactDir);
  let model: LayersModel | undefined;
  let strategy: WeightingStrategy | undefined;
  try {
    const camera = await trainingCamera(dataset, inputW, inputH);
    model = buildNetwork({
      width: spec.model.width,
      inputSize: [inputH, inputW],
      tasks,
      classes: NUM_TRAIN_CLASSES,
      seed: spec.training.seed,
    });
    strategy = createWeighting(spec.weighting, tasks);
    const optimizer = resolveOptimizerSpec(spec.training);
    const result = await train({
      model,
      tasks,
      strategy,
      optimizer,
      epochs: spec.training.epochs,
      data: pipelineSource(training, validation),
      evaluate: async (m, batches) =>
        (await evaluateModel(m, tasks, batches, {
          classes: NUM_TRAIN_CLASSES,
          thingTrainIds: THING_TRAIN_IDS,
        })) as unknown as EpochMetrics,
      checkpointDir: jobCheckpointDir(context.artifactDir, context.jobId),
      resume: true,
      resumeKey: specKey(spec),
      ...(context.signal ? { signal: context.signal } : {}),
      ...(context.checkpointOnAbort ? { checkpointOnAbort: true } : {}),
      ...(context.onStep ? { onStep: context.onStep } : {}),
      ...(context.onEpoch ? { onEpoch: context.onEpoch } : {}),
    });
    const last = result.history.at(-1);
    const snapshot = strategy.snapshot();
    const manifest: ModelManifest = {
      version: MANIFEST_VERSION,
      id: context.jobId,
      createdAt: new Date().toISOString(),
      tasks,
      classes: TRAIN_CLASSES.map((c) => ({
        trainId: c.trainId,
        name: c.name,
        color: c.color,
        isThing: c.hasInstances,
      })),
      inputSize: [inputH, inputW],
      normalisation: { mean: [...IMAGE_NORMALISATION.mean], std: [...IMAGE_NORMALISATION.std] },
      weighting: {
        strategy: spec.weighting.strategy,
        weights: snapshot.weights,
        ...(snapshot.logVariances
          ? {
              logVariances: snapshot.logVariances,
              sigmas: Object.fromEntries(
                Object.entries(snapshot.logVariances).map(([t, s]) => [t, Math.exp(s / 2)]),
              ),
            }
          : {}),
      },
      metrics: last?.metrics ?? {},
      history: result.history,
      training: spec as unknown as Record<string, unknown>,
      ...(camera ? { camera } : {}),
      sourceJob: context.jobId,
      backend: {
        name: backend.name,
        package: backend.package,
        gpu: backend.gpu,
        tfjsVersion: backend.tfjsVersion,
      },
    };
    await saveModel(context.artifactDir, model, manifest);
    log?.info({ modelId: manifest.id, steps: result.steps }, 'model saved');
    return {
      modelId: manifest.id,
      history: result.history,
      metrics: manifest.metrics,
      steps: result.steps,
      ...(result.resumedFrom ? { resumedFrom: result.resumedFrom } : {}),
    };
  } finally {
    strategy?.dispose();
    model?.dispose();
    await close();
  }
}

/**
 * Opens the training pipeline (shuffled, flipped unless `augment` is off) and the validation pipeline,
 * both on the preprocessed cache; `close` releases their sources (and cache files).
 */
async function openPipelines(
  spec: TrainingSpec,
  dataset: PreparedDataset,
  artifactDir: string,
): Promise<{ training: InputPipeline; validation: InputPipeline; close: () => Promise<void> }> {
  const [height, width] = spec.model.inputSize;
  const { batchSize, seed } = spec.training;
  const common = {
    dataDir: dataset.dataDir,
    datasetPath: dataset.path,
    width,
    height,
    batchSize,
    cache: { artifactDir },
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
      training,
      validation,
      close: async () => void (await Promise.all([shuffled.close(), validation.close()])),
    };
  } catch (error) {
    await shuffled.close();
    throw error;
  }
}

/** A stable hash of a (defaults-applied) spec: checkpoints of another spec are never resumed. */
function specKey(spec: TrainingSpec): string {
  const canonical = (value: unknown): unknown =>
    Array.isArray(value)
      ? value.map(canonical)
      : value !== null && typeof value === 'object'
        ? Object.fromEntries(
            Object.entries(value as Record<string, unknown>)
              .sort(([a], [b]) => a.localeCompare(b))
              .map(([k, v]) => [k, canonical(v)]),
          )
        : value;
  return createHash('sha256')
    .update(JSON.stringify(canonical(spec)))
    .digest('hex');
}

/** Where a job's dataset lives: a root (DATA_DIR, or the synthetic store) and a path inside it. */
interface PreparedDataset {
  dataDir: string;
  path: string;
  trainSplit: string;
  validationSplit: string;
}

/**
 * Synthetic datasets are generated once per (scenes, size, seed) into ARTIFACT_DIR/datasets and shared
 * by every job that asks for the same one (generation is deterministic); written to a temporary directory
 * and renamed, so a crash never leaves a partial dataset that looks complete. CityScapes datasets are
 * resolved inside DATA_DIR.
 */
async function prepareDataset(spec: TrainingSpec, context: TrainingJobContext): Promise<PreparedDataset> {
  const dataset = spec.dataset;
  if (dataset.kind === 'cityscapes') {
    return {
      dataDir: context.dataDir,
      path: dataset.path,
      trainSplit: dataset.trainSplit,
      validationSplit: dataset.validationSplit,
    };
  }
  const [height, width] = dataset.size;
  const validationScenes = dataset.validationScenes ?? Math.max(2, Math.round(dataset.scenes / 4));
  const name = `synthetic-${dataset.scenes}-${validationScenes}-${height}x${width}-seed${dataset.seed}`;
  const root = join(context.artifactDir, 'datasets');
  const dir = join(root, name);
  const exists = await stat(join(dir, 'COMPLETE')).then(
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
    await writeFile(join(tmp, 'COMPLETE'), `${new Date().toISOString()}\n`);
    // Another worker may have finished the same dataset meanwhile: theirs is identical, keep it.
    await rename(tmp, dir).catch(async () => rm(tmp, { recursive: true, force: true }));
  }
  return { dataDir: root, path: name, trainSplit: 'train', validationSplit: 'val' };
}

/** The camera of the first training image, scaled to the training resolution (for disparity to metres). */
async function trainingCamera(
  dataset: PreparedDataset,
  width: number,
  height: number,
): Promise<{ fx: number; baseline: number } | undefined> {
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

/** The trainer's view of two input pipelines: their batches are the trainer's batches as they are. */
function pipelineSource(training: InputPipeline, validation: InputPipeline): BatchSource {
  return {
    stepsPerEpoch: training.batchesPerEpoch,
    train: (epoch, fromStep) => training.batches(epoch, fromStep),
    validation: () => validation.batches(0),
  };
}
