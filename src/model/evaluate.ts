import type { LayersModel, Tensor } from '@tensorflow/tfjs';
import { tf } from '../tf/index.js';
import { disposeBatch, type SceneBatch } from '../data/batch.js';
import {
  combineMetrics,
  DisparityErrorMetric,
  headlineMetrics,
  OffsetErrorMetric,
  panopticGroundTruth,
  PanopticQuality,
  SegmentationMetrics,
  type HeadlineMetrics,
  type MetricsSummary,
} from './metrics/index.js';
import { clusterInstances } from './postprocess/index.js';
import { canonicalTasks, type Task } from './tasks.js';

/** Validation result: the full summary plus the paper's three headline numbers (and PQ). */
export interface EvaluationResult extends MetricsSummary {
  headline: HeadlineMetrics;
  images: number;
}

/**
 * Evaluates a model on validation batches (inference mode) with the paper's metrics: segmentation mIoU
 * (with per-class IoU and pixel accuracy), mean instance offset error in px over instance pixels, mean
 * disparity error in px over valid pixels; and, when the model predicts both segmentation and instances,
 * panoptic quality of the clustered instances on thing classes. Ground-truth instances for PQ are
 * recovered from the exact ground-truth offset field with the same clustering (exact on such a field;
 * instances smaller than the clustering's minimum size are left out).
 * Consumes and disposes the batches.
 */
export async function evaluateModel(
  model: LayersModel,
  modelTasks: readonly Task[],
  batches: AsyncIterable<SceneBatch>,
  options: { classes: number; thingTrainIds: readonly number[] },
): Promise<EvaluationResult> {
  // The network's outputs follow the canonical task order.
  const tasks = canonicalTasks(modelTasks);
  const segmentation = tasks.includes('segmentation') ? new SegmentationMetrics(options.classes) : undefined;
  const offsets = tasks.includes('instances') ? new OffsetErrorMetric() : undefined;
  const depth = tasks.includes('depth') ? new DisparityErrorMetric() : undefined;
  const panoptic =
    segmentation && offsets ? new PanopticQuality({ thingTrainIds: options.thingTrainIds }) : undefined;
  let images = 0;
  for await (const batch of batches) {
    try {
      const host = predictHost(model, tasks, batch);
      const [size, height, width] = batch.images.shape;
      const pixels = height * width;
      images += size;
      for (let b = 0; b < size; b++) {
        const slice = <T extends Float32Array | Uint8Array>(data: T, perPixel: number) =>
          data.subarray(b * pixels * perPixel, (b + 1) * pixels * perPixel) as T;
        const labels = host.targetLabels && slice(host.targetLabels, 1);
        const predicted = host.labels && slice(host.labels, 1);
        if (segmentation && predicted && labels) segmentation.update(predicted, labels);
        if (offsets && host.offsets && host.targetOffsets && host.offsetMask) {
          offsets.update(slice(host.offsets, 2), slice(host.targetOffsets, 2), slice(host.offsetMask, 1));
        }
        if (depth && host.disparity && host.targetDisparity && host.disparityMask) {
          depth.update(
            slice(host.disparity, 1),
            slice(host.targetDisparity, 1),
            slice(host.disparityMask, 1),
          );
        }
        if (panoptic && predicted && labels && host.offsets && host.targetOffsets) {
          const things = options.thingTrainIds;
          const prediction = clusterInstances({
            offsets: slice(host.offsets, 2),
            semantic: predicted,
            height,
            width,
            thingTrainIds: things,
          });
          const truth = clusterInstances({
            offsets: slice(host.targetOffsets, 2),
            semantic: labels,
            height,
            width,
            thingTrainIds: things,
          });
          panoptic.update(
            prediction,
            panopticGroundTruth({
              instanceIds: truth.idMap,
              semantic: labels,
              encoding: 'plain',
              thingTrainIds: things,
            }),
          );
        }
      }
    } finally {
      disposeBatch(batch);
    }
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
  const summary = combineMetrics({
    ...(segmentation ? { segmentation } : {}),
    ...(offsets ? { instances: offsets } : {}),
    ...(depth ? { depth } : {}),
    ...(panoptic ? { panoptic } : {}),
  });
  return { ...summary, headline: headlineMetrics(summary), images };
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

/** Runs the model on a batch and copies predictions and targets to host arrays. */
function predictHost(model: LayersModel, tasks: readonly Task[], batch: SceneBatch): HostPrediction {
  const outputs = tf.tidy(() => {
    const raw = model.predict(batch.images) as Tensor | Tensor[];
    const heads = Array.isArray(raw) ? raw : [raw];
    const byTask = Object.fromEntries(tasks.map((task, i) => [task, heads[i]!])) as Partial<
      Record<Task, Tensor>
    >;
    return {
      ...(byTask.segmentation ? { labels: tf.argMax(byTask.segmentation, -1) } : {}),
      ...(byTask.instances ? { offsets: byTask.instances } : {}),
      ...(byTask.depth ? { disparity: byTask.depth } : {}),
    };
  });
  try {
    const u8 = (t: Tensor | undefined) => (t ? Uint8Array.from(t.dataSync()) : undefined);
    const f32 = (t: Tensor | undefined) => (t ? (t.dataSync() as Float32Array) : undefined);
    const host: HostPrediction = {};
    const assign = <K extends keyof HostPrediction>(key: K, value: HostPrediction[K] | undefined) => {
      if (value !== undefined) host[key] = value;
    };
    assign('labels', u8(outputs.labels));
    assign('offsets', f32(outputs.offsets));
    assign('disparity', f32(outputs.disparity));
    assign('targetLabels', u8(batch.labels));
    assign('targetOffsets', f32(batch.offsets));
    assign('offsetMask', u8(batch.offsetMask));
    assign('targetDisparity', f32(batch.disparity));
    assign('disparityMask', u8(batch.disparityMask));
    return host;
  } finally {
    tf.dispose(Object.values(outputs));
  }
}
