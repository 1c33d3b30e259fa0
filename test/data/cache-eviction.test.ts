/**
 * The target cache bounded by TARGET_CACHE_MAX_BYTES on real files: real caches built from real PNG
 * datasets, the least recently used removed first, the one in use kept, a reader of an evicted cache still
 * reading it, and the policy itself without files.
 */
import assert from 'node:assert/strict';
import { mkdtemp, readdir, rm, utimes } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { listCacheEntries, pickEvictions } from '../../src/data/cache-eviction.js';
import { targetCacheKey } from '../../src/data/cache-key.js';
import { CACHE_INDEX_FILE, type CachedSampleSource } from '../../src/data/cached-sample-source.js';
import { CityscapesReader } from '../../src/data/cityscapes-reader.js';
import { PngSampleSource } from '../../src/data/png-sample-source.js';
import { CACHE_DIR_NAME, openOrBuildTargetCache, targetCacheDir } from '../../src/data/target-cache.js';
import { writeDataset } from './helpers/write-dataset.js';

const W = 32;
const H = 16;
const NAMES = ['a', 'b', 'c'] as const;

let root: string;
let dataDir: string;
let artifactDir: string;
/** Key and PNG source of each dataset. */
const datasets = new Map<string, { key: string; source: PngSampleSource }>();

before(async () => {
  root = await mkdtemp(join(tmpdir(), 'scene-mtl-cache-lru-'));
  dataDir = join(root, 'data');
  artifactDir = join(root, 'artifacts');
  for (const [i, name] of NAMES.entries()) {
    await writeDataset(join(dataDir, name), {
      splits: { train: 3 },
      cities: ['c'],
      width: W,
      height: H,
      seed: 10 * i + 1,
    });
    const reader = await CityscapesReader.open(dataDir, name);
    const samples = await reader.listSamples('train');
    datasets.set(name, {
      key: await targetCacheKey(reader, samples, W, H),
      source: new PngSampleSource(reader, samples, W, H),
    });
  }
});
after(() => rm(root, { recursive: true, force: true }));

/** Opens (building when missing) the cache of dataset `name`. */
function open(name: string, maxBytes?: number): Promise<CachedSampleSource> {
  const { key, source } = datasets.get(name)!;
  return openOrBuildTargetCache({
    artifactDir,
    key,
    source,
    ...(maxBytes === undefined ? {} : { maxBytes }),
  });
}

/** Sets the last use of dataset `name`'s cache to `secondsAgo`. */
async function usedAgo(name: string, secondsAgo: number): Promise<void> {
  const at = new Date(Date.now() - secondsAgo * 1000);
  await utimes(targetCacheDir(artifactDir, datasets.get(name)!.key), at, at);
}

/** Names of the datasets whose cache is on disk, sorted. */
async function cached(): Promise<string[]> {
  const dirs = await readdir(join(artifactDir, CACHE_DIR_NAME)).catch(() => [] as string[]);
  return NAMES.filter((n) => dirs.includes(datasets.get(n)!.key));
}

describe('target cache bound (least recently used out)', () => {
  it('removes the least recently used cache beyond the limit, keeps the one opened, and an open reader reads on', async () => {
    for (const name of ['a', 'b']) await (await open(name)).close();
    const [entry] = await listCacheEntries(join(artifactDir, CACHE_DIR_NAME), CACHE_INDEX_FILE);
    const oneCache = entry!.bytes;
    assert.ok(oneCache > 3 * W * H * 18, `${oneCache} bytes`);
    await usedAgo('a', 300);
    await usedAgo('b', 200);
    // b is read by a job while a is opened again: a becomes the most recently used, b the least.
    const reader = await open('b');
    await usedAgo('b', 200);
    await (await open('a')).close();
    const before = await reader.load(2);

    // Room for two caches: building c removes b (least recently used), not a (used since) nor c (in use).
    const c = await open('c', 2 * oneCache);
    assert.deepEqual(await cached(), ['a', 'c']);
    // The job still reading b's evicted cache reads every record, the same as before.
    for (let i = 0; i < reader.length; i++) await reader.load(i);
    assert.deepEqual(await reader.load(2), before);
    await reader.close();
    await c.close();
    // Only complete caches are left: no renamed-aside folder remains.
    assert.equal((await readdir(join(artifactDir, CACHE_DIR_NAME))).length, 2);

    // A limit of 0 keeps only the cache in use, even though it alone is larger.
    const alone = await open('a', 0);
    assert.deepEqual(await cached(), ['a']);
    assert.equal(alone.length, 3);
    await alone.close();
  });
});

describe('pickEvictions', () => {
  const entries = [
    { key: 'old', bytes: 40, lastUsedMs: 1 },
    { key: 'mid', bytes: 40, lastUsedMs: 2 },
    { key: 'new', bytes: 40, lastUsedMs: 3 },
  ];

  it('removes least recently used first, only as many as needed, never the kept one', () => {
    assert.deepEqual(pickEvictions(entries, 120, 'new'), []);
    assert.deepEqual(pickEvictions(entries, 80, 'new'), ['old']);
    assert.deepEqual(pickEvictions(entries, 80, 'old'), ['mid']);
    assert.deepEqual(pickEvictions(entries, 0, 'mid'), ['old', 'new']);
  });
});
