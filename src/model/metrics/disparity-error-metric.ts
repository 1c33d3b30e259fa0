/**
 * Streaming disparity (inverse depth) error: the paper's "inverse depth error in px".
 */
import { assertLength } from '../postprocess/validate.js';

/** What {@link DisparityErrorMetric.result} reports, in pixels of disparity. */
export interface DisparityErrorResult {
  /** Mean absolute error over valid pixels (the headline number). null when no pixel was counted. */
  meanAbsoluteError: number | null;
  /** Root mean squared error over valid pixels; null when no pixel was counted. */
  rootMeanSquaredError: number | null;
  /** Valid pixels counted. */
  pixels: number;
}

/**
 * Accumulates the disparity error over the valid pixels of any number of images in float64 sums. Updating
 * batch by batch gives bit for bit the result of one update over all the data (the same additions in the
 * same order); {@link DisparityErrorMetric.merge} of accumulators filled apart differs by rounding only.
 *
 * A non-finite prediction on a valid pixel makes the result NaN on purpose: a broken model must not look
 * good.
 */
export class DisparityErrorMetric {
  private sumAbs = 0;
  private sumSquared = 0;
  private count = 0;

  /**
   * Adds one image (or a batch, concatenated).
   *
   * @param predicted - Predicted disparities in pixels.
   * @param target - True disparities in pixels.
   * @param valid - 1 where the target is known. Default: pixels whose target is finite and > 0 (CityScapes
   *   stores 0 for "no disparity").
   * @throws ValidationError when the lengths do not match.
   */
  update(predicted: Float32Array, target: Float32Array, valid?: Uint8Array): void {
    assertLength('predicted', predicted, target.length, 'same as target');
    if (valid !== undefined) assertLength('valid', valid, target.length, 'same as target');
    for (let i = 0; i < target.length; i++) {
      const t = target[i]!;
      if (valid === undefined ? !(t > 0 && Number.isFinite(t)) : valid[i] === 0) continue;
      const e = predicted[i]! - t;
      this.sumAbs += Math.abs(e);
      this.sumSquared += e * e;
      this.count++;
    }
  }

  /** Adds the sums of another accumulator (e.g. from another worker). */
  merge(other: DisparityErrorMetric): void {
    this.sumAbs += other.sumAbs;
    this.sumSquared += other.sumSquared;
    this.count += other.count;
  }

  /** Forgets every pixel counted so far. */
  reset(): void {
    this.sumAbs = 0;
    this.sumSquared = 0;
    this.count = 0;
  }

  /** Metrics of everything counted so far. */
  result(): DisparityErrorResult {
    if (this.count === 0) return { meanAbsoluteError: null, rootMeanSquaredError: null, pixels: 0 };
    return {
      meanAbsoluteError: this.sumAbs / this.count,
      rootMeanSquaredError: Math.sqrt(this.sumSquared / this.count),
      pixels: this.count,
    };
  }
}
