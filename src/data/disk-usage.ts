/**
 * What the service's files take on disk and what is left: bytes under `ARTIFACT_DIR` (and in it the
 * generated datasets, the target cache, the models and the job checkpoints), bytes under `DATA_DIR`, and
 * the free and total space of the filesystems holding them (`fs.statfs`). `/health/ready` and `/metrics`
 * report it.
 *
 * Walking the trees costs a `stat` per file, so a {@link DiskUsageMonitor} measures at most once per
 * `maxAgeMs`, in the background once it has an answer, and shares it (and a walk in progress) between
 * callers; free space is read fresh at every call, since it is one cheap system call and is what runs out.
 *
 * @packageDocumentation
 */
import { statfs } from 'node:fs/promises';
import { join } from 'node:path';
import { directoryUsage } from './dataset-inventory.js';

/**
 * The parts of `ARTIFACT_DIR` reported apart, by folder. Why these: they are what grows (DESIGN.md's
 * layout); `redis/` and the rest are counted in the total only.
 */
export const ARTIFACT_AREAS = {
  datasets: 'datasets',
  cache: 'cache',
  models: 'models',
  checkpoints: 'jobs',
} as const;

/** A part of `ARTIFACT_DIR` reported apart. */
export type ArtifactArea = keyof typeof ARTIFACT_AREAS;

/**
 * How long a measurement of the trees is reused. Why 30 s: health probes come every few seconds and
 * scrapes every 15-60 s; a walk of a CityScapes-sized DATA_DIR (25,000 files) takes a fraction of a second,
 * so at most one every half minute costs nothing, and sizes change slowly.
 */
export const DISK_USAGE_MAX_AGE_MS = 30_000;

/** A filesystem's space, in bytes. */
export interface FilesystemSpace {
  /** Bytes an unprivileged process may still write. */
  freeBytes: number;
  /** Size of the filesystem. */
  totalBytes: number;
}

/** One directory: its bytes and its filesystem's space (absent when it cannot be read). */
export interface DirectoryReport extends Partial<FilesystemSpace> {
  bytes: number;
}

/** The whole report. */
export interface DiskUsage {
  /** `ARTIFACT_DIR`, with its parts. */
  artifactDir: DirectoryReport & { areas: Record<ArtifactArea, number> };
  /** `DATA_DIR`. */
  dataDir: DirectoryReport;
  /** When the trees were walked (free space is newer), ISO 8601. */
  measuredAt: string;
}

/** Space of the filesystem holding `dir`, or undefined when it cannot be read (e.g. it does not exist). */
export async function filesystemSpace(dir: string): Promise<FilesystemSpace | undefined> {
  try {
    const s = await statfs(dir);
    return { freeBytes: s.bavail * s.bsize, totalBytes: s.blocks * s.bsize };
  } catch {
    return undefined;
  }
}

/** The sizes of the trees (the part that is reused between calls). */
interface TreeSizes {
  artifactBytes: number;
  areas: Record<ArtifactArea, number>;
  dataBytes: number;
  measuredAt: string;
}

/** Walks `ARTIFACT_DIR` (and its areas) and `DATA_DIR`. */
async function measureTrees(dirs: { dataDir: string; artifactDir: string }): Promise<TreeSizes> {
  const names = Object.keys(ARTIFACT_AREAS) as ArtifactArea[];
  const [artifact, data, ...areaSizes] = await Promise.all([
    directoryUsage(dirs.artifactDir),
    directoryUsage(dirs.dataDir),
    ...names.map((name) => directoryUsage(join(dirs.artifactDir, ARTIFACT_AREAS[name]))),
  ]);
  const areas = Object.fromEntries(names.map((name, i) => [name, areaSizes[i]!.bytes])) as Record<
    ArtifactArea,
    number
  >;
  return {
    artifactBytes: artifact.bytes,
    areas,
    dataBytes: data.bytes,
    measuredAt: new Date().toISOString(),
  };
}

/** Measures disk use, reusing a measurement for `maxAgeMs`. */
export class DiskUsageMonitor {
  /** The latest walk started (maybe still running). */
  private last: { at: number; sizes: Promise<TreeSizes> } | undefined;
  /** The latest walk that finished, answered while a newer one runs. */
  private settled: TreeSizes | undefined;

  /**
   * @param dirs - `DATA_DIR` and `ARTIFACT_DIR`.
   * @param maxAgeMs - How long a walk of the trees is reused.
   * @param now - Clock (ms), for tests.
   */
  constructor(
    private readonly dirs: { dataDir: string; artifactDir: string },
    private readonly maxAgeMs = DISK_USAGE_MAX_AGE_MS,
    private readonly now: () => number = Date.now,
  ) {}

  /** Forgets every walk, so the next call measures afresh (after this process deleted or wrote files). */
  invalidate(): void {
    this.last = undefined;
    this.settled = undefined;
  }

  /**
   * The report: free space now, and the tree sizes of the latest finished walk. A walk older than
   * `maxAgeMs` starts a new one; the call waits for it only when no walk has finished yet (so a probe
   * never waits for a walk of a large DATA_DIR once one answer exists).
   */
  async current(): Promise<DiskUsage> {
    const at = this.now();
    if (this.last === undefined || at - this.last.at >= this.maxAgeMs) this.refresh(at);
    const [sizes, artifactSpace, dataSpace] = await Promise.all([
      this.settled ?? this.last!.sizes,
      filesystemSpace(this.dirs.artifactDir),
      filesystemSpace(this.dirs.dataDir),
    ]);
    return {
      artifactDir: { bytes: sizes.artifactBytes, ...artifactSpace, areas: sizes.areas },
      dataDir: { bytes: sizes.dataBytes, ...dataSpace },
      measuredAt: sizes.measuredAt,
    };
  }

  /** Starts a walk; keeps its answer unless a newer walk (or {@link invalidate}) came meanwhile. */
  private refresh(at: number): void {
    const sizes = measureTrees(this.dirs);
    const walk = { at, sizes };
    this.last = walk;
    sizes.then(
      (value) => {
        if (this.last === walk) this.settled = value;
      },
      // Why: a failed walk must not be reused.
      () => {
        if (this.last === walk) this.last = undefined;
      },
    );
  }
}
