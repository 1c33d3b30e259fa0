import type { LayersModel, Tensor, Tensor4D } from '@tensorflow/tfjs';
import { tf } from '../tf/index.js';
import { disposeBatch, type SceneBatch } from '../data/batch.js';
import { EvaluationScorer, type SamplePrediction, type SampleTruth } from './evaluation-scorer.js';
import { headlineMetrics, type HeadlineMetrics, type MetricsSummary } from './metrics/index.js';
import { canonicalTasks, type Task } from './tasks.js';

export type { SamplePrediction, SampleTruth } from './evaluation-scorer.js';

/** At which resolution an evaluation was scored. */
export interface EvaluationResolution {
  /**
   * `input`: predictions and targets at the network's input size. `full`: at the ground truth's own
   * resolution, predictions upsampled to it (bilinear logits then argmax; offsets and disparity bilinear and
   * rescaled to that resolution's pixels), as cityscapesScripts and panopticapi require.
   */
  mode: 'input' | 'full';
  /** Size scored (the first sample's, when samples differ). */
  height: number;
  width: number;
}

/** Validation result: the full summary plus the paper's three headline numbers (and PQ). */
export interface EvaluationResult extends MetricsSummary {
  headline: HeadlineMetrics;
  images: number;
  /** At which resolution every number was scored. */
  resolution: EvaluationResolution;
}

/** Options of {@link evaluateModel}. */
export interface EvaluateOptions {
  classes: number;
  thingTrainIds: readonly number[];
  /**
   * Full-resolution mode: each sample's ground truth at its own resolution, by sample name (e.g. read from
   * a CityScapes dataset, with `instanceIds` for PQ). Without it (or when it returns undefined for every
   * sample) the evaluation is at the input size with the batch's targets.
   */
  groundTruth?: (name: string) => Promise<SampleTruth | undefined>;
}

/**
 * Evaluates a model on validation batches (inference mode) with the paper's metrics: segmentation mIoU
 * (official, and over the classes present, with per-class IoU and pixel accuracy), mean instance offset
 * error in px over instance pixels, mean disparity error in px over valid pixels; and, when the model
 * predicts both segmentation and instances, panoptic quality of the clustered instances on thing classes.
 * PQ's ground-truth instances come from `instanceIds` when the ground truth has them (crowd regions as
 * panopticapi), otherwise from clustering the exact ground-truth offset field (instances smaller than the
 * clustering's minimum size are then left out). With `options.groundTruth` every sample is scored at its
 * ground truth's resolution ({@link EvaluationResolution}). Consumes and disposes the batches.
 */
