/**
 * The optional preprocessed target cache: binary shards under `ARTIFACT_DIR/cache/{key}/` holding every
 * sample's targets at training resolution, so that epochs read records instead of decoding PNGs and building
 * targets. See `docs/data.md` for the layout.
 *
 * The cache is built once, in sample order, into a temporary directory that is renamed into place only when
 * complete, so a crash or a concurrent builder never leaves a half-written cache under the final name. A
 * cache that fails its checks on open is deleted and rebuilt. With `maxBytes` (`TARGET_CACHE_MAX_BYTES`),
 * opening a cache marks it used and removes the least recently used others beyond the limit
 * (`cache-eviction.ts`).
 *
 * @packageDocumentation
 */
import { randomBytes } from 'node:crypto';
import { mkdir, open, rename, rm, writeFile, type FileHandle } from 'node:fs/promises';
import { endianness } from 'node:os';
import { join } from 'node:path';
import { throwIfAborted } from '../errors.js';
import { createLogger } from '../logger.js';
import { evictLeastRecentlyUsed, markCacheUsed } from './cache-eviction.js';
import { TARGETS_VERSION } from './cache-key.js';
import {
  CACHE_INDEX_FILE,
  CACHE_INDEX_FORMAT,
  CachedSampleSource,
  shardFileName,
  type CacheIndex,
} from './cached-sample-source.js';
import { CacheCorruptError } from './errors.js';
import type { SampleSource } from './sample-source.js';
import { recordLayout, SHARD_FORMAT_VERSION, writeRecord } from './shard-format.js';
import type { SampleTargets } from './targets.js';

const log = createLogger('data.cache');

/** Folder of caches under `ARTIFACT_DIR`. Why a fixed name: DESIGN.md reserves `ARTIFACT_DIR/cache/`. */
export const CACHE_DIR_NAME = 'cache';

/**
 * Target size of one shard file. Why 64 MiB: few enough files for a large dataset (CityScapes train at
 * 256x512 is ~70 shards), small enough that a copy or a damaged file costs little.
 */
const SHARD_TARGET_BYTES = 64 * 1024 * 1024;

/** Samples loaded at once while building. Why 8: keeps sharp's threads busy with bounded memory. */
const DEFAULT_BUILD_CONCURRENCY = 8;

/** Options of {@link openOrBuildTargetCache}. */
export interface TargetCacheOptions {
  /** `ARTIFACT_DIR`. */
  artifactDir: string;
  /** The cache key (see `targetCacheKey`). */
  key: string;
  /** Where the targets come from when the cache must be built (normally a `PngSampleSource`). */
  source: SampleSource;
  /** Samples loaded at once while building (also the most held in memory). */
  concurrency?: number;
  /** Stops a build between two samples (a job's cancel or shutdown); the partial cache is removed. */
  signal?: AbortSignal;
  /**
   * Limit on the bytes of every cache together (`TARGET_CACHE_MAX_BYTES`): after opening this one, the
   * least recently used others are removed until the rest fit. Unset: no limit.
   */
  maxBytes?: number;
}

/** Directory of the cache with `key`. */
export function targetCacheDir(artifactDir: string, key: string): string {
  return join(artifactDir, CACHE_DIR_NAME, key);
}

/** Whether this machine can use the cache (records store floats in little-endian order). */
export function cacheSupported(): boolean {
  return endianness() === 'LE';
}

/**
 * Opens the cache for `key`, building it from `source` first when it is missing or damaged.
 *
 * @returns A source reading the cache; the caller closes it.
 * @throws Whatever `source.load` throws while building (e.g. a `DatasetError` naming a file); a
 *   {@link CacheCorruptError} when this machine is big-endian.
 */
export async function openOrBuildTargetCache(options: TargetCacheOptions): Promise<CachedSampleSource> {
  if (!cacheSupported()) throw new CacheCorruptError('the target cache needs a little-endian machine');
  const dir = targetCacheDir(options.artifactDir, options.key);
  const expected = { key: options.key, targetsVersion: TARGETS_VERSION };
  let source: CachedSampleSource | undefined;
  try {
    source = await CachedSampleSource.open(dir, expected);
  } catch (error) {
    if (!(error instanceof CacheCorruptError)) throw error;
    const missing = /index unreadable: ENOENT/.test(error.message);
    if (!missing) log.warn({ err: error, key: options.key }, 'target cache damaged; rebuilding');
  }
  if (source === undefined) {
    await buildTargetCache(options);
    source = await CachedSampleSource.open(dir, expected);
  }
  await markCacheUsed(dir);
  if (options.maxBytes !== undefined)
    await enforceCacheLimit(options.artifactDir, options.key, options.maxBytes);
  return source;
}

