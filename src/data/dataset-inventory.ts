/**
 * What datasets lie on disk and what they cost: the bytes and files under a directory, the scenes of a
 * CityScapes-layout dataset per split, and the dataset directories found inside `DATA_DIR`. Used by
 * `GET /v1/datasets` (src/queue/dataset-store.ts) and by the disk-use report (src/queue/disk-usage.ts).
 *
 * Everything here only reads; symlinks are not followed when counting bytes (a link counts as itself), so
 * a link to a large tree elsewhere is not charged to the dataset holding it.
 *
 * @packageDocumentation
 */
import { lstat, readdir, stat } from 'node:fs/promises';
import { join, posix } from 'node:path';
import { DataDirectory } from './data-directory.js';

/** Bytes and files under a directory. */
export interface DirectoryUsage {
  /** Sum of the sizes of every regular file (and link) under it. */
  bytes: number;
  /** Number of those files. */
  files: number;
}

/**
 * Directories read at once while walking a tree. Why 16: enough to hide the latency of a cold disk,
 * few enough not to exhaust file descriptors beside the API's connections.
 */
const WALK_CONCURRENCY = 16;

/**
 * How deep below `DATA_DIR` dataset directories are looked for. Why 3: `DATA_DIR/cityscapes`,
 * `DATA_DIR/synthetic/small` and `DATA_DIR/team/set/v2` are found, while a walk never descends into the
 * thousands of image folders of a split.
 */
export const DATASET_SEARCH_DEPTH = 3;

/** Folder whose presence makes a directory a CityScapes-layout dataset. */
const IMAGE_FOLDER = 'leftImg8bit';

/** Suffix of a scene's image in the CityScapes layout. */
const IMAGE_SUFFIX = '_leftImg8bit.png';

/** Runs `work` on every item with at most `limit` at once. */
async function forEachLimited<T>(items: readonly T[], limit: number, work: (item: T) => Promise<void>) {
  let next = 0;
  const lane = async (): Promise<void> => {
    while (next < items.length) await work(items[next++]!);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, lane));
}

/**
 * Bytes and files under `dir`, recursively (a missing directory uses nothing). Entries that vanish during
 * the walk (a cache being evicted, a dataset being deleted) are skipped.
 *
 * @param dir - An absolute directory path.
 */
export async function directoryUsage(dir: string): Promise<DirectoryUsage> {
  const usage: DirectoryUsage = { bytes: 0, files: 0 };
  let pending = [dir];
  while (pending.length > 0) {
    const found: string[] = [];
    await forEachLimited(pending, WALK_CONCURRENCY, async (current) => {
      const entries = await readdir(current, { withFileTypes: true }).catch(() => []);
      for (const entry of entries) {
        const path = join(current, entry.name);
        if (entry.isDirectory()) {
          found.push(path);
          continue;
        }
        const size = await lstat(path).then(
          (s) => s.size,
          () => undefined,
        );
        if (size === undefined) continue;
        usage.bytes += size;
        usage.files += 1;
      }
    });
    pending = found;
  }
  return usage;
}

/**
 * Scenes of a CityScapes-layout dataset per split: the `*_leftImg8bit.png` files in
 * `leftImg8bit/{split}/{city}/`. Splits without scenes are left out.
 *
 * @param datasetDir - The dataset's absolute directory.
 */
export async function sceneCounts(datasetDir: string): Promise<Record<string, number>> {
  const imageRoot = join(datasetDir, IMAGE_FOLDER);
  const counts: Record<string, number> = {};
  for (const split of (await subdirectories(imageRoot)).sort()) {
    let scenes = 0;
    for (const city of await subdirectories(join(imageRoot, split))) {
      const files = await readdir(join(imageRoot, split, city)).catch(() => [] as string[]);
      scenes += files.filter((f) => f.endsWith(IMAGE_SUFFIX) && f.length > IMAGE_SUFFIX.length).length;
    }
    if (scenes > 0) counts[split] = scenes;
  }
  return counts;
}

/** Names of the directories in `dir` (following symlinks), or none when it cannot be read. */
async function subdirectories(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true }).catch(() => []);
  const names: string[] = [];
  for (const entry of entries) {
    if (entry.isDirectory()) names.push(entry.name);
    else if (
      entry.isSymbolicLink() &&
      (await stat(join(dir, entry.name)).catch(() => undefined))?.isDirectory()
    )
      names.push(entry.name);
  }
  return names;
}

/**
 * Dataset directories inside `DATA_DIR`: those holding a `leftImg8bit` folder, found down to
 * {@link DATASET_SEARCH_DEPTH} levels, not looking inside a dataset once found, skipping hidden names
 * and symlinks that lead outside `DATA_DIR`.
 *
 * @param dataDir - `DATA_DIR`.
 * @returns Paths relative to `DATA_DIR` with `/` separators (what a job's `dataset.path` names), sorted.
 */
export async function findDatasetDirectories(dataDir: string): Promise<string[]> {
  const root = new DataDirectory(dataDir);
  const found: string[] = [];
  const visit = async (rel: string, depth: number): Promise<void> => {
    let children: string[];
    try {
      children = await root.listDir(rel, 'dir', false);
    } catch {
      return; // a link outside DATA_DIR, or an unreadable folder: not a dataset of ours
    }
    if (rel !== '' && children.includes(IMAGE_FOLDER)) {
      found.push(rel);
      return;
    }
    if (depth >= DATASET_SEARCH_DEPTH) return;
    for (const child of children) {
      if (child.startsWith('.')) continue;
      await visit(rel === '' ? child : posix.join(rel, child), depth + 1);
    }
  };
  await visit('', 0);
  return found.sort();
}
