/**
 * Keeps the target cache (`ARTIFACT_DIR/cache/`) within `TARGET_CACHE_MAX_BYTES`: each cache's last use is
 * the modification time of its directory (touched whenever a job opens it; its files keep theirs, which
 * say when it was built), and after a job opens or
 * builds a cache, the least recently used other caches are removed until the complete caches together fit.
 *
 * - The cache just opened is never removed, even when it alone is larger than the limit: the job needs it.
 * - Caches still being built (`{key}.tmp-*`) are not counted nor removed: their builder owns them.
 * - A cache that another job is reading may be removed: its reader opened every shard file when it opened
 *   the cache (`CachedSampleSource.open`), and on POSIX an open file stays readable after it is unlinked;
 *   the space returns when that job closes it. A later job rebuilds it.
 * - Removal renames the directory first (`{key}.evicted-*`), so no reader ever opens a half-removed cache.
 *
 * @packageDocumentation
 */
import { randomBytes } from 'node:crypto';
import { readdir, rename, rm, stat, utimes } from 'node:fs/promises';
import { join } from 'node:path';
import { directoryUsage } from './dataset-inventory.js';

/** Marks a directory of the cache root that is not a complete cache (being built or being removed). */
const NOT_A_CACHE_PATTERN = /\.(tmp|evicted)-/;

/** One complete cache: its key, size and last use. */
export interface CacheEntry {
  key: string;
  bytes: number;
  /** Last use, ms since the epoch. */
  lastUsedMs: number;
}

/**
 * Which caches to remove so that the rest fit in `maxBytes`: least recently used first, never `keep`.
 * Pure, so the policy is tested without files.
 *
 * @param entries - The complete caches.
 * @param maxBytes - The limit on their total size.
 * @param keep - The key of the cache in use by the caller.
 * @returns The keys to remove, least recently used first.
 */
export function pickEvictions(entries: readonly CacheEntry[], maxBytes: number, keep: string): string[] {
  let total = entries.reduce((sum, e) => sum + e.bytes, 0);
  const candidates = entries
    .filter((e) => e.key !== keep)
    .sort((a, b) => a.lastUsedMs - b.lastUsedMs || (a.key < b.key ? -1 : 1));
  const out: string[] = [];
  for (const entry of candidates) {
    if (total <= maxBytes) break;
    out.push(entry.key);
    total -= entry.bytes;
  }
  return out;
}

/**
 * Records that the cache in `dir` was used now (its directory's modification time).
 *
 * @param dir - A complete cache directory.
 */
export async function markCacheUsed(dir: string): Promise<void> {
  const now = new Date();
  await utimes(dir, now, now).catch(() => undefined);
}

/**
 * The complete caches under `root` (directories holding an index file) with their sizes and last use;
 * an unreadable root has none.
 *
 * @param root - `ARTIFACT_DIR/cache`.
 * @param indexFile - The index file's name.
 */
export async function listCacheEntries(root: string, indexFile: string): Promise<CacheEntry[]> {
  const dirents = await readdir(root, { withFileTypes: true }).catch(() => []);
  const entries: CacheEntry[] = [];
  for (const dirent of dirents) {
    if (!dirent.isDirectory() || NOT_A_CACHE_PATTERN.test(dirent.name)) continue;
    const dir = join(root, dirent.name);
    const [index, own] = await Promise.all([
      stat(join(dir, indexFile)).catch(() => undefined),
      stat(dir).catch(() => undefined),
    ]);
    if (index === undefined || own === undefined) continue;
    const { bytes } = await directoryUsage(dir);
    entries.push({ key: dirent.name, bytes, lastUsedMs: own.mtimeMs });
  }
  return entries;
}

/**
 * Removes least recently used caches under `root` until the complete ones fit in `maxBytes` (see the
 * module comment).
 *
 * @param root - `ARTIFACT_DIR/cache`.
 * @param options - The limit, the key to keep, the index file's name.
 * @returns The removed caches.
 */
export async function evictLeastRecentlyUsed(
  root: string,
  options: { maxBytes: number; keep: string; indexFile: string },
): Promise<CacheEntry[]> {
  const entries = await listCacheEntries(root, options.indexFile);
  const doomed = new Set(pickEvictions(entries, options.maxBytes, options.keep));
  const removed: CacheEntry[] = [];
  for (const entry of entries) {
    if (!doomed.has(entry.key)) continue;
    const aside = join(root, `${entry.key}.evicted-${process.pid}-${randomBytes(4).toString('hex')}`);
    try {
      await rename(join(root, entry.key), aside);
    } catch {
      continue; // another process removed or replaced it meanwhile
    }
    await rm(aside, { recursive: true, force: true });
    removed.push(entry);
  }
  return removed;
}
