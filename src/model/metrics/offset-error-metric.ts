/**
 * Streaming instance-offset error: the paper's "instance error in px".
 */
import { assertLength } from '../postprocess/validate.js';

/** What {@link OffsetErrorMetric.result} reports, in pixels. */
export interface OffsetErrorResult {
  /**
   * Mean Euclidean error: the average over instance pixels of `|| predicted - target ||_2`, the length of
   * the vector between the predicted and the true centroid. The headline number (Kendall et al. report the
   * mean error in px). null when no pixel was counted.
   */
  meanError: number | null;
  /** Mean L1 error: the average over instance pixels of `|dx error| + |dy error|`. null when none counted. */
  meanL1: number | null;
  /** Instance pixels counted (mask = 1). */
  pixels: number;
}

/**
 * Accumulates the centroid-offset error over instance pixels of any number of images in float64 sums. Updating
 * batch by batch gives bit for bit the result of one update over all the data (the same additions in the
 * same order); {@link OffsetErrorMetric.merge} of accumulators filled apart differs by rounding only.
 *
 * A non-finite predicted offset on an instance pixel makes the result NaN on purpose: a broken model must
 * not look good.
 */
export class OffsetErrorMetric {
  private sumL2 = 0;
  private sumL1 = 0;
  private count = 0;

  /**
   * Adds one image (or a batch, concatenated).
   *
   * @param predicted - Predicted offsets, interleaved (dx, dy) per pixel, in pixels.
   * @param target - True offsets, same layout.
   * @param mask - 1 on instance pixels (the only ones counted), 0 elsewhere; one value per pixel.
   * @throws ValidationError when the lengths do not match.
   */
  update(predicted: Float32Array, target: Float32Array, mask: Uint8Array): void {
    assertLength('predicted', predicted, mask.length * 2, '2 per mask pixel');
    assertLength('target', target, mask.length * 2, '2 per mask pixel');
    for (let p = 0; p < mask.length; p++) {
      if (mask[p] === 0) continue;
      const ex = predicted[2 * p]! - target[2 * p]!;
      const ey = predicted[2 * p + 1]! - target[2 * p + 1]!;
      this.sumL2 += Math.sqrt(ex * ex + ey * ey);
      this.sumL1 += Math.abs(ex) + Math.abs(ey);
      this.count++;
    }
  }

  /** Adds the sums of another accumulator (e.g. from another worker). */
  merge(other: OffsetErrorMetric): void {
    this.sumL2 += other.sumL2;
    this.sumL1 += other.sumL1;
    this.count += other.count;
  }

  /** Forgets every pixel counted so far. */
  reset(): void {
    this.sumL2 = 0;
    this.sumL1 = 0;
    this.count = 0;
  }

  /** Metrics of everything counted so far. */
  result(): OffsetErrorResult {
    if (this.count === 0) return { meanError: null, meanL1: null, pixels: 0 };
    return { meanError: this.sumL2 / this.count, meanL1: this.sumL1 / this.count, pixels: this.count };
  }
}
