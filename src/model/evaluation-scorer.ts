/**
 * Scores one sample's prediction against its ground truth, at whatever resolution the two share: the
 * accumulators of every metric `evaluate.ts` reports, fed sample by sample.
 *
 * @packageDocumentation
 */
import {
  combineMetrics,
  DisparityErrorMetric,
  OffsetErrorMetric,
  panopticGroundTruth,
  PanopticQuality,
  SegmentationMetrics,
  type MetricsSummary,
  type PanopticGroundTruth,
} from './metrics/index.js';
import { clusterInstances } from './postprocess/index.js';
import type { Task } from './tasks.js';

/** A sample's ground truth as host arrays, row-major, at `height x width`. */
export interface SampleTruth {
  height: number;
  width: number;
  /** Train ids, 255 = ignore. */
  labels?: Uint8Array;
  /** (dx, dy) in pixels of this resolution to each instance pixel's centroid. */
  offsets?: Float32Array;
  /** 1 on thing-instance pixels. */
  offsetMask?: Uint8Array;
  /** Disparity in pixels of this resolution. */
  disparity?: Float32Array;
  /** 1 where the disparity is valid. */
  disparityMask?: Uint8Array;
  /**
   * CityScapes `instanceIds` (labelId * 1000 + k per object; a smaller id on a thing pixel is a crowd
   * region). When present, PQ's ground-truth instances are read from it, crowd regions honoured as
   * panopticapi does; otherwise they are rebuilt by clustering `offsets` (exact for an exact offset field).
   */
  instanceIds?: Uint16Array | Int32Array;
}

/** A sample's prediction as host arrays at the resolution of its {@link SampleTruth}. */
export interface SamplePrediction {
  labels?: Uint8Array;
  offsets?: Float32Array;
  disparity?: Float32Array;
}

/** The metric accumulators of an evaluation, for the tasks of a model. */
export class EvaluationScorer {
  private readonly segmentation?: SegmentationMetrics;
  private readonly offsets?: OffsetErrorMetric;
  private readonly depth?: DisparityErrorMetric;
  private readonly panoptic?: PanopticQuality;

  constructor(
    tasks: readonly Task[],
    private readonly options: { classes: number; thingTrainIds: readonly number[] },
  ) {
    if (tasks.includes('segmentation')) this.segmentation = new SegmentationMetrics(options.classes);
    if (tasks.includes('instances')) this.offsets = new OffsetErrorMetric();
    if (tasks.includes('depth')) this.depth = new DisparityErrorMetric();
    if (this.segmentation && this.offsets) {
      this.panoptic = new PanopticQuality({ thingTrainIds: options.thingTrainIds });
    }
  }

  /** Adds one sample. */
  score(prediction: SamplePrediction, truth: SampleTruth): void {
    const { labels } = truth;
    if (this.segmentation && prediction.labels && labels) this.segmentation.update(prediction.labels, labels);
    if (this.offsets && prediction.offsets && truth.offsets && truth.offsetMask) {
      this.offsets.update(prediction.offsets, truth.offsets, truth.offsetMask);
    }
    if (this.depth && prediction.disparity && truth.disparity && truth.disparityMask) {
      this.depth.update(prediction.disparity, truth.disparity, truth.disparityMask);
    }
    if (this.panoptic && prediction.labels && labels && prediction.offsets) {
      const groundTruth = this.panopticTruth(truth, labels);
      if (groundTruth === undefined) return;
      const predicted = clusterInstances({
        offsets: prediction.offsets,
        semantic: prediction.labels,
        height: truth.height,
        width: truth.width,
        thingTrainIds: this.options.thingTrainIds,
      });
      this.panoptic.update(predicted, groundTruth);
    }
  }

  /** The summary of every sample scored so far. */
  result(): MetricsSummary {
    return combineMetrics({
      ...(this.segmentation ? { segmentation: this.segmentation } : {}),
      ...(this.offsets ? { instances: this.offsets } : {}),
      ...(this.depth ? { depth: this.depth } : {}),
      ...(this.panoptic ? { panoptic: this.panoptic } : {}),
    });
  }

  /** PQ's ground truth: from `instanceIds` (CityScapes encoding) or by clustering the exact offsets. */
  private panopticTruth(truth: SampleTruth, labels: Uint8Array): PanopticGroundTruth | undefined {
    const things = this.options.thingTrainIds;
    if (truth.instanceIds !== undefined) {
      return panopticGroundTruth({
        instanceIds: truth.instanceIds,
        semantic: labels,
        encoding: 'cityscapes',
        thingTrainIds: things,
      });
    }
    if (truth.offsets === undefined) return undefined;
    const clustered = clusterInstances({
      offsets: truth.offsets,
      semantic: labels,
      height: truth.height,
      width: truth.width,
      thingTrainIds: things,
    });
    return panopticGroundTruth({
      instanceIds: clustered.idMap,
      semantic: labels,
      encoding: 'plain',
      thingTrainIds: things,
    });
  }
}
