/**
 * A training job end to end, as a worker's processor or the CLI runs it: dataset, pipelines, network,
 * weighting, training with checkpoints, and the saved model. Its pieces: `training-dataset.ts` (the
 * dataset on disk), `training-pipelines.ts` (the batches), `trainer.ts` (the loop) and `model-manifest.ts`
 * (what is saved beside the weights).
 *
 * @packageDocumentation
 */
import { createHash } from 'node:crypto';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import type { LayersModel } from '@tensorflow/tfjs';
import { IMAGE_NORMALISATION, NUM_TRAIN_CLASSES, THING_TRAIN_IDS } from '../data/index.js';
import { throwIfAborted } from '../errors.js';
import type { Logger } from '../logger.js';
import { backendInfo, selectBackend, type BackendInfo } from '../tf/index.js';
import { assertModelId, saveModel } from './artifacts.js';
import {
  pruneSampleEpochs,
  SAMPLE_IMAGES,
  SampleCollector,
  samplesDir,
  tapBatches,
  writeEpochSamples,
  writeGroundTruthSamples,
  type SampleImages,
} from './epoch-samples.js';
import { evaluateModel } from './evaluate.js';
import { cityscapesGroundTruth } from './full-resolution-truth.js';
import { manifestClasses, trainedModelManifest } from './model-manifest.js';
import { buildNetwork } from './network.js';
import { resolveOptimizerSpec } from './optimizers.js';
import { resolveReplicaCount } from './replicas/replica-count.js';
import { ReplicaGroup } from './replicas/replica-group.js';
import { canonicalTasks } from './tasks.js';
import { train } from './trainer.js';
import { prepareDataset, trainingCamera } from './training-dataset.js';
import { openTrainingPipelines } from './training-pipelines.js';
import type { EpochMetrics, EpochSummary, StepProgress } from './training-progress.js';
import type { TrainingSpec } from './training-spec.js';
import { createWeighting, type WeightingStrategy } from './weighting/index.js';

/** What the caller (a worker's processor, or the CLI) provides to {@link runTrainingJob}. */
export interface TrainingJobContext {
  /** The job's id; also the id of the model it produces (a retried job overwrites its own model only). */
  jobId: string;
  dataDir: string;
  artifactDir: string;
  /**
   * Stops the job (cancel, or worker shutdown) in any phase: between two generated scenes, cached samples,
   * training steps or validation batches, and before saving.
   */
  signal?: AbortSignal;
  /** On abort, write a mid-epoch checkpoint first (worker shutdown), so the next worker loses nothing. */
  checkpointOnAbort?: boolean;
  onStep?: (progress: StepProgress) => void | Promise<void>;
  onEpoch?: (summary: EpochSummary) => void | Promise<void>;
  logger?: Logger;
  /**
   * CPU cores this job may use; `training.replicas: auto` trains with that many replicas (see
   * {@link jobReplicaCount}). Default: every core of the machine (`os.availableParallelism()`).
   */
  cores?: number;
  /** `TARGET_CACHE_MAX_BYTES`: bound on the target caches together (least recently used out). Default: none. */
  targetCacheMaxBytes?: number;
}

/** The compute backend a job trained on. */
export type TrainingBackend = Pick<BackendInfo, 'name' | 'package' | 'gpu'>;

/**
 * What a finished training job produced: the one definition, which the queue stores as the job's return
 * value (its schema, `TrainingJobResultSchema` in `queue/job-schemas.ts`, describes this shape).
 */
export interface TrainingJobResult {
  modelId: string;
  /** Training steps done over all epochs (and attempts). */
  steps: number;
  /** Validation metrics of the last epoch. */
  metrics: Record<string, unknown>;
  history: EpochSummary[];
  /** The checkpoint the job resumed from, when it was retried or moved to another worker. */
  resumedFrom?: string;
  backend: TrainingBackend;
  /** Data-parallel replicas of the (last) attempt (absent in results from before replicas existed). */
  replicas?: number;
}

/** `ARTIFACT_DIR/jobs/{jobId}/checkpoints`: where a job's checkpoints live (DESIGN.md, Model artifacts). */
export function jobCheckpointDir(artifactDir: string, jobId: string): string {
  return join(artifactDir, 'jobs', jobId, 'checkpoints');
}

/**
 * The replicas a job trains with on `backend` given the cores it may use: `training.replicas` resolved by
 * `resolveReplicaCount` (the native backend: 1; `auto`: one per core, at least 2 samples each).
 */
