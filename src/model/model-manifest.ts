/**
 * The manifest of a trained model (`manifest.json`): its class list and how a training job fills it in.
 *
 * @packageDocumentation
 */
import { IMAGE_NORMALISATION, TRAIN_CLASSES } from '../data/index.js';
import type { BackendInfo } from '../tf/index.js';
import { MANIFEST_VERSION, type ManifestClass, type ModelManifest } from './artifacts.js';
import type { Task } from './tasks.js';
import type { TrainingCamera } from './training-dataset.js';
import { weightingReport, type EpochSummary } from './training-progress.js';
import type { TrainingSpec } from './training-spec.js';
import type { WeightingSnapshot } from './weighting/index.js';

/** The segmentation classes of every model: CityScapes' 19 train classes, things marked. */
export function manifestClasses(): ManifestClass[] {
  return TRAIN_CLASSES.map((c) => ({
    trainId: c.trainId,
    name: c.name,
    color: c.color,
    isThing: c.hasInstances,
  }));
}

/** What {@link trainedModelManifest} describes. */
export interface TrainedModel {
  /** The model's id, which is also the id of the job that trained it. */
  jobId: string;
  /** The (defaults-applied) spec it was trained with. */
  spec: TrainingSpec;
  /** Its heads, in output order. */
  tasks: Task[];
  /** The weighting strategy's state at the end of training. */
  weighting: WeightingSnapshot;
  history: EpochSummary[];
  camera?: TrainingCamera | undefined;
  backend: Pick<BackendInfo, 'name' | 'package' | 'gpu' | 'tfjsVersion'>;
}

/**
 * The manifest of a model a training job produced: the job's name and labels, tasks, classes, input size,
 * normalisation, weighting (with s, the learned sigmas, s* and s - s* where log-variances are learned), the
 * last epoch's metrics, the history (the per-epoch trajectory of all of them), spec, camera, source job and
 * backend.
 */
export function trainedModelManifest(model: TrainedModel): ModelManifest {
  const { jobId, spec, tasks, weighting, history, camera, backend } = model;
  const [inputH, inputW] = spec.model.inputSize;
  return {
    version: MANIFEST_VERSION,
    id: jobId,
    ...(spec.name !== undefined ? { name: spec.name } : {}),
    ...(spec.labels !== undefined ? { labels: spec.labels } : {}),
    createdAt: new Date().toISOString(),
    tasks,
    classes: manifestClasses(),
    inputSize: [inputH, inputW],
    normalisation: { mean: [...IMAGE_NORMALISATION.mean], std: [...IMAGE_NORMALISATION.std] },
    weighting: { strategy: spec.weighting.strategy, ...weightingReport(weighting) },
    metrics: history.at(-1)?.metrics ?? {},
    history,
    training: spec as unknown as Record<string, unknown>,
    ...(camera ? { camera } : {}),
    sourceJob: jobId,
    backend: {
      name: backend.name,
      package: backend.package,
      gpu: backend.gpu,
      tfjsVersion: backend.tfjsVersion,
    },
  };
}
