/**
 * `/v1/datasets` over real HTTP with a real Redis: a dataset generated the way a worker generates it, one
 * put in DATA_DIR by a user, sizes that match the files, and deletion refused while a queued job uses the
 * dataset, for user data and for unknown ids.
 */
import assert from 'node:assert/strict';
import { mkdir, readdir, stat, statfs } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { directoryUsage } from '../../src/data/dataset-inventory.js';
import type { DiskUsage } from '../../src/data/disk-usage.js';
import { generateDataset } from '../../src/data/synthetic/index.js';
import { prepareDataset } from '../../src/model/training-dataset.js';
import { parseTrainingSpec } from '../../src/model/training-spec.js';
import type { Dataset } from '../../src/api/schemas/dataset.js';
import { ServiceHarness, submitJob, type StartedApi } from '../helpers/service.js';
import { tinySpec } from '../helpers/training.js';

/** The generated dataset of `tinySpec()` (4 training scenes, 2 validation scenes, 64x128, seed 1). */
const GENERATED_ID = 'synthetic-4-2-64x128-seed1';

let harness: ServiceHarness;
let api: StartedApi;
let env: Record<string, string>;

before(async () => {
  harness = await ServiceHarness.start('datasets');
  env = harness.environment();
  // A dataset generated as a worker does, and one a user made in DATA_DIR (3 train scenes).
  const spec = parseTrainingSpec(tinySpec());
  await prepareDataset(spec.dataset, { dataDir: env.DATA_DIR!, artifactDir: env.ARTIFACT_DIR! });
  const userDir = join(env.DATA_DIR!, 'team', 'streets');
  await mkdir(userDir, { recursive: true });
  await generateDataset({ outDir: userDir, scenes: 3, width: 64, height: 32, seed: 2, split: 'train' });
  api = await harness.startApi(env);
});
after(() => harness.close());

/** GET /v1/datasets; asserts 200. */
async function list(): Promise<{ items: Dataset[]; totalBytes: number }> {
  const res = await fetch(`${api.base}/v1/datasets`);
  assert.equal(res.status, 200, await res.clone().text());
  return (await res.json()) as { items: Dataset[]; totalBytes: number };
}

/** DELETE /v1/datasets/{id}: status and body. */
async function remove(id: string): Promise<{ status: number; body: unknown }> {
  const res = await fetch(`${api.base}/v1/datasets/${encodeURIComponent(id)}`, { method: 'DELETE' });
  const text = await res.text();
  return { status: res.status, body: text === '' ? undefined : JSON.parse(text) };
}

describe('GET /v1/datasets', () => {
  it('lists the generated and the DATA_DIR dataset with sizes in bytes, scenes, kind and time', async () => {
    const { items, totalBytes } = await list();
    assert.deepEqual(
      items.map((d) => [d.id, d.kind, d.deletable]),
      [
        [GENERATED_ID, 'synthetic', true],
        ['data:team/streets', 'cityscapes', false],
      ],
    );
    const [generated, user] = items as [Dataset, Dataset];
    assert.deepEqual(generated.scenes, { train: 4, val: 2 });
    assert.equal(generated.totalScenes, 6);
    assert.deepEqual(generated.generated, { scenes: 4, validationScenes: 2, size: [64, 128], seed: 1 });
    const onDisk = await directoryUsage(join(env.ARTIFACT_DIR!, 'datasets', GENERATED_ID));
    assert.equal(generated.bytes, onDisk.bytes);
    // Five files per scene (image, labels, instances, disparity, camera) and the COMPLETE marker.
    assert.equal(generated.files, 6 * 5 + 1);
    assert.ok(generated.bytes > 6 * 1000, `${generated.bytes} bytes`);
    assert.ok(Math.abs(Date.parse(generated.createdAt) - Date.now()) < 120_000, generated.createdAt);
    assert.equal(user.path, 'team/streets');
    assert.deepEqual(user.scenes, { train: 3 });
    assert.equal(user.files, 3 * 5);
    assert.equal(totalBytes, generated.bytes + user.bytes);
    assert.deepEqual(generated.usedBy, []);
  });

  it('reads one dataset by id, and answers 404 with a code for an unknown one', async () => {
    const res = await fetch(`${api.base}/v1/datasets/${encodeURIComponent('data:team/streets')}`);
    assert.equal(res.status, 200);
    assert.equal(((await res.json()) as Dataset).totalScenes, 3);
    const missing = await fetch(`${api.base}/v1/datasets/synthetic-9-9-9x9-seed9`);
    assert.equal(missing.status, 404);
    assert.equal(((await missing.json()) as { error: { code: string } }).error.code, 'DATASET_NOT_FOUND');
  });
});

