/**
 * The key of a preprocessed target cache: a hash of everything the cached bytes depend on, so a changed,
 * added or removed file, another resolution or a new version of the target code gives a new key (and a
 * fresh cache) instead of stale targets.
 *
 * @packageDocumentation
 */
import { createHash } from 'node:crypto';
import { realpath, stat } from 'node:fs/promises';
import type { CityscapesReader, CityscapesSample } from './cityscapes-reader.js';
import { SHARD_FORMAT_VERSION } from './shard-format.js';

/**
 * Version of the target-building code. Why: bump it whenever `targets.ts` or the normalisation of stored
 * values changes, so caches written by older code are not reused.
 */
export const TARGETS_VERSION = 1;

/** Hex characters of the key. Why 32 (128 bits): collision-free in practice and short enough for a path. */
const KEY_LENGTH = 32;

/** Files `stat`ed at once. Why 64: stats are cheap and mostly wait on the file system. */
const STAT_CONCURRENCY = 64;

/**
 * Computes the cache key of `samples` at `width` x `height`: SHA-256 over the formats' versions, the
 * resolution, the dataset's real path, and every sample's files with their sizes and modification times.
 *
 * @returns 32 hex characters.
 * @throws Whatever `stat` throws for a file that vanished since it was listed.
 */
export async function targetCacheKey(
  reader: CityscapesReader,
  samples: readonly CityscapesSample[],
  width: number,
  height: number,
): Promise<string> {
  const hash = createHash('sha256');
  const root = await realpath(reader.absolutePath(reader.root.relative));
  hash.update(JSON.stringify({ shard: SHARD_FORMAT_VERSION, targets: TARGETS_VERSION, width, height, root }));
  const files: string[] = [];
  for (const s of samples) {
    files.push(s.files.image, s.files.labelIds ?? '-', s.files.instanceIds ?? '-', s.files.disparity ?? '-');
  }
  const stats: string[] = new Array(files.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < files.length) {
      const i = next++;
      const f = files[i]!;
      if (f === '-') {
        stats[i] = '-';
        continue;
      }
      const st = await stat(reader.absolutePath(f));
      stats[i] = `${f}\t${st.size}\t${st.mtimeMs}`;
    }
  };
  await Promise.all(Array.from({ length: STAT_CONCURRENCY }, worker));
  for (const line of stats) hash.update(line + '\n');
  return hash.digest('hex').slice(0, KEY_LENGTH);
}