/**
 * Removes the least recently used caches but `keep` until the caches fit in `maxBytes`. Failures are
 * logged, not thrown: a full cache must not fail the job that uses it.
 */
async function enforceCacheLimit(artifactDir: string, keep: string, maxBytes: number): Promise<void> {
  try {
    const removed = await evictLeastRecentlyUsed(join(artifactDir, CACHE_DIR_NAME), {
      maxBytes,
      keep,
      indexFile: CACHE_INDEX_FILE,
    });
    for (const entry of removed) {
      log.info(
        { key: entry.key, bytes: entry.bytes, lastUsed: new Date(entry.lastUsedMs).toISOString(), maxBytes },
        'target cache evicted (least recently used beyond TARGET_CACHE_MAX_BYTES)',
      );
    }
  } catch (err) {
    log.warn({ err, maxBytes }, 'could not bound the target cache');
  }
}

/**
 * Builds the cache for `options.key` from `options.source` (every sample, in index order) and moves it into
 * place, replacing a damaged one. When another process finishes the same cache first, its copy is kept.
 *
 * @returns The cache directory.
 */
export async function buildTargetCache(options: TargetCacheOptions): Promise<string> {
  const { source, key } = options;
  const root = join(options.artifactDir, CACHE_DIR_NAME);
  const dir = targetCacheDir(options.artifactDir, key);
  const tmp = join(root, `${key}.tmp-${process.pid}-${randomBytes(4).toString('hex')}`);
  const layout = recordLayout(source.width, source.height);
  const samplesPerShard = Math.max(1, Math.floor(SHARD_TARGET_BYTES / layout.bytes));
  const concurrency = Math.max(1, options.concurrency ?? DEFAULT_BUILD_CONCURRENCY);
  const started = Date.now();
  await mkdir(tmp, { recursive: true });
  let shard: FileHandle | undefined;
  try {
    const record = new Uint8Array(layout.bytes);
    const window: Promise<SampleTargets>[] = [];
    let next = 0;
    const fill = (): void => {
      while (window.length < concurrency && next < source.length) {
        const p = source.load(next++);
        p.catch(() => undefined);
        window.push(p);
      }
    };
    fill();
    for (let i = 0; i < source.length; i++) {
      throwIfAborted(options.signal);
      const targets = await window.shift()!;
      if (i % samplesPerShard === 0) {
        await shard?.close();
        shard = await open(join(tmp, shardFileName(i / samplesPerShard)), 'w');
      }
      writeRecord(targets, i, layout, record);
      await shard!.write(record, 0, record.length, (i % samplesPerShard) * layout.bytes);
      // Refill only after `targets` is written: at most `concurrency` samples are held at any time.
      fill();
    }
    await shard?.close();
    shard = undefined;
    const index: CacheIndex = {
      format: CACHE_INDEX_FORMAT,
      version: SHARD_FORMAT_VERSION,
      targetsVersion: TARGETS_VERSION,
      key,
      width: source.width,
      height: source.height,
      recordBytes: layout.bytes,
      samplesPerShard,
      shards: Math.ceil(source.length / samplesPerShard),
      samples: Array.from({ length: source.length }, (_, i) => source.name(i)),
    };
    await writeFile(join(tmp, CACHE_INDEX_FILE), JSON.stringify(index));
    await rm(dir, { recursive: true, force: true });
    try {
      await rename(tmp, dir);
    } catch (error) {
      // Another builder renamed its copy in between: keep theirs.
      const code = (error as NodeJS.ErrnoException).code;
      if (code !== 'ENOTEMPTY' && code !== 'EEXIST') throw error;
    }
    log.info(
      { key, samples: source.length, shards: index.shards, ms: Date.now() - started },
      'target cache built',
    );
    return dir;
  } finally {
    await shard?.close().catch(() => undefined);
    await rm(tmp, { recursive: true, force: true });
  }
}
