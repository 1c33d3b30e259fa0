/**
 * Cancellation outside the training loop, through HTTP with a real Redis and a real worker process: a job
 * still generating its synthetic dataset stops within 2 s, shows `cancelling` then `cancelled`, and leaves
 * no temporary folder; a worker's start-up removes the leftovers of stopped processes.
 */
import assert from 'node:assert/strict';
import { mkdir, readdir, utimes } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { listTemporaryDirs } from '../../src/model/temporary-files.js';
import type { TrainingJob } from '../../src/queue/job-schemas.js';
import { getJob, ServiceHarness, submitJob, untilStatus } from '../helpers/service.js';
import { waitFor } from '../helpers/training.js';

/** The bound from the cancel request to the stop. */
const STOP_BOUND_MS = 2_000;

/**
 * A job whose dataset takes minutes to generate (2,000 scenes of 256x512, ~0.1 s each) and trains tiny.
 * Why 256x512: a scene renders in ~0.1 s, so the bound measures the cancel path, not one scene.
 */
const LARGE_DATASET_SPEC = {
  dataset: { kind: 'synthetic', scenes: 2000, size: [256, 512], seed: 7 },
  tasks: ['segmentation', 'instances', 'depth'],
  weighting: { strategy: 'uncertainty' },
  model: { width: 4, inputSize: [64, 128] },
  training: { epochs: 1, batchSize: 2 },
};

describe('cancellation in every phase (API + Redis + worker process)', () => {
  let service: ServiceHarness;

  before(async () => {
    service = await ServiceHarness.start('cancel-phases');
  });
  after(async () => {
    await service.close();
  });

  it('cancelled during dataset generation: cancelling, then cancelled within 2 s, no temporary folder', async (t) => {
    const env = service.environment();
    const { base } = await service.startApi(env);
    const worker = await service.startWorker(env);
    const job = await submitJob(base, LARGE_DATASET_SPEC);
    const datasets = join(service.artifactDir, 'datasets');
    await waitFor(
      'scenes written to a temporary dataset folder',
      async () => {
        const [tmp] = (await listTemporaryDirs(service.artifactDir)).filter((d) =>
          d.path.startsWith(datasets),
        );
        if (tmp === undefined) return undefined;
        const cities = await readdir(join(tmp.path, 'leftImg8bit', 'train')).catch(() => []);
        return cities.length > 0 ? true : undefined;
      },
      60_000,
      50,
    );
    assert.equal((await getJob(base, job.id)).progress?.phase, 'preparing');

    const requestedAt = Date.now();
    const res = await fetch(`${base}/v1/training-jobs/${job.id}/cancel`, { method: 'POST' });
    assert.equal(res.status, 202);
    const answer = (await res.json()) as TrainingJob;
    assert.equal(answer.status, 'cancelling');
    assert.ok(answer.cancelRequestedAt);
    assert.equal((await getJob(base, job.id)).status, 'cancelling');

    const stopped = await untilStatus(base, job.id, ['cancelled', 'failed', 'completed'], 30_000);
    const stopMs = Date.now() - requestedAt;
    assert.equal(stopped.status, 'cancelled');
    t.diagnostic(`stopped ${stopMs} ms after the cancel request`);
    assert.ok(stopMs <= STOP_BOUND_MS, `stopped ${stopMs} ms after the request`);
    assert.deepEqual(await listTemporaryDirs(service.artifactDir), [], 'no temporary folder left');
    assert.deepEqual(await readdir(datasets), [], 'no dataset kept: it was never complete');
    assert.equal(worker.child.exitCode, null, 'the worker goes on');
  });

  it('worker start-up removes temporary folders of stopped processes, and spares a live writer', async () => {
    const datasets = join(service.artifactDir, 'datasets');
    const cache = join(service.artifactDir, 'cache');
    const old = new Date(Date.now() - 3_600_000);
    const leftovers = [
      join(datasets, '.synthetic-9-2-64x128-seed1.tmp-999999-1700000000000'),
      join(cache, 'abc123.tmp-999998-deadbeef'),
    ];
    const live = join(datasets, `.synthetic-9-2-64x128-seed2.tmp-${process.pid}-1700000000000`);
    for (const dir of [...leftovers, live]) {
      await mkdir(join(dir, 'leftImg8bit'), { recursive: true });
      await utimes(dir, old, old);
    }
    await service.startWorker(service.environment());
    const remaining = (await listTemporaryDirs(service.artifactDir)).map((d) => d.path);
    assert.deepEqual(remaining, [live]);
  });
});
