/**
 * The instances found by `clusterInstances`: the id map and, per instance, its class, area, bounding
 * box, centroid and score.
 */

/**
 * Most instances one id map can hold. Why 65535: ids are stored in a Uint16Array with 0 meaning "no
 * instance"; beyond it the smallest instances are dropped (far more than any real image holds).
 */
export const MAX_INSTANCES = 65535;

/** One instance found by `clusterInstances`. */
export interface InstanceSummary {
  /** Id in the id map, 1..n, numbered in raster order of each instance's first pixel. */
  id: number;
  /** Semantic train id of the instance's pixels. */
  trainId: number;
  /** Number of pixels. */
  area: number;
  /** Bounding box `[x0, y0, x1, y1]` in pixels: x0, y0 inclusive, x1, y1 exclusive (width = x1 - x0). */
  bbox: [number, number, number, number];
  /** Mean `[x, y]` of the instance's pixel coordinates (pixel (x, y) is column x, row y). */
  centroid: [number, number];
  /** Share of the instance's pixels whose vote lies within `bandwidth` of its mode, in [0, 1]: a confidence. */
  score: number;
}

/** Result of `clusterInstances`. */
export interface ClusterInstancesResult {
  /** Row-major instance ids, 0 = no instance, 1..n = `instances[id - 1]`. */
  idMap: Uint16Array;
  /** The instances, ordered by id. */
  instances: InstanceSummary[];
}

/** Keeps the {@link MAX_INSTANCES} largest clusters (ties: lower cluster index) and unlabels the rest. */
export function dropSmallestClusters(pixelCluster: Int32Array, clusters: number): void {
  const area = new Int32Array(clusters);
  for (const c of pixelCluster) if (c >= 0) area[c]!++;
  const ranked = Array.from({ length: clusters }, (_, i) => i).sort((a, b) => area[b]! - area[a]! || a - b);
  const keep = new Uint8Array(clusters);
  for (const c of ranked.slice(0, MAX_INSTANCES)) keep[c] = 1;
  for (let p = 0; p < pixelCluster.length; p++) {
    const c = pixelCluster[p]!;
    if (c >= 0 && keep[c] === 0) pixelCluster[p] = -1;
  }
}

/** Numbers the clusters in raster order of their first pixel and computes each one's statistics. */
export function summarise(
  pixelCluster: Int32Array,
  width: number,
  clusterClass: readonly number[],
  clusterNear: readonly number[],
): ClusterInstancesResult {
  const idMap = new Uint16Array(pixelCluster.length);
  const idOf = new Int32Array(clusterClass.length);
  const instances: InstanceSummary[] = [];
  const sums: { x: number; y: number }[] = [];
  for (let p = 0; p < pixelCluster.length; p++) {
    const c = pixelCluster[p]!;
    if (c < 0) continue;
    const x = p % width;
    const y = (p - x) / width;
    let id = idOf[c]!;
    if (id === 0) {
      id = instances.length + 1;
      idOf[c] = id;
      instances.push({
        id,
        trainId: clusterClass[c]!,
        area: 0,
        bbox: [x, y, x + 1, y + 1],
        centroid: [0, 0],
        score: 0,
      });
      sums.push({ x: 0, y: 0 });
    }
    idMap[p] = id;
    const instance = instances[id - 1]!;
    const sum = sums[id - 1]!;
    instance.area++;
    sum.x += x;
    sum.y += y;
    const bbox = instance.bbox;
    if (x < bbox[0]) bbox[0] = x;
    if (x + 1 > bbox[2]) bbox[2] = x + 1;
    bbox[3] = y + 1; // raster order: rows only grow
  }
  for (let c = 0; c < clusterClass.length; c++) {
    const id = idOf[c]!;
    if (id === 0) continue;
    const instance = instances[id - 1]!;
    const sum = sums[id - 1]!;
    instance.centroid = [sum.x / instance.area, sum.y / instance.area];
    instance.score = Math.min(1, clusterNear[c]! / instance.area);
  }
  return { idMap, instances };
}
