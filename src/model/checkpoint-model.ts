/**
 * A model from a kept checkpoint ("promoting" it): the checkpoint's network files are copied into a new
 * model directory and a manifest is written for them from the checkpoint's own record (weighting state,
 * finished epochs) and the job's spec, the same manifest a completed job writes (`model-manifest.ts`).
 *
 * @packageDocumentation
 */
import { join } from 'node:path';
import { NotFoundError } from '../errors.js';
import { tf, type BackendInfo } from '../tf/index.js';
import { saveModelFiles, type ModelManifest } from './artifacts.js';
import { readCheckpointRecord, type CheckpointRef } from './checkpoint.js';
import { trainedModelManifest } from './model-manifest.js';
import { canonicalTasks } from './tasks.js';
import { existingDataset, trainingCamera } from './training-dataset.js';
import type { TrainingSpec } from './training-spec.js';
import { createWeighting, type StrategyState, type WeightingSnapshot } from './weighting/index.js';

/** The subdirectory of a checkpoint that holds its network in the tfjs layers format. */
const CHECKPOINT_MODEL_DIR = 'model';

/** What {@link promoteCheckpoint} needs. */
export interface PromoteCheckpointOptions {
  artifactDir: string;
  dataDir: string;
  /** The job whose checkpoint it is (the manifest's `sourceJob`). */
  jobId: string;
  /** The job's (defaults-applied) spec. */
  spec: TrainingSpec;
  checkpoint: CheckpointRef;
  /** The new model's id. Why not the job's id: the job's own model, if it completes, must not replace it. */
  modelId: string;
  /** The backend the job trained on (from its view), for the manifest. */
  backend: Pick<BackendInfo, 'name' | 'package' | 'gpu'>;
}

/**
 * Writes `ARTIFACT_DIR/models/{modelId}/` from a checkpoint: model.json and weights.bin as the checkpoint
 * holds them, and a manifest with the weighting (and sigmas) at the checkpoint, its finished epochs and
 * their last metrics, the spec, the camera (when the dataset is still on disk), and `sourceCheckpoint`.
 *
 * @returns The manifest written.
 * @throws NotFoundError when the checkpoint's files vanished meanwhile.
 */
export async function promoteCheckpoint(options: PromoteCheckpointOptions): Promise<ModelManifest> {
  const { artifactDir, dataDir, jobId, spec, checkpoint, modelId, backend } = options;
  const record = await readCheckpointRecord(checkpoint.dir).catch(() => {
    // Listed a moment ago, so it was complete: it has been removed since (the job deleted or retried).
    throw new NotFoundError(`checkpoint ${checkpoint.name} is no longer there`);
  });
  const tasks = canonicalTasks(spec.tasks);
  const [inputH, inputW] = spec.model.inputSize;
  const dataset = await existingDataset(spec.dataset, { dataDir, artifactDir });
  const camera = dataset && (await trainingCamera(dataset, inputW, inputH).catch(() => undefined));
  const manifest: ModelManifest = {
    ...trainedModelManifest({
      jobId,
      spec,
      tasks,
      weighting: await weightingAt(spec, record.strategy),
      history: record.run.history,
      camera,
      backend: { ...backend, tfjsVersion: tf.version.tfjs },
    }),
    id: modelId,
    sourceCheckpoint: checkpoint.name,
  };
  await saveModelFiles(artifactDir, join(checkpoint.dir, CHECKPOINT_MODEL_DIR), manifest);
  return manifest;
}

/**
 * The weights (and log-variances) the spec's strategy had in a checkpoint's state: the strategy is built,
 * restored and asked, exactly as the trainer would after resuming, then freed.
 */
async function weightingAt(spec: TrainingSpec, state: StrategyState): Promise<WeightingSnapshot> {
  // Why: the API process may not have touched tfjs yet; this waits for its backend to initialise.
  await tf.ready();
  const strategy = createWeighting(spec.weighting, canonicalTasks(spec.tasks));
  try {
    strategy.restore(state);
    return strategy.snapshot();
  } finally {
    strategy.dispose();
  }
}
