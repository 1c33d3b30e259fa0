/**
 * Streaming segmentation metrics from a confusion matrix: mean IoU, per-class IoU, pixel accuracy.
 */
import { IGNORE_LABEL } from '../postprocess/train-ids.js';
import { assertInteger, assertLength, invalid } from '../postprocess/validate.js';

/** What {@link SegmentationMetrics.result} reports. Every ratio is a fraction in [0, 1] (the paper prints %). */
export interface SegmentationResult {
  /**
   * Mean of the per-class IoUs that are defined, i.e. over the classes present in the target or the
   * prediction of at least one counted pixel (CityScapes' rule: average over the classes with a defined IoU).
   * A class that is predicted but never in the target has IoU 0 and lowers the mean; a class absent from
   * both does not count. null when no pixel was counted.
   */
  meanIoU: number | null;
  /**
   * Mean IoU over the classes present in the ground truth only (at least one counted target pixel): a class
   * that is predicted but absent from the evaluation split's ground truth does not lower it. Beside the
   * official {@link meanIoU}, which counts such a class as IoU 0; the two are equal when no absent class is
   * predicted. null when no pixel was counted.
   */
  meanIoUPresent: number | null;
  /** Train ids with at least one counted ground-truth pixel, ascending. */
  presentClasses: number[];
  /** IoU of train id i at index i: TP / (TP + FP + FN); null for a class absent from target and prediction. */
  perClassIoU: (number | null)[];
  /** Correct pixels / counted pixels; null when no pixel was counted. */
  pixelAccuracy: number | null;
  /** Pixels counted (target not 255). */
  pixels: number;
}

/**
 * Accumulates a confusion matrix over any number of label maps, so that metrics over many batches equal
 * the metrics of one big batch exactly (counts are integers in float64, exact up to 2^53 pixels).
 *
 * Rows are target classes, columns predicted classes, plus one last column for predictions that are not a
 * class id (255 or any value outside 0..numClasses-1): such a pixel counts as a miss (FN) of its target
 * class and as nobody's false positive. Pixels whose target is 255 are ignored.
 */
export class SegmentationMetrics {
  /** Number of classes C; train ids are 0..C-1. */
  readonly numClasses: number;
  /** `C x (C + 1)` counts, row-major. */
  private readonly counts: Float64Array;

  /**
   * @param numClasses - Number of classes, 1..255 (CityScapes: 19).
   * @throws ValidationError when `numClasses` is not an integer from 1 to 255.
   */
  constructor(numClasses: number) {
    assertInteger('numClasses', numClasses, 1, 255);
    this.numClasses = numClasses;
    this.counts = new Float64Array(numClasses * (numClasses + 1));
  }

  /**
   * Adds one label map (or a batch of them, concatenated).
   *
   * @param predicted - Predicted train ids, e.g. from `argmax`.
   * @param target - Target train ids, 0..C-1 or 255 (ignored).
   * @throws ValidationError when the lengths differ or a target value is neither a class id nor 255; the
   *   accumulator is then left unchanged.
   */
  update(predicted: Uint8Array | Int32Array, target: Uint8Array): void {
    assertLength('predicted', predicted, target.length, 'same as target');
    const c = this.numClasses;
    for (let i = 0; i < target.length; i++) {
      const t = target[i]!;
      if (t >= c && t !== IGNORE_LABEL) {
        invalid(`target[${i}]`, `must be a train id below ${c} or ${IGNORE_LABEL}, got ${t}`);
      }
    }
    const columns = c + 1;
    for (let i = 0; i < target.length; i++) {
      const t = target[i]!;
      if (t === IGNORE_LABEL) continue;
      const p = predicted[i]!;
      this.counts[t * columns + (p >= 0 && p < c ? p : c)]!++;
    }
  }

  /** Adds the counts of another accumulator with the same number of classes (e.g. from another worker). */
  merge(other: SegmentationMetrics): void {
    if (other.numClasses !== this.numClasses) {
      invalid('other.numClasses', `must equal ${this.numClasses}, got ${other.numClasses}`);
    }
    for (let i = 0; i < this.counts.length; i++) this.counts[i]! += other.counts[i]!;
  }

  /** Forgets every pixel counted so far. */
  reset(): void {
    this.counts.fill(0);
  }

  /**
   * The counts: `matrix[target][predicted]`, C rows of C + 1 columns, the last column holding predictions
   * that are not a class id.
   */
  confusionMatrix(): number[][] {
    const columns = this.numClasses + 1;
    return Array.from({ length: this.numClasses }, (_, t) =>
      Array.from(this.counts.subarray(t * columns, (t + 1) * columns)),
    );
  }

  /** Metrics of everything counted so far. */
  result(): SegmentationResult {
    const c = this.numClasses;
    const columns = c + 1;
    const rowSum = new Float64Array(c);
    const colSum = new Float64Array(c);
    let total = 0;
    let correct = 0;
    for (let t = 0; t < c; t++) {
      for (let p = 0; p < columns; p++) {
        const n = this.counts[t * columns + p]!;
        rowSum[t]! += n;
        if (p < c) colSum[p]! += n;
        total += n;
      }
      correct += this.counts[t * columns + t]!;
    }
    const perClassIoU: (number | null)[] = [];
    const presentClasses: number[] = [];
    let iouSum = 0;
    let defined = 0;
    let presentSum = 0;
    for (let k = 0; k < c; k++) {
      const tp = this.counts[k * columns + k]!;
      const union = rowSum[k]! + colSum[k]! - tp;
      if (union === 0) {
        perClassIoU.push(null);
        continue;
      }
      perClassIoU.push(tp / union);
      iouSum += tp / union;
      defined++;
      if (rowSum[k]! > 0) {
        presentClasses.push(k);
        presentSum += tp / union;
      }
    }
    return {
      meanIoU: defined > 0 ? iouSum / defined : null,
      meanIoUPresent: presentClasses.length > 0 ? presentSum / presentClasses.length : null,
      presentClasses,
      perClassIoU,
      pixelAccuracy: total > 0 ? correct / total : null,
      pixels: total,
    };
  }
}
