/**
 * One plain, JSON-serialisable summary of the metrics of an evaluation.
 */
import { DisparityErrorMetric, type DisparityErrorResult } from './disparity-error-metric.js';
import { OffsetErrorMetric, type OffsetErrorResult } from './offset-error-metric.js';
import { PanopticQuality, type PanopticResult } from './panoptic-quality.js';
import { SegmentationMetrics, type SegmentationResult } from './segmentation-metrics.js';

/** Metrics per task; a task that was not evaluated is absent. */
export interface MetricsSummary {
  segmentation?: SegmentationResult;
  instances?: OffsetErrorResult;
  depth?: DisparityErrorResult;
  /** Instance-level quality after clustering (thing classes). */
  panoptic?: PanopticResult;
}

/** Accumulators (or their results) to summarise; each is optional. */
export interface MetricsParts {
  segmentation?: SegmentationMetrics | SegmentationResult;
  instances?: OffsetErrorMetric | OffsetErrorResult;
  depth?: DisparityErrorMetric | DisparityErrorResult;
  panoptic?: PanopticQuality | PanopticResult;
}

/**
 * The three numbers of the paper's Table 1 plus PQ, each null when not evaluated (or undefined).
 * Units: `meanIoU` and `pq` are fractions in [0, 1]; the errors are in pixels.
 */
export interface HeadlineMetrics {
  /** The official CityScapes mIoU (a predicted class absent from the ground truth counts as IoU 0). */
  meanIoU: number | null;
  /** mIoU over the classes present in the ground truth (`SegmentationResult.meanIoUPresent`). */
  meanIoUPresent: number | null;
  instanceErrorPx: number | null;
  disparityErrorPx: number | null;
  pq: number | null;
}

/**
 * Collects the results of the given accumulators into one summary that survives `JSON.stringify` unchanged:
 * every non-finite number (a NaN from a broken prediction) becomes null.
 *
 * @param parts - Accumulators or results per task.
 * @returns A fresh plain object (no references into the accumulators).
 */
export function combineMetrics(parts: MetricsParts): MetricsSummary {
  const summary: MetricsSummary = {};
  if (parts.segmentation !== undefined) {
    const s = parts.segmentation;
    summary.segmentation = jsonSafe(s instanceof SegmentationMetrics ? s.result() : s);
  }
  if (parts.instances !== undefined) {
    const s = parts.instances;
    summary.instances = jsonSafe(s instanceof OffsetErrorMetric ? s.result() : s);
  }
  if (parts.depth !== undefined) {
    const s = parts.depth;
    summary.depth = jsonSafe(s instanceof DisparityErrorMetric ? s.result() : s);
  }
  if (parts.panoptic !== undefined) {
    const s = parts.panoptic;
    summary.panoptic = jsonSafe(s instanceof PanopticQuality ? s.result() : s);
  }
  return summary;
}

/**
 * The headline numbers of a summary (Kendall et al.'s Table 1: segmentation IoU, instance error, inverse
 * depth error; plus PQ).
 */
export function headlineMetrics(summary: MetricsSummary): HeadlineMetrics {
  return {
    meanIoU: summary.segmentation?.meanIoU ?? null,
    meanIoUPresent: summary.segmentation?.meanIoUPresent ?? null,
    instanceErrorPx: summary.instances?.meanError ?? null,
    disparityErrorPx: summary.depth?.meanAbsoluteError ?? null,
    pq: summary.panoptic?.pq ?? null,
  };
}

/**
 * A deep copy of plain data (objects, arrays, typed arrays become arrays) in which every NaN or infinite
 * number is null, so that `JSON.stringify` keeps it (it writes NaN as null anyway, but silently, and a
 * parsed copy would then differ from the original).
 *
 * @param value - Plain data: numbers, strings, booleans, null, arrays, typed arrays, plain objects.
 */
export function jsonSafe<T>(value: T): T {
  return clean(value) as T;
}

/** {@link jsonSafe} without the type parameter. */
function clean(value: unknown): unknown {
  if (typeof value === 'number') return Number.isFinite(value) ? value : null;
  if (Array.isArray(value)) return value.map(clean);
  if (ArrayBuffer.isView(value) && !(value instanceof DataView)) {
    return Array.from(value as unknown as ArrayLike<number>, clean);
  }
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, clean(v)]));
  }
  return value;
}
