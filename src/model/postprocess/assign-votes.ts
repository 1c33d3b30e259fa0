/**
 * Assignment of each vote to its nearest mode (step 4 of `clusterInstances`): small clusters are
 * dissolved into their neighbours.
 */
import type { ClassVotes } from './centroid-votes.js';
import type { ClusterOptions } from './cluster-options.js';
import { ModeIndex, type Mode } from './mode-index.js';

/**
 * Gives each vote the index of its nearest mode within `assignRadius` (-1 if none), dissolves clusters
 * smaller than `minPixels` into the nearest surviving mode, and drops their modes from `modes` (in place).
 *
 * Dissolving needs one pass only: a surviving cluster's votes were already nearest to it among all modes,
 * so they stay; survivors only gain pixels.
 *
 * @returns Per vote the index into the surviving `modes`, and per mode how many of its votes lie within
 *   `bandwidth` of it.
 */
export function assignVotes(
  votes: ClassVotes,
  modes: Mode[],
  width: number,
  height: number,
  options: Required<ClusterOptions>,
): { labels: Int32Array; near: Int32Array } {
  const n = votes.x.length;
  const labels = new Int32Array(n).fill(-1);
  const everyMode = new ModeIndex(modes, options.assignRadius, width, height);
  for (let m = 0; m < modes.length; m++) everyMode.add(m);
  for (let v = 0; v < n; v++) labels[v] = everyMode.nearest(votes.x[v]!, votes.y[v]!);

  const area = new Int32Array(modes.length);
  for (let v = 0; v < n; v++) if (labels[v]! >= 0) area[labels[v]!]!++;
  const survivors = modes.map((_, m) => m).filter((m) => area[m]! >= options.minPixels);
  if (survivors.length < modes.length) {
    const kept = survivors.map((m) => modes[m]!);
    const renumber = new Int32Array(modes.length).fill(-1);
    survivors.forEach((m, i) => (renumber[m] = i));
    const survivorIndex = new ModeIndex(kept, options.assignRadius, width, height);
    for (let m = 0; m < kept.length; m++) survivorIndex.add(m);
    for (let v = 0; v < n; v++) {
      const label = labels[v]!;
      if (label < 0) continue;
      labels[v] = renumber[label]! >= 0 ? renumber[label]! : survivorIndex.nearest(votes.x[v]!, votes.y[v]!);
    }
    modes.length = 0;
    modes.push(...kept);
  }

  const near = new Int32Array(modes.length);
  const b2 = options.bandwidth * options.bandwidth;
  for (let v = 0; v < n; v++) {
    const label = labels[v]!;
    if (label < 0) continue;
    const mode = modes[label]!;
    if ((votes.x[v]! - mode.x) ** 2 + (votes.y[v]! - mode.y) ** 2 <= b2) near[label]!++;
  }
  return { labels, near };
}
