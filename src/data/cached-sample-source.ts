/**
 * {@link SampleSource} over a preprocessed target cache (`ARTIFACT_DIR/cache/{key}/`): `index.json` plus
 * `shard-NNNNN.bin` files of fixed-size records (see `shard-format.ts`). A load is one positional read and
 * no decoding.
 *
 * @packageDocumentation
 */
import { open, readFile, stat, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import { CacheCorruptError } from './errors.js';
import type { SampleSource } from './sample-source.js';
import { readRecord, recordLayout, SHARD_FORMAT_VERSION, type RecordLayout } from './shard-format.js';
import type { SampleTargets } from './targets.js';

/** Name of the index file of a cache directory. Why a fixed name: its presence marks a complete cache. */
export const CACHE_INDEX_FILE = 'index.json';

/** Value of `format` in every cache index. Why: tells a cache index from any other JSON file. */
export const CACHE_INDEX_FORMAT = 'scene-mtl-target-cache';

/** The content of `index.json`. */
export interface CacheIndex {
  format: typeof CACHE_INDEX_FORMAT;
  version: number;
  targetsVersion: number;
  key: string;
  width: number;
  height: number;
  recordBytes: number;
  samplesPerShard: number;
  shards: number;
  /** Sample names in index order. */
  samples: string[];
}

/** File name of shard `i`. */
export function shardFileName(i: number): string {
  return `shard-${String(i).padStart(5, '0')}.bin`;
}

/** Reads samples from a complete cache directory. */
export class CachedSampleSource implements SampleSource {
  readonly width: number;
  readonly height: number;
  /** The cache directory. */
  readonly dir: string;
  readonly index: CacheIndex;
  private readonly layout: RecordLayout;
  private readonly handles = new Map<number, Promise<FileHandle>>();
  private closed = false;

  private constructor(dir: string, index: CacheIndex) {
    this.dir = dir;
    this.index = index;
    this.width = index.width;
    this.height = index.height;
    this.layout = recordLayout(index.width, index.height);
  }

  /**
   * Opens a cache directory and checks that it is complete: the index parses, matches the expected key,
   * versions and record size, and every shard has exactly the expected length.
   *
   * @param dir - The cache directory (`ARTIFACT_DIR/cache/{key}`).
   * @param expected - What the caller needs: key, versions.
   * @throws {@link CacheCorruptError} when anything does not match.
   */
  static async open(
    dir: string,
    expected: { key: string; targetsVersion: number },
  ): Promise<CachedSampleSource> {
    let index: CacheIndex;
    try {
      index = JSON.parse(await readFile(join(dir, CACHE_INDEX_FILE), 'utf8')) as CacheIndex;
    } catch (error) {
      throw new CacheCorruptError(`cache index unreadable: ${(error as Error).message}`, { cause: error });
    }
    const problems: string[] = [];
    if (index.format !== CACHE_INDEX_FORMAT) problems.push('format');
    if (index.version !== SHARD_FORMAT_VERSION) problems.push('version');
    if (index.targetsVersion !== expected.targetsVersion) problems.push('targetsVersion');
    if (index.key !== expected.key) problems.push('key');
    if (
      !Number.isInteger(index.width) ||
      !Number.isInteger(index.height) ||
      index.width < 1 ||
      index.height < 1
    ) {
      problems.push('size');
    } else if (index.recordBytes !== recordLayout(index.width, index.height).bytes)
      problems.push('recordBytes');
    if (
      !Array.isArray(index.samples) ||
      !Number.isInteger(index.samplesPerShard) ||
      index.samplesPerShard < 1
    ) {
      problems.push('samples');
    } else if (index.shards !== Math.ceil(index.samples.length / index.samplesPerShard))
      problems.push('shards');
    if (problems.length > 0)
      throw new CacheCorruptError(`cache index does not match (${problems.join(', ')})`);
    for (let s = 0; s < index.shards; s++) {
      const inShard = Math.min(index.samplesPerShard, index.samples.length - s * index.samplesPerShard);
      const file = shardFileName(s);
      let size: number;
      try {
        size = (await stat(join(dir, file))).size;
      } catch (error) {
        throw new CacheCorruptError(`${file} is missing`, { cause: error });
      }
      if (size !== inShard * index.recordBytes) {
        throw new CacheCorruptError(`${file} has ${size} bytes, expected ${inShard * index.recordBytes}`);
      }
    }
    const source = new CachedSampleSource(dir, index);
    // Why every shard now: a cache evicted by another job (cache-eviction.ts) stays readable through open
    // files, so a reader never loses a shard it has not read yet.
    try {
      for (let s = 0; s < index.shards; s++) await source.handle(s);
    } catch (error) {
      await source.close();
      throw new CacheCorruptError(`cache shard unreadable: ${(error as Error).message}`, { cause: error });
    }
    return source;
  }

  get length(): number {
    return this.index.samples.length;
  }

  name(index: number): string {
    return this.index.samples[index]!;
  }

  /**
   * Reads record `index` into a fresh buffer and views it as targets (no copy beyond the read).
   *
   * @throws {@link CacheCorruptError} when the read is short or the record header does not match.
   */
  async load(index: number): Promise<SampleTargets> {
    if (this.closed) throw new CacheCorruptError('cache source is closed');
    if (!Number.isInteger(index) || index < 0 || index >= this.length) {
      throw new RangeError(`sample index ${index} out of range 0..${this.length - 1}`);
    }
    const shard = Math.floor(index / this.index.samplesPerShard);
    const position = (index % this.index.samplesPerShard) * this.layout.bytes;
    const handle = await this.handle(shard);
    // A fresh ArrayBuffer per record (offset 0 keeps the float fields aligned, and the caller may keep it);
    // not zero-filled, since the read overwrites every byte or the record is rejected as short.
    const slow = Buffer.allocUnsafeSlow(this.layout.bytes);
    const bytes = new Uint8Array(slow.buffer, slow.byteOffset, slow.length);
    const { bytesRead } = await handle.read(bytes, 0, bytes.length, position);
    const where = `${shardFileName(shard)} record ${index % this.index.samplesPerShard}`;
    if (bytesRead !== bytes.length) throw new CacheCorruptError(`${where}: short read (${bytesRead} bytes)`);
    return readRecord(bytes, this.layout, index, where);
  }

  /** Closes the shard files. */
  async close(): Promise<void> {
    this.closed = true;
    const handles = [...this.handles.values()];
    this.handles.clear();
    await Promise.all(handles.map(async (h) => (await h.catch(() => undefined))?.close()));
  }

  /** The open handle of shard `s`, opened on first use. */
  private handle(s: number): Promise<FileHandle> {
    let h = this.handles.get(s);
    if (h === undefined) {
      h = open(join(this.dir, shardFileName(s)), 'r');
      h.catch(() => this.handles.delete(s));
      this.handles.set(s, h);
    }
    return h;
  }
}
