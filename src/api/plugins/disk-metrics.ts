/**
 * Disk gauges of `/metrics`, read from the app's {@link DiskUsageMonitor} at each scrape:
 *
 * - `scene_mtl_disk_used_bytes{area}`: `artifacts` (all of ARTIFACT_DIR), its parts `datasets`, `cache`,
 *   `models`, `checkpoints`, and `data` (DATA_DIR);
 * - `scene_mtl_disk_free_bytes{dir}` and `scene_mtl_disk_total_bytes{dir}`: the filesystems of
 *   `artifacts` and `data`.
 *
 * @packageDocumentation
 */
import { Gauge, type Registry } from 'prom-client';
import { ARTIFACT_AREAS, type DiskUsage, type DiskUsageMonitor } from '../../data/disk-usage.js';
import type { Logger } from '../../logger.js';

/**
 * Registers the disk gauges.
 *
 * @param registry - The app's registry.
 * @param prefix - The metric name prefix.
 * @param monitor - The app's disk-usage monitor.
 * @param log - For a failed measurement (the scrape still answers, without these values).
 */
export function registerDiskMetrics(
  registry: Registry,
  prefix: string,
  monitor: DiskUsageMonitor,
  log: Pick<Logger, 'warn'>,
): void {
  const read = async (): Promise<DiskUsage | undefined> =>
    monitor.current().catch((err: unknown) => {
      log.warn({ err }, 'could not measure disk use for /metrics');
      return undefined;
    });
  new Gauge({
    name: `${prefix}disk_used_bytes`,
    help: 'Bytes of files under ARTIFACT_DIR (area "artifacts"), its parts (datasets, cache, models, checkpoints) and DATA_DIR (area "data"); counted at most every 30 s.',
    labelNames: ['area'] as const,
    registers: [registry],
    async collect() {
      const usage = await read();
      if (usage === undefined) return;
      this.set({ area: 'artifacts' }, usage.artifactDir.bytes);
      for (const area of Object.keys(ARTIFACT_AREAS) as (keyof typeof ARTIFACT_AREAS)[]) {
        this.set({ area }, usage.artifactDir.areas[area]);
      }
      this.set({ area: 'data' }, usage.dataDir.bytes);
    },
  });
  for (const [field, help] of [
    [
      'freeBytes',
      'Bytes still writable on the filesystem of ARTIFACT_DIR (dir "artifacts") and DATA_DIR (dir "data").',
    ],
    ['totalBytes', 'Size of the filesystem of ARTIFACT_DIR (dir "artifacts") and DATA_DIR (dir "data").'],
  ] as const) {
    new Gauge({
      name: `${prefix}disk_${field === 'freeBytes' ? 'free' : 'total'}_bytes`,
      help,
      labelNames: ['dir'] as const,
      registers: [registry],
      async collect() {
        const usage = await read();
        const artifacts = usage?.artifactDir[field];
        const data = usage?.dataDir[field];
        if (artifacts !== undefined) this.set({ dir: 'artifacts' }, artifacts);
        if (data !== undefined) this.set({ dir: 'data' }, data);
      },
    });
  }
}
