/** Temporary directories under ARTIFACT_DIR, and a dataset generation and a cache build stopped by their signal. */
import assert from 'node:assert/strict';
import { mkdir, readdir, utimes } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { generateDataset } from '../../src/data/synthetic/index.js';
import { CityscapesReader } from '../../src/data/cityscapes-reader.js';
import { PngSampleSource } from '../../src/data/png-sample-source.js';
import type { SampleSource } from '../../src/data/sample-source.js';
import { buildTargetCache, CACHE_DIR_NAME } from '../../src/data/target-cache.js';
import { TrainingAbortedError } from '../../src/errors.js';
import { modelsRoot } from '../../src/model/artifacts.js';
import {
  listTemporaryDirs,
  removeStaleTemporaryDirs,
  TEMPORARY_ROOTS,
  temporaryDirPid,
} from '../../src/model/temporary-files.js';
import { prepareDataset } from '../../src/model/training-dataset.js';
import { writeDataset } from '../data/helpers/write-dataset.js';
import { tempDir } from '../helpers/training.js';

describe('temporary directories', () => {
  let dir: { path: string; remove: () => Promise<void> };
  before(async () => {
    dir = await tempDir('tmp-files');
  });
  after(async () => {
    await dir.remove();
  });

  it('reads the writer pid from the three name patterns, and nothing else', () => {
    assert.equal(temporaryDirPid('.synthetic-4-2-64x128-seed1.tmp-123-1700000000000'), 123);
    assert.equal(temporaryDirPid('0123abcd.tmp-45-deadbeef'), 45);
    assert.equal(temporaryDirPid('.job-1.tmp-678'), 678);
    assert.equal(temporaryDirPid('synthetic-4-2-64x128-seed1'), undefined);
    assert.equal(temporaryDirPid('.job-1.previous-678'), undefined);
  });

  it('names the folders the writers use', () => {
    assert.deepEqual(TEMPORARY_ROOTS, ['datasets', CACHE_DIR_NAME, 'models']);
    assert.equal(modelsRoot('/a'), join('/a', TEMPORARY_ROOTS[2]));
  });

  it('removes stale ones only: older than the cutoff and written by a process that is gone', async () => {
    const root = join(dir.path, 'stale');
    const gone = join(root, 'models', '.job-1.tmp-999999');
    const live = join(root, 'cache', `k.tmp-${process.pid}-00`);
    const fresh = join(root, 'datasets', '.d.tmp-999997-1');
    for (const d of [gone, live, fresh]) await mkdir(d, { recursive: true });
    const old = new Date(Date.now() - 60_000);
    for (const d of [gone, live]) await utimes(d, old, old);
    assert.deepEqual(await removeStaleTemporaryDirs(root, Date.now() - 30_000), [gone]);
    assert.deepEqual((await listTemporaryDirs(root)).map((d) => d.path).sort(), [live, fresh].sort());
  });

  it('a generation stops on its signal, and prepareDataset removes what it wrote', async () => {
    const controller = new AbortController();
    const outDir = join(dir.path, 'gen');
    let written = 0;
    await assert.rejects(
      generateDataset({
        outDir,
        scenes: 50,
        width: 64,
        height: 32,
        seed: 1,
        split: 'train',
        signal: controller.signal,
        onScene: (n) => {
          written = n;
          if (n === 3) controller.abort('cancelled');
        },
      }),
      TrainingAbortedError,
    );
    assert.ok(written >= 3 && written <= 5, `${written} scenes written`);

    const artifactDir = join(dir.path, 'prepare');
    const aborted = new AbortController();
    aborted.abort('cancelled');
    await assert.rejects(
      prepareDataset(
        { kind: 'synthetic', scenes: 4, size: [32, 64], seed: 1 },
        { dataDir: dir.path, artifactDir, signal: aborted.signal },
      ),
      TrainingAbortedError,
    );
    assert.deepEqual(await readdir(join(artifactDir, 'datasets')), []);
  });
});

describe('target cache build', () => {
  it('stops between two samples on its signal and removes the partial cache', async () => {
    const dir = await tempDir('cache-abort');
    try {
      await writeDataset(join(dir.path, 'data', 'ds'), { splits: { train: 6 }, width: 16, height: 8 });
      const reader = await CityscapesReader.open(join(dir.path, 'data'), 'ds');
      const png = new PngSampleSource(reader, await reader.listSamples('train'), 16, 8);
      const controller = new AbortController();
      let loaded = 0;
      const source: SampleSource = {
        length: png.length,
        width: png.width,
        height: png.height,
        name: (i) => png.name(i),
        load: async (i) => {
          loaded++;
          if (i === 1) controller.abort('cancelled');
          return png.load(i);
        },
        close: () => png.close(),
      };
      const artifactDir = join(dir.path, 'artifacts');
      await assert.rejects(
        buildTargetCache({ artifactDir, key: 'k', source, concurrency: 1, signal: controller.signal }),
        TrainingAbortedError,
      );
      assert.ok(loaded < png.length, `${loaded} of ${png.length} samples loaded`);
      assert.deepEqual(await readdir(join(artifactDir, CACHE_DIR_NAME)), []);
      await png.close();
    } finally {
      await dir.remove();
    }
  });
});