export async function evaluateModel(
  model: LayersModel,
  modelTasks: readonly Task[],
  batches: AsyncIterable<SceneBatch>,
  options: EvaluateOptions,
): Promise<EvaluationResult> {
  // The network's outputs follow the canonical task order.
  const tasks = canonicalTasks(modelTasks);
  const scorer = new EvaluationScorer(tasks, options);
  let images = 0;
  let resolution: EvaluationResolution | undefined;
  for await (const batch of batches) {
    const outputs = predictOutputs(model, tasks, batch);
    try {
      const [size, height, width] = batch.images.shape;
      images += size;
      const host = hostArrays(outputs, batch);
      for (let b = 0; b < size; b++) {
        const truth = options.groundTruth ? await options.groundTruth(batch.names[b]!) : undefined;
        if (truth !== undefined) {
          resolution ??= { mode: 'full', height: truth.height, width: truth.width };
          scorer.score(upsampledPrediction(outputs, b, truth.height, truth.width), truth);
        } else {
          resolution ??= { mode: 'input', height, width };
          const sample = sampleOf(host, b, height * width);
          scorer.score(sample.prediction, { height, width, ...sample.truth });
        }
      }
    } finally {
      tf.dispose(Object.values(outputs));
      disposeBatch(batch);
    }
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
  const summary = scorer.result();
  return {
    ...summary,
    headline: headlineMetrics(summary),
    images,
    resolution: resolution ?? { mode: options.groundTruth ? 'full' : 'input', height: 0, width: 0 },
  };
}

/** The network's outputs for a batch, by task (segmentation as logits). */
export interface BatchOutputs {
  logits?: Tensor;
  offsets?: Tensor;
  disparity?: Tensor;
}

function predictOutputs(model: LayersModel, tasks: readonly Task[], batch: SceneBatch): BatchOutputs {
  return tf.tidy(() => {
    const raw = model.predict(batch.images) as Tensor | Tensor[];
    const heads = Array.isArray(raw) ? raw : [raw];
    const byTask = Object.fromEntries(tasks.map((task, i) => [task, heads[i]!])) as Partial<
      Record<Task, Tensor>
    >;
    return {
      ...(byTask.segmentation ? { logits: byTask.segmentation } : {}),
      ...(byTask.instances ? { offsets: byTask.instances } : {}),
      ...(byTask.depth ? { disparity: byTask.depth } : {}),
    };
  });
}

/**
 * Sample `b`'s prediction at `height x width`: logits resized bilinearly then argmax; offsets and
 * disparity resized bilinearly and scaled to that resolution's pixels (dx and disparity by the width
 * ratio, dy by the height ratio). At the input size this is the prediction itself.
 */
export function upsampledPrediction(
  outputs: BatchOutputs,
  b: number,
  height: number,
  width: number,
): SamplePrediction {
  const prediction: SamplePrediction = {};
  tf.tidy(() => {
    const resize = (t: Tensor) => {
      const one = tf.slice(t, [b, 0, 0, 0], [1, -1, -1, -1]) as Tensor4D;
      const [, h, w] = one.shape;
      return {
        map: h === height && w === width ? one : tf.image.resizeBilinear(one, [height, width], false, true),
        h,
        w,
      };
    };
    if (outputs.logits) {
      prediction.labels = Uint8Array.from(tf.argMax(resize(outputs.logits).map, -1).dataSync());
    }
    if (outputs.offsets) {
      const { map, h, w } = resize(outputs.offsets);
      prediction.offsets = tf.mul(map, tf.tensor1d([width / w, height / h])).dataSync() as Float32Array;
    }
    if (outputs.disparity) {
      const { map, w } = resize(outputs.disparity);
      prediction.disparity = tf.mul(map, width / w).dataSync() as Float32Array;
    }
  });
  return prediction;
}

interface HostPrediction {
  labels?: Uint8Array;
  offsets?: Float32Array;
  disparity?: Float32Array;
  targetLabels?: Uint8Array;
  targetOffsets?: Float32Array;
  offsetMask?: Uint8Array;
  targetDisparity?: Float32Array;
  disparityMask?: Uint8Array;
}

/** Predictions (argmax labels) and targets of a whole batch as host arrays, at the input size. */
function hostArrays(outputs: BatchOutputs, batch: SceneBatch): HostPrediction {
  const labels = outputs.logits ? tf.tidy(() => tf.argMax(outputs.logits!, -1)) : undefined;
  try {
    const u8 = (t: Tensor | undefined) => (t ? Uint8Array.from(t.dataSync()) : undefined);
    const f32 = (t: Tensor | undefined) => (t ? (t.dataSync() as Float32Array) : undefined);
    const host: HostPrediction = {};
    const assign = <K extends keyof HostPrediction>(key: K, value: HostPrediction[K] | undefined) => {
      if (value !== undefined) host[key] = value;
    };
    assign('labels', u8(labels));
    assign('offsets', f32(outputs.offsets));
    assign('disparity', f32(outputs.disparity));
    assign('targetLabels', u8(batch.labels));
    assign('targetOffsets', f32(batch.offsets));
    assign('offsetMask', u8(batch.offsetMask));
    assign('targetDisparity', f32(batch.disparity));
    assign('disparityMask', u8(batch.disparityMask));
    return host;
  } finally {
    labels?.dispose();
  }
}

/** Sample `b` of a batch's host arrays: its prediction and its targets. */
function sampleOf(
  host: HostPrediction,
  b: number,
  pixels: number,
): { prediction: SamplePrediction; truth: Omit<SampleTruth, 'height' | 'width'> } {
  const slice = <T extends Float32Array | Uint8Array>(data: T | undefined, perPixel: number) =>
    data?.subarray(b * pixels * perPixel, (b + 1) * pixels * perPixel) as T | undefined;
  const defined = <T extends object>(value: T) =>
    Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
  return {
    prediction: defined({
      labels: slice(host.labels, 1),
      offsets: slice(host.offsets, 2),
      disparity: slice(host.disparity, 1),
    }),
    truth: defined({
      labels: slice(host.targetLabels, 1),
      offsets: slice(host.targetOffsets, 2),
      offsetMask: slice(host.offsetMask, 1),
      disparity: slice(host.targetDisparity, 1),
      disparityMask: slice(host.disparityMask, 1),
    }),
  };
}
