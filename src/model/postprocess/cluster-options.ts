/**
 * Options of `clusterInstances`: the defaults, each with why, and the validator that fills them in.
 */
import { assertInteger, assertPositive, invalid } from './validate.js';

/**
 * Default kernel radius of the mean shift, in pixels of the image. Why 3: it is about the spread of the
 * votes of a decent offset head at 128 x 256 (the paper's instance error is 3.5 px), while instances of one
 * class whose centroids are more than 3 px apart (two pedestrians side by side) stay separate.
 */
export const DEFAULT_BANDWIDTH = 3;

/**
 * Smallest bandwidth accepted, in pixels. Why 0.5: the vote grid has cells of half the bandwidth, so its
 * size grows with 1 / bandwidth^2; below half a pixel it would outgrow the image 16-fold, for a precision
 * no offset head has.
 */
export const MIN_BANDWIDTH = 0.5;

/**
 * Default distance in pixels under which two modes are one instance. Why equal to the bandwidth: modes
 * closer than the kernel radius share votes, so they are usually one noisy vote cloud, not two objects.
 */
export const DEFAULT_MERGE_RADIUS = 3;

/**
 * Default largest distance in pixels from a pixel's vote to the mode it joins. Why 12 (4 bandwidths): far
 * enough to collect the stray votes of a real prediction, close enough that a pixel voting nowhere near any
 * object (a mislabelled background pixel) does not stretch an instance across the image.
 */
export const DEFAULT_ASSIGN_RADIUS = 12;

/**
 * Default smallest instance, in pixels. Why 8: at 128 x 256 a real object is rarely smaller than 2 x 4
 * pixels, while clusters of a few pixels are mostly stray votes.
 */
export const DEFAULT_MIN_PIXELS = 8;

/**
 * Default smallest mode support (sum of kernel weights, each at most 1). Why 4 (half of
 * {@link DEFAULT_MIN_PIXELS}): a genuine instance of minimum size keeps well over half its weight even with
 * noisy votes, while isolated stray votes never reach it, which keeps the number of modes small.
 */
export const DEFAULT_MIN_VOTES = 4;

/**
 * Default cap on mean-shift iterations per seed. Why 30: a biweight mean shift started inside a vote cloud
 * reaches 0.001 px in well under 20 steps; the cap only bounds the time spent on pathological inputs.
 */
export const DEFAULT_MAX_ITERATIONS = 30;

/** Tuning of `clusterInstances`; every field is optional and defaults to the `DEFAULT_*` constant. */
export interface ClusterOptions {
  /** Kernel radius of the mean shift in pixels (>= {@link MIN_BANDWIDTH}); default {@link DEFAULT_BANDWIDTH}. */
  bandwidth?: number;
  /** Modes closer than this (pixels, > 0) are merged into the stronger one; default {@link DEFAULT_MERGE_RADIUS}. */
  mergeRadius?: number;
  /** A pixel joins a mode only if its vote is within this many pixels (> 0); default {@link DEFAULT_ASSIGN_RADIUS}. */
  assignRadius?: number;
  /** Clusters with fewer pixels are dissolved (integer >= 1); default {@link DEFAULT_MIN_PIXELS}. */
  minPixels?: number;
  /** Modes with a smaller kernel-weighted vote count are ignored (>= 0); default {@link DEFAULT_MIN_VOTES}. */
  minVotes?: number;
  /** Cap on mean-shift steps per seed (integer >= 1); default {@link DEFAULT_MAX_ITERATIONS}. */
  maxIterations?: number;
}

/**
 * Fills in and checks clustering options.
 *
 * @param options - Partial options.
 * @returns Every option, defaults applied.
 * @throws ValidationError naming the first invalid option (e.g. `options.bandwidth`).
 */
export function resolveClusterOptions(options: ClusterOptions = {}): Required<ClusterOptions> {
  const resolved: Required<ClusterOptions> = {
    bandwidth: options.bandwidth ?? DEFAULT_BANDWIDTH,
    mergeRadius: options.mergeRadius ?? DEFAULT_MERGE_RADIUS,
    assignRadius: options.assignRadius ?? DEFAULT_ASSIGN_RADIUS,
    minPixels: options.minPixels ?? DEFAULT_MIN_PIXELS,
    minVotes: options.minVotes ?? DEFAULT_MIN_VOTES,
    maxIterations: options.maxIterations ?? DEFAULT_MAX_ITERATIONS,
  };
  if (!Number.isFinite(resolved.bandwidth) || resolved.bandwidth < MIN_BANDWIDTH) {
    invalid(
      'options.bandwidth',
      `must be a finite number >= ${MIN_BANDWIDTH}, got ${String(resolved.bandwidth)}`,
    );
  }
  assertPositive('options.mergeRadius', resolved.mergeRadius);
  assertPositive('options.assignRadius', resolved.assignRadius);
  assertInteger('options.minPixels', resolved.minPixels, 1);
  if (!Number.isFinite(resolved.minVotes) || resolved.minVotes < 0) {
    invalid('options.minVotes', `must be a finite number >= 0, got ${String(resolved.minVotes)}`);
  }
  assertInteger('options.maxIterations', resolved.maxIterations, 1, 10_000);
  return resolved;
}
