/**
 * Instance segmentation by clustering centroid votes, with no preset number of instances.
 *
 * Every pixel of a thing class votes for the centroid of its instance: `vote = (x, y) + offset`. Votes of
 * one instance pile up around one point, so instances are the modes of the vote density. This module finds
 * them with a grid-accelerated mean shift, separately for each semantic class (a car and a person are never
 * merged, even when their centroids coincide):
 *
 * 1. The votes of a class are bucketed into a grid of square cells of side `bandwidth / 2`.
 * 2. A mean shift starts from the mean vote of every occupied cell. It moves to the weighted mean of the
 *    votes within `bandwidth` (weights `1 - d^2 / bandwidth^2`, i.e. the modes of a biweight kernel
 *    density), looking only at the cells that overlap that disc (at most 5 x 5), until it moves less than
 *    0.001 px, or until it enters a cell an earlier mean shift passed through (it then joins that one's mode).
 * 3. Modes are taken strongest first (support = sum of the weights); a mode closer than `mergeRadius` to a
 *    stronger one, or with support below `minVotes`, is dropped.
 * 4. Each pixel joins the nearest mode of its class if its vote lies within `assignRadius` of it; clusters
 *    with fewer than `minPixels` pixels are dissolved and their pixels join the nearest surviving mode
 *    (again within `assignRadius`), or none.
 *
 * Guarantee for exact offsets: all votes of an instance fall on one point, and a mean shift started there
 * stays there as long as no other instance of the class has its centroid within `bandwidth`. So every
 * instance with at least `max(minPixels, minVotes)` pixels whose centroid is farther than
 * `max(bandwidth, mergeRadius)` from every other same-class centroid is recovered pixel for pixel.
 * Noisy votes keep that property while the noise is small against the gap between centroids.
 *
 * Where each step lives: votes in centroid-votes.ts, the grid of step 1 in vote-grid.ts, steps 2 and 3 in
 * mean-shift.ts (over the mode grid of mode-index.ts), step 4 in assign-votes.ts, and the id map with its
 * per-instance statistics in instance-summary.ts.
 *
 * Cost: O(pixels) to bucket; each mean-shift step reads only the votes in the bounding square of its disc,
 * and seeds on an earlier path are skipped; the assignment reads only the modes in the 3 x 3 cells (of side
 * `assignRadius`) around each vote. Measured at 128 x 256 on one core: about 3 ms for a street scene with
 * 48 objects, about 60 ms in the worst case (every pixel a thing, voting for a random point).
 */
import { assignVotes } from './assign-votes.js';
import { collectVotes } from './centroid-votes.js';
import { resolveClusterOptions, type ClusterOptions } from './cluster-options.js';
import {
  dropSmallestClusters,
  MAX_INSTANCES,
  summarise,
  type ClusterInstancesResult,
} from './instance-summary.js';
import { findModes } from './mean-shift.js';
import { DEFAULT_THING_TRAIN_IDS } from './train-ids.js';
import { assertImageSize, assertLength, thingLookup } from './validate.js';
import { buildVoteGrid } from './vote-grid.js';

/** Input of {@link clusterInstances}. */
export interface ClusterInstancesInput {
  /**
   * Predicted offsets, interleaved `(dx, dy)` per pixel (`2 * height * width` values, row-major), pointing
   * from the pixel to its instance centroid in pixels. Pixels with a non-finite offset get no instance.
   */
  offsets: Float32Array;
  /** Row-major semantic train ids (`height * width`); only pixels of `thingTrainIds` are clustered. */
  semantic: Uint8Array;
  /** Rows. */
  height: number;
  /** Columns. */
  width: number;
  /** Train ids of the thing classes; default {@link DEFAULT_THING_TRAIN_IDS} (CityScapes). */
  thingTrainIds?: readonly number[];
  /** Clustering options. */
  options?: ClusterOptions;
}

/**
 * Groups the thing-class pixels of a predicted offset field into instances.
 *
 * @param input - Offsets, semantic map, size, thing classes and options.
 * @returns The id map and the instance list (class, area, bbox, centroid, score).
 * @throws ValidationError when a size, an array length, a thing id or an option is invalid.
 */
export function clusterInstances(input: ClusterInstancesInput): ClusterInstancesResult {
  const { offsets, semantic, height, width } = input;
  const pixels = assertImageSize(height, width);
  assertLength('offsets', offsets, pixels * 2, 'height * width * 2');
  assertLength('semantic', semantic, pixels, 'height * width');
  const isThing = thingLookup('thingTrainIds', input.thingTrainIds ?? DEFAULT_THING_TRAIN_IDS);
  const options = resolveClusterOptions(input.options);

  // Cluster index of every pixel (-1 = none), numbered across classes; the class of each cluster.
  const pixelCluster = new Int32Array(pixels).fill(-1);
  const clusterClass: number[] = [];
  const clusterNear: number[] = [];
  for (const votes of collectVotes(offsets, semantic, width, height, isThing)) {
    const grid = buildVoteGrid(votes, options.bandwidth / 2);
    const modes = findModes(votes, grid, width, height, options);
    const { labels, near } = assignVotes(votes, modes, width, height, options);
    const base = clusterClass.length;
    for (let m = 0; m < modes.length; m++) {
      clusterClass.push(votes.trainId);
      clusterNear.push(near[m]!);
    }
    for (let v = 0; v < labels.length; v++) {
      const label = labels[v]!;
      if (label >= 0) pixelCluster[votes.pixels[v]!] = base + label;
    }
  }
  if (clusterClass.length > MAX_INSTANCES) dropSmallestClusters(pixelCluster, clusterClass.length);
  return summarise(pixelCluster, width, clusterClass, clusterNear);
}