export function jobReplicaCount(spec: TrainingSpec, backend: TrainingBackend['name'], cores: number): number {
  return resolveReplicaCount(spec.training.replicas, { backend, cores, batchSize: spec.training.batchSize });
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
  const dataset = await prepareDataset(spec.dataset, context);
  log?.info({ dataset: dataset.path }, 'dataset ready');
  const [inputH, inputW] = spec.model.inputSize;
  const tasks = canonicalTasks(spec.tasks);
  const pipelines = await openTrainingPipelines(
    spec,
    dataset,
    context.artifactDir,
    context.signal,
    context.targetCacheMaxBytes,
  );
  const replicas = jobReplicaCount(spec, backend.name, context.cores ?? availableParallelism());
  let model: LayersModel | undefined;
  let strategy: WeightingStrategy | undefined;
  let group: ReplicaGroup | undefined;
  const sampleCollector = new SampleCollector(SAMPLE_IMAGES, IMAGE_NORMALISATION);
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
    // Real CityScapes data is scored at its ground truth's full resolution, as the official scripts require.
    const groundTruth =
      spec.dataset.kind === 'cityscapes'
        ? await cityscapesGroundTruth(dataset.dataDir, dataset.path, dataset.validationSplit)
        : undefined;
    const optimizer = resolveOptimizerSpec(spec.training);
    if (replicas > 1) {
      group = await ReplicaGroup.start({
        replicas,
        model,
        tasks,
        weighting: spec.weighting,
        optimizer,
        backend: backend.name === 'cpu' ? 'cpu' : 'wasm',
      });
      log?.info({ replicas }, 'replica threads ready');
    }
    const result = await train({
      model,
      tasks,
      strategy,
      optimizer,
      epochs: spec.training.epochs,
      data: pipelines.source,
      evaluate: async (m, batches) => {
        const tapped = tapBatches(batches, (batch) => sampleCollector.add(batch));
        const metrics = await evaluateModel(m, tasks, tapped, {
          classes: NUM_TRAIN_CLASSES,
          thingTrainIds: THING_TRAIN_IDS,
          ...(groundTruth ? { groundTruth } : {}),
        });
        sampleCollector.close();
        return metrics as unknown as EpochMetrics;
      },
      checkpointDir: jobCheckpointDir(context.artifactDir, context.jobId),
      resume: true,
      resumeKey: specKey(spec),
      ...(context.signal ? { signal: context.signal } : {}),
      ...(context.checkpointOnAbort ? { checkpointOnAbort: true } : {}),
      ...(context.onStep ? { onStep: context.onStep } : {}),
      onEpoch: async (summary) => {
        const sampleImages = sampleCollector.samples;
        if (model && strategy && sampleImages) {
          const manifest = trainedModelManifest({
            jobId: context.jobId,
            spec,
            tasks,
            weighting: strategy.snapshot(),
            history: [],
            camera,
            backend,
          });
          await renderEpochSamples(context, summary.epoch, model, manifest, sampleImages);
        }
        await context.onEpoch?.(summary);
      },
      ...(group ? { replicas: group } : {}),
    });
    const manifest = trainedModelManifest({
      jobId: context.jobId,
      spec,
      tasks,
      weighting: strategy.snapshot(),
      history: result.history,
      camera,
      backend,
    });
    // The last moment a cancel can stop the job: once saved, the model is there to keep.
    throwIfAborted(context.signal, result.steps);
    await saveModel(context.artifactDir, model, manifest);
    log?.info({ modelId: manifest.id, steps: result.steps }, 'model saved');
    return {
      modelId: manifest.id,
      steps: result.steps,
      metrics: manifest.metrics,
      history: result.history,
      ...(result.resumedFrom ? { resumedFrom: result.resumedFrom } : {}),
      backend: { name: backend.name, package: backend.package, gpu: backend.gpu },
      replicas,
    };
  } finally {
    await group?.close();
    strategy?.dispose();
    model?.dispose();
    await pipelines.close();
  }
}

/**
 * Writes the job's pictures of `epoch` (and, the first time, the ground truth), then prunes old epochs.
 * Why it never throws: the pictures are for people watching; a full disk there must not fail the training.
 */
async function renderEpochSamples(
  context: TrainingJobContext,
  epoch: number,
  model: LayersModel,
  manifest: Parameters<typeof writeEpochSamples>[3],
  samples: SampleImages,
): Promise<void> {
  const dir = samplesDir(context.artifactDir, context.jobId);
  try {
    await writeGroundTruthSamples(
      dir,
      samples,
      manifestClasses().map((c) => c.color),
    );
    await writeEpochSamples(dir, epoch, model, manifest, samples);
    await pruneSampleEpochs(dir);
  } catch (error) {
    context.logger?.warn({ err: error, epoch }, 'could not write the pictures of the epoch');
  }
}

/**
 * A stable hash of a (defaults-applied) spec: checkpoints of another spec are never resumed. Without
 * `training.replicas`: how many threads train a job is how it runs, not what it trains, so a job stopped on
 * one machine resumes on another with other cores (and checkpoints from before the setting still resume).
 */
function specKey(spec: TrainingSpec): string {
  const { replicas: _replicas, ...training } = spec.training;
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
    .update(JSON.stringify(canonical({ ...spec, training })))
    .digest('hex');
}
