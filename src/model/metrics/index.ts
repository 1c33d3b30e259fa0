/**
 * Evaluation metrics as streaming accumulators over plain typed arrays: segmentation (confusion matrix,
 * mIoU), instance offset error, disparity error, panoptic quality of clustered instances, and a JSON summary.
 */
export { SegmentationMetrics, type SegmentationResult } from './segmentation-metrics.js';
export { OffsetErrorMetric, type OffsetErrorResult } from './offset-error-metric.js';
export { DisparityErrorMetric, type DisparityErrorResult } from './disparity-error-metric.js';
export {
  CITYSCAPES_INSTANCE_ID_BASE,
  panopticGroundTruth,
  type GroundTruthInstance,
  type InstanceIdEncoding,
  type PanopticGroundTruth,
  type PanopticGroundTruthInput,
} from './panoptic-ground-truth.js';
export {
  DEFAULT_MATCH_IOU,
  PanopticQuality,
  type PanopticClassResult,
  type PanopticPrediction,
  type PanopticQualityOptions,
  type PanopticResult,
} from './panoptic-quality.js';
export {
  combineMetrics,
  headlineMetrics,
  jsonSafe,
  type HeadlineMetrics,
  type MetricsParts,
  type MetricsSummary,
} from './combine-metrics.js';