/** The `disk` part of GET /health/ready. */
async function readyDisk(): Promise<DiskUsage> {
  const res = await fetch(`${api.base}/health/ready`);
  return ((await res.json()) as { disk: DiskUsage }).disk;
}

/** The value of one sample of GET /metrics, e.g. `scene_mtl_disk_used_bytes{area="datasets"}`. */
async function metric(series: string): Promise<number | undefined> {
  const text = await (await fetch(`${api.base}/metrics`)).text();
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

describe('disk use in /health/ready and /metrics', () => {
  it('reports the bytes of datasets, cache, models and DATA_DIR, and the free space', async () => {
    const generated = await directoryUsage(join(env.ARTIFACT_DIR!, 'datasets'));
    const data = await directoryUsage(env.DATA_DIR!);
    const disk = await readyDisk();
    assert.equal(disk.artifactDir.areas.datasets, generated.bytes);
    assert.equal(disk.artifactDir.areas.cache, 0);
    assert.equal(disk.artifactDir.areas.models, 0);
    assert.ok(disk.artifactDir.bytes >= generated.bytes);
    assert.equal(disk.dataDir.bytes, data.bytes);
    const fs = await statfs(env.ARTIFACT_DIR!);
    assert.ok(disk.artifactDir.freeBytes! > 0 && disk.artifactDir.freeBytes! <= fs.blocks * fs.bsize);
    assert.equal(disk.artifactDir.totalBytes, fs.blocks * fs.bsize);

    assert.equal(await metric('scene_mtl_disk_used_bytes{area="datasets"}'), generated.bytes);
    assert.equal(await metric('scene_mtl_disk_used_bytes{area="data"}'), data.bytes);
    assert.ok((await metric('scene_mtl_disk_free_bytes{dir="artifacts"}'))! > 0);
    assert.equal(await metric('scene_mtl_disk_total_bytes{dir="data"}'), fs.blocks * fs.bsize);
  });
});

describe('DELETE /v1/datasets/{id}', () => {
  it('refuses a DATA_DIR dataset (403) and an unknown one (404), leaving the files', async () => {
    const user = await remove('data:team/streets');
    assert.equal(user.status, 403);
    assert.equal((user.body as { error: { code: string } }).error.code, 'DATASET_NOT_DELETABLE');
    assert.ok((await stat(join(env.DATA_DIR!, 'team', 'streets', 'leftImg8bit'))).isDirectory());
    const unknown = await remove('synthetic-1-1-1x1-seed1');
    assert.equal(unknown.status, 404);
  });

  it('refuses a generated dataset while a queued job uses it (409 naming the job), then deletes it', async () => {
    // No worker runs: the job stays queued and will read the dataset.
    const job = await submitJob(api.base, tinySpec());
    const { items } = await list();
    assert.deepEqual(items.find((d) => d.id === GENERATED_ID)?.usedBy, [job.id]);
    const refused = await remove(GENERATED_ID);
    assert.equal(refused.status, 409);
    const error = (refused.body as { error: { code: string; message: string; details: unknown } }).error;
    assert.equal(error.code, 'DATASET_IN_USE');
    assert.match(error.message, new RegExp(job.id));
    assert.deepEqual(error.details, { jobIds: [job.id] });

    const cancel = await fetch(`${api.base}/v1/training-jobs/${job.id}/cancel`, { method: 'POST' });
    assert.equal(cancel.status, 200, await cancel.text());
    const deleted = await remove(GENERATED_ID);
    assert.equal(deleted.status, 204, JSON.stringify(deleted.body));
    // Nothing is left of it, not even a temporary folder.
    assert.deepEqual(await readdir(join(env.ARTIFACT_DIR!, 'datasets')), []);
    assert.deepEqual(
      (await list()).items.map((d) => d.id),
      ['data:team/streets'],
    );
    // The disk report counts it no more (the deletion refreshes it at once).
    assert.equal((await readyDisk()).artifactDir.areas.datasets, 0);
  });
});
