/**
 * DiskUsageMonitor on real directories: it counts the bytes of ARTIFACT_DIR's parts and DATA_DIR, reuses a
 * walk for its max age, answers the previous walk while a newer one runs, and measures afresh after
 * `invalidate`.
 */
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { DiskUsageMonitor } from '../../src/data/disk-usage.js';
import { waitFor } from '../helpers/training.js';

let root: string;
before(async () => {
  root = await mkdtemp(join(tmpdir(), 'scene-mtl-disk-'));
});
after(() => rm(root, { recursive: true, force: true }));

describe('DiskUsageMonitor', () => {
  it('counts each part, reuses a walk, refreshes in the background and after invalidate', async () => {
    const artifactDir = join(root, 'artifacts');
    const dataDir = join(root, 'data');
    for (const dir of ['datasets', 'cache', 'models', 'jobs', 'redis'])
      await mkdir(join(artifactDir, dir), { recursive: true });
    await mkdir(dataDir, { recursive: true });
    await writeFile(join(artifactDir, 'datasets', 'a.png'), Buffer.alloc(1000));
    await writeFile(join(artifactDir, 'cache', 'shard.bin'), Buffer.alloc(300));
    await writeFile(join(artifactDir, 'redis', 'aof'), Buffer.alloc(7));
    await writeFile(join(dataDir, 'b.png'), Buffer.alloc(50));
    let clock = 0;
    const monitor = new DiskUsageMonitor({ dataDir, artifactDir }, 1000, () => clock);

    const first = await monitor.current();
    assert.deepEqual(first.artifactDir.areas, { datasets: 1000, cache: 300, models: 0, checkpoints: 0 });
    assert.equal(first.artifactDir.bytes, 1307);
    assert.equal(first.dataDir.bytes, 50);
    assert.ok(
      first.artifactDir.freeBytes! > 0 && first.artifactDir.totalBytes! >= first.artifactDir.freeBytes!,
    );

    await writeFile(join(artifactDir, 'models', 'weights.bin'), Buffer.alloc(20));
    clock = 999; // within the max age: the same walk
    assert.equal((await monitor.current()).artifactDir.areas.models, 0);
    clock = 1000; // stale: the old answer at once, a new walk behind it
    assert.equal((await monitor.current()).artifactDir.areas.models, 0);
    await waitFor('the background walk', async () =>
      (await monitor.current()).artifactDir.areas.models === 20 ? true : undefined,
    );

    await rm(join(artifactDir, 'datasets', 'a.png'));
    monitor.invalidate();
    assert.equal((await monitor.current()).artifactDir.areas.datasets, 0);
  });
});
