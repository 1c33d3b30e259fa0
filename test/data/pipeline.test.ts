import assert from 'node:assert/strict';
import { readdir, mkdtemp, rm, stat, truncate, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { flipTargets } from '../../src/data/augment.js';
import { disposeBatch, type HostBatch, type SceneBatch } from '../../src/data/batch.js';
import { targetCacheKey } from '../../src/data/cache-key.js';
import { CachedSampleSource } from '../../src/data/cached-sample-source.js';
import { CityscapesReader } from '../../src/data/cityscapes-reader.js';
import { createDatasetPipeline } from '../../src/data/dataset-pipeline.js';
import { IMAGE_NORMALISATION } from '../../src/data/normalisation.js';
import { InputPipeline } from '../../src/data/pipeline.js';
import { PngSampleSource } from '../../src/data/png-sample-source.js';
import type { SampleSource } from '../../src/data/sample-source.js';
import { openOrBuildTargetCache, targetCacheDir } from '../../src/data/target-cache.js';
import type { SampleTargets } from '../../src/data/targets.js';
import { DatasetError, ValidationError } from '../../src/errors.js';
import { selectBackend, tf } from '../../src/tf/index.js';
import { writeDataset } from './helpers/write-dataset.js';

const W = 64;
const H = 32;

/** A batch read back to host arrays (tensors disposed). */
type HostCopy = Pick<SceneBatch, 'names' | 'flipped'> & Omit<HostBatch, 'size' | 'width' | 'height'>;

async function toHost(batch: Required<SceneBatch>): Promise<HostCopy> {
  try {
    assert.deepEqual(batch.images.shape, [batch.size, H, W, 3]);
    assert.deepEqual(batch.labels.shape, [batch.size, H, W]);
    assert.equal(batch.labels.dtype, 'int32');
    assert.deepEqual(batch.offsets.shape, [batch.size, H, W, 2]);
    for (const t of [batch.offsetMask, batch.disparity, batch.disparityMask]) {
      assert.deepEqual(t.shape, [batch.size, H, W, 1]);
      assert.equal(t.dtype, 'float32');
    }
    return {
      names: batch.names,
      flipped: batch.flipped,
      images: (await batch.images.data()) as Float32Array,
      labels: (await batch.labels.data()) as Int32Array,
      offsets: (await batch.offsets.data()) as Float32Array,
      offsetMask: (await batch.offsetMask.data()) as Float32Array,
      disparity: (await batch.disparity.data()) as Float32Array,
      disparityMask: (await batch.disparityMask.data()) as Float32Array,
    };
  } finally {
    disposeBatch(batch);
  }
}

async function collect(pipeline: InputPipeline, epoch: number): Promise<HostCopy[]> {
  const out: HostCopy[] = [];
  for await (const batch of pipeline.batches(epoch)) out.push(await toHost(batch));
  return out;
}

/** Wraps a source and counts loads started, to check the pipeline's bound from outside. */
class CountingSource implements SampleSource {
  started = 0;
  constructor(private readonly inner: SampleSource) {}
  get length(): number {
    return this.inner.length;
  }
  get width(): number {
    return this.inner.width;
  }
  get height(): number {
    return this.inner.height;
  }
  name(i: number): string {
    return this.inner.name(i);
  }
  load(i: number): Promise<SampleTargets> {
    this.started++;
    return this.inner.load(i);
  }
  close(): Promise<void> {
    return this.inner.close();
  }
}

describe('input pipeline', () => {
  let dataDir: string;
  let artifactDir: string;
  let reader: CityscapesReader;
  let source: PngSampleSource;

  before(async () => {
    await selectBackend('cpu');
    dataDir = await mkdtemp(join(tmpdir(), 'pipeline-data-'));
    artifactDir = await mkdtemp(join(tmpdir(), 'pipeline-artifacts-'));
    await writeDataset(join(dataDir, 'ds'), { splits: { train: 10, val: 5 }, width: W, height: H });
    await writeDataset(join(dataDir, 'big'), { splits: { train: 40 }, width: W, height: H, seed: 100 });
    reader = await CityscapesReader.open(dataDir, 'ds');
    source = new PngSampleSource(reader, await reader.listSamples('train'), W, H);
  });
  after(async () => {
    await rm(dataDir, { recursive: true, force: true });
    await rm(artifactDir, { recursive: true, force: true });
  });

  it('is deterministic for a seed: same order, flips and tensors; other epochs and seeds differ', async () => {
    const make = (seed: number): InputPipeline =>
      new InputPipeline({ source, batchSize: 3, shuffle: true, flip: true, seed });
    const a = await collect(make(7), 0);
    const b = await collect(make(7), 0);
    assert.deepEqual(a, b);
    assert.equal(a.length, 4);
    assert.deepEqual(
      a.map((x) => x.names.length),
      [3, 3, 3, 1],
    );
    const names = (r: HostCopy[]): string[] => r.flatMap((x) => x.names);
    assert.deepEqual([...names(a)].sort(), Array.from({ length: 10 }, (_, i) => source.name(i)).sort());
    assert.notDeepEqual(names(a), names(await collect(make(7), 1)));
    assert.notDeepEqual(names(a), names(await collect(make(8), 0)));
    const flips = a.flatMap((x) => x.flipped);
    assert.ok(flips.includes(true) && flips.includes(false), 'some samples are flipped, some not');
  });

  it('puts each sample in the batch exactly as its targets say (normalised image, flipped when flagged)', async () => {
    const pipeline = new InputPipeline({ source, batchSize: 4, shuffle: true, flip: true, seed: 3 });
    const batches = await collect(pipeline, 0);
    const { mean, std } = IMAGE_NORMALISATION;
    const p = W * H;
    let flippedSeen = 0;
    for (const batch of batches) {
      for (const [k, name] of batch.names.entries()) {
        const index = Array.from({ length: source.length }, (_, i) => source.name(i)).indexOf(name);
        let t = await source.load(index);
        if (batch.flipped[k]!) {
          t = flipTargets(t);
          flippedSeen++;
        }
        for (let i = 0; i < p * 3; i++) {
          const expected = (t.image[i]! / 255 - mean[i % 3]!) / std[i % 3]!;
          assert.ok(Math.abs(batch.images[k * p * 3 + i]! - expected) < 1e-5);
        }
        assert.deepEqual([...batch.labels.subarray(k * p, (k + 1) * p)], [...t.trainIds]);
        assert.deepEqual(batch.offsets.subarray(k * p * 2, (k + 1) * p * 2), t.offsets);
        assert.deepEqual(batch.disparity.subarray(k * p, (k + 1) * p), t.disparity);
        assert.deepEqual([...batch.offsetMask.subarray(k * p, (k + 1) * p)], [...t.offsetMask]);
        assert.deepEqual([...batch.disparityMask.subarray(k * p, (k + 1) * p)], [...t.disparityMask]);
      }
    }
    assert.ok(flippedSeen > 0);
  });

  it('validates in order without augmentation, keeping the last partial batch', async () => {
    const val = await createDatasetPipeline({
      dataDir,
      datasetPath: 'ds',
      split: 'val',
      width: W,
      height: H,
      batchSize: 2,
      training: false,
    });
    const batches = await collect(val, 0);
    const again = await collect(val, 5);
    assert.deepEqual(batches, again, 'validation does not depend on the epoch');
    const listed = (await reader.listSamples('val')).map((s) => `val/${s.city}/${s.name}`);
    assert.deepEqual(
      batches.flatMap((b) => b.names),
      listed,
    );
    assert.ok(batches.every((b) => b.flipped.every((f) => !f)));
    assert.deepEqual(
      batches.map((b) => b.names.length),
      [2, 2, 1],
    );
  });

  it('drops the remainder when asked', async () => {
    const pipeline = new InputPipeline({ source, batchSize: 4, dropRemainder: true });
    assert.equal(pipeline.batchesPerEpoch, 2);
    assert.deepEqual(
      (await collect(pipeline, 0)).map((b) => b.names.length),
      [4, 4],
    );
  });

  it('never holds more decoded samples than the bound, however large the dataset', async () => {
    const bigReader = await CityscapesReader.open(dataDir, 'big');
    const counting = new CountingSource(
      new PngSampleSource(bigReader, await bigReader.listSamples('train'), W, H),
    );
    const bound = 4;
    const pipeline = new InputPipeline({
      source: counting,
      batchSize: 2,
      shuffle: true,
      seed: 1,
      maxSamplesInMemory: bound,
    });
    let consumed = 0;
    for await (const batch of pipeline.batches(0)) {
      // Slow consumer: give the prefetcher every chance to run ahead.
      await new Promise((r) => setTimeout(r, 5));
      assert.ok(pipeline.stats.live <= bound, `live ${pipeline.stats.live}`);
      consumed += batch.size;
      assert.ok(counting.started - consumed <= bound, `${counting.started} started, ${consumed} consumed`);
      disposeBatch(batch);
    }
    assert.equal(consumed, 40);
    assert.equal(pipeline.stats.peak, bound, 'the prefetcher fills the window');
    assert.equal(pipeline.stats.live, 0);
    assert.throws(() => new InputPipeline({ source, batchSize: 4, maxSamplesInMemory: 3 }), ValidationError);
  });

  it('leaks no tensors: full epochs, early stops and failing samples', async () => {
    const pipeline = new InputPipeline({ source, batchSize: 3, shuffle: true, flip: true, seed: 2 });
    const before = tf.memory().numTensors;
    for await (const batch of pipeline.batches(0)) disposeBatch(batch);
    assert.equal(tf.memory().numTensors, before);
    for await (const batch of pipeline.batches(1)) {
      disposeBatch(batch);
      break;
    }
    assert.equal(tf.memory().numTensors, before);
    assert.equal(pipeline.stats.live, 0, 'pending loads are released after an early stop');

    // A corrupt image surfaces as a DatasetError naming it, with nothing left behind.
    const badRoot = join(dataDir, 'bad');
    await writeDataset(badRoot, { splits: { train: 4 }, cities: ['c'], width: W, height: H });
    const badReader = await CityscapesReader.open(dataDir, 'bad');
    const samples = await badReader.listSamples('train');
    await writeFile(badReader.absolutePath(samples[2]!.files.labelIds!), 'garbage');
    const bad = new InputPipeline({ source: new PngSampleSource(badReader, samples, W, H), batchSize: 2 });
    await assert.rejects(
      (async () => {
        for await (const batch of bad.batches(0)) disposeBatch(batch);
      })(),
      (e: unknown) => e instanceof DatasetError && e.file === samples[2]!.files.labelIds,
    );
    assert.equal(tf.memory().numTensors, before);
    assert.equal(bad.stats.live, 0);
  });

  it('reads identical batches from the cache as from the PNGs, and reuses the cache', async () => {
    const options = {
      dataDir,
      datasetPath: 'ds',
      split: 'train',
      width: W,
      height: H,
      batchSize: 3,
      training: true,
      seed: 11,
      dropRemainder: false,
    };
    const fromPng = await createDatasetPipeline(options);
    const cached = await createDatasetPipeline({ ...options, cache: { artifactDir } });
    assert.ok(cached.source instanceof CachedSampleSource);
    for (const epoch of [0, 1]) assert.deepEqual(await collect(cached, epoch), await collect(fromPng, epoch));

    const key = await targetCacheKey(reader, await reader.listSamples('train'), W, H);
    const dir = targetCacheDir(artifactDir, key);
    assert.equal((cached.source as CachedSampleSource).dir, dir);
    const files = (await readdir(dir)).sort();
    assert.deepEqual(files, ['index.json', 'shard-00000.bin']);
    const indexTime = (await stat(join(dir, 'index.json'))).mtimeMs;
    await cached.close();

    // Opened again: the same cache, not rebuilt.
    const again = await createDatasetPipeline({ ...options, cache: { artifactDir } });
    assert.equal((await stat(join(dir, 'index.json'))).mtimeMs, indexTime);
    assert.deepEqual(await collect(again, 0), await collect(fromPng, 0));
    await again.close();

    // A damaged shard is detected and the cache rebuilt.
    await truncate(join(dir, 'shard-00000.bin'), 1000);
    const rebuilt = await openOrBuildTargetCache({ artifactDir, key, source });
    assert.equal((await stat(join(dir, 'shard-00000.bin'))).size, rebuilt.index.recordBytes * 10);
    const viaRebuilt = new InputPipeline({
      source: rebuilt,
      batchSize: 3,
      shuffle: true,
      flip: true,
      seed: 11,
    });
    assert.deepEqual(await collect(viaRebuilt, 0), await collect(fromPng, 0));
    await rebuilt.close();
  });

  it('changes the cache key when a file, the resolution or the sample list changes', async () => {
    const samples = await reader.listSamples('train');
    const key = await targetCacheKey(reader, samples, W, H);
    assert.equal(await targetCacheKey(reader, samples, W, H), key);
    assert.notEqual(await targetCacheKey(reader, samples, W / 2, H / 2), key);
    assert.notEqual(await targetCacheKey(reader, samples.slice(1), W, H), key);
    const f = reader.absolutePath(samples[0]!.files.disparity!);
    const later = new Date(Date.now() + 5000);
    await utimes(f, later, later);
    assert.notEqual(await targetCacheKey(reader, samples, W, H), key);
  });
});
