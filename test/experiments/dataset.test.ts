import assert from 'node:assert/strict';
import { mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { prepareExperimentDataset, publishPreparedDataset } from '../../src/experiments/dataset.js';
import { syntheticDatasetName, type ExperimentDataset } from '../../src/experiments/plan.js';

let root: string;
before(async () => {
  root = await mkdtemp(join(tmpdir(), 'experiment-dataset-'));
});
after(async () => {
  await rm(root, { recursive: true, force: true });
});

/** A folder holding `files` (name -> content). */
async function folder(dir: string, files: Record<string, string>): Promise<void> {
  await mkdir(dir, { recursive: true });
  for (const [name, content] of Object.entries(files)) await writeFile(join(dir, name), content);
}

test('publishing onto a complete dataset keeps it (runs may read it) and drops the late copy', async () => {
  const dir = join(root, 'kept');
  await folder(dir, { COMPLETE: 'first\n', 'a.png': 'first' });
  const before = await stat(join(dir, 'a.png'));
  await folder(`${dir}.tmp-late`, { COMPLETE: 'second\n', 'a.png': 'second' });
  await publishPreparedDataset(`${dir}.tmp-late`, dir);
  assert.equal(await readFile(join(dir, 'a.png'), 'utf8'), 'first');
  assert.equal((await stat(join(dir, 'a.png'))).ino, before.ino);
  assert.deepEqual(await readdir(root), ['kept']);
});

test('publishing onto a folder without the marker replaces it', async () => {
  const dir = join(root, 'partial');
  await folder(dir, { 'a.png': 'torn' });
  await folder(`${dir}.tmp-new`, { COMPLETE: 'done\n', 'a.png': 'whole' });
  await publishPreparedDataset(`${dir}.tmp-new`, dir);
  assert.equal(await readFile(join(dir, 'a.png'), 'utf8'), 'whole');
  assert.ok(!(await readdir(root)).includes('partial.tmp-new'));
});

test('two preparers of one synthetic dataset at once both get it whole, and leave no temporary folder', async () => {
  const dataset: ExperimentDataset = {
    kind: 'synthetic',
    train: 2,
    validation: 1,
    test: 1,
    size: [16, 32],
    seed: 5,
  };
  const workDir = join(root, 'work');
  const [a, b] = await Promise.all([
    prepareExperimentDataset(dataset, { workDir }),
    prepareExperimentDataset(dataset, { workDir }),
  ]);
  assert.equal(a.dataDir, b.dataDir);
  assert.deepEqual(await readdir(a.dataDir), [syntheticDatasetName(dataset)]);
  const dir = join(a.dataDir, syntheticDatasetName(dataset));
  assert.ok((await readdir(dir)).includes('COMPLETE'));
  for (const split of ['train', 'val', 'test']) {
    assert.ok((await readdir(join(dir, 'leftImg8bit'))).includes(split), split);
  }
});
