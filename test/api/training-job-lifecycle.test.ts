/**
 * A job's life after it ends, through HTTP with a real redis-server and a real worker process: resume a
 * cancelled job from its checkpoint to completion, promote a checkpoint to a model that predicts, and
 * delete jobs with their files (refused while they run).
 */
import assert from 'node:assert/strict';
import { access } from 'node:fs/promises';
import { dirname } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { UnrecoverableError, Worker } from 'bullmq';
import { Redis } from 'ioredis';
import { jobCheckpointDir } from '../../src/model/training-job.js';
import type { TrainingJob } from '../../src/queue/job-schemas.js';
import { QUEUE_PREFIX } from '../../src/queue/queue-names.js';
import { getJob, ServiceHarness, submitJob, untilStatus } from '../helpers/service.js';
import { randomImage } from '../helpers/tiny-model.js';
import { tinySpec, waitFor } from '../helpers/training.js';

interface ErrorAnswer {
  error: { code: string; message: string };
}

const exists = (path: string) =>
  access(path).then(
    () => true,
    () => false,
  );

const post = (url: string) => fetch(url, { method: 'POST' });
const del = (url: string) => fetch(url, { method: 'DELETE' });

/** Epochs of the cancelled-and-resumed job (4 steps each). */
const EPOCHS = 12;
describe('training job lifecycle (API + Redis + worker process)', () => {
  let service: ServiceHarness;

  before(async () => {
    service = await ServiceHarness.start('lifecycle');
  });
  after(async () => {
    await service.close();
  });

  it('a cancelled job: its checkpoint becomes a model that predicts; resumed, it continues at that step and completes; then it is deleted with its files', async () => {
    const env = service.environment();
    const { base } = await service.startApi(env);
    await service.startWorker(env);
    // 12 epochs of 4 steps: long enough that a cancel after the first checkpoint lands mid-way even on a
    // fast machine (with 12 steps in all, one CI run finished them before the stop took effect), short
    // enough to finish when resumed.
    const job = await submitJob(base, tinySpec({ epochs: EPOCHS, scenes: 8 }));
    await waitFor(
      'a checkpoint and a few steps',
      async () => {
        const j = await getJob(base, job.id);
        return j.checkpoints.length > 0 && (j.progress?.step ?? 0) >= 3 ? j : undefined;
      },
      60_000,
      50,
    );

    // Running: deleting is refused, resuming is a conflict.
    const refused = await del(`${base}/v1/training-jobs/${job.id}`);
    assert.equal(refused.status, 409);
    const refusal = (await refused.json()) as ErrorAnswer;
    assert.equal(refusal.error.code, 'JOB_RUNNING');
    assert.match(refusal.error.message, /cancel/);
    assert.equal((await post(`${base}/v1/training-jobs/${job.id}/resume`)).status, 409);

    assert.equal((await post(`${base}/v1/training-jobs/${job.id}/cancel`)).status, 202);
    const cancelled = await untilStatus(base, job.id, ['cancelled', 'completed', 'failed'], 30_000);
    assert.equal(cancelled.status, 'cancelled');
    const newest = cancelled.checkpoints.at(-1)!;
    assert.ok(
      newest.globalStep > 0 && newest.globalStep < EPOCHS * 4,
      `stopped mid-way at ${newest.globalStep}`,
    );

    // Promote the kept checkpoint: a new model, named after its source, that predicts.
    const promoted = await post(`${base}/v1/training-jobs/${job.id}/checkpoints/latest/promote`);
    assert.equal(promoted.status, 201, await promoted.clone().text());
    const manifest = (await promoted.json()) as {
      id: string;
      sourceJob: string;
      sourceCheckpoint: string;
      history: unknown[];
      weighting: { sigmas?: Record<string, number> };
    };
    assert.notEqual(manifest.id, job.id);
    assert.equal(promoted.headers.get('location'), `/v1/models/${manifest.id}`);
    assert.equal(manifest.sourceJob, job.id);
    assert.equal(manifest.sourceCheckpoint, newest.name);
    assert.equal(manifest.history.length, newest.epoch);
    assert.ok(Object.keys(manifest.weighting.sigmas ?? {}).length === 3, 'sigmas at the checkpoint');
    const prediction = await fetch(`${base}/v1/models/${manifest.id}/predict`, {
      method: 'POST',
      headers: { 'content-type': 'image/png' },
      body: new Uint8Array(await randomImage(128, 64, 'png')),
    });
    assert.equal(prediction.status, 200, await prediction.clone().text());
    const outputs = (await prediction.json()) as Record<string, unknown>;
    assert.ok(outputs['segmentation'] !== undefined, 'a segmentation');
    const byName = await post(`${base}/v1/training-jobs/${job.id}/checkpoints/${newest.name}/promote`);
    assert.equal(byName.status, 201);
    const missing = await post(`${base}/v1/training-jobs/${job.id}/checkpoints/epoch-0099/promote`);
    assert.equal(missing.status, 404);
    assert.match(((await missing.json()) as ErrorAnswer).error.message, new RegExp(newest.name));

    // Resume: same id, queued again, continues at the checkpoint's step and completes.
    const resumed = await post(`${base}/v1/training-jobs/${job.id}/resume`);
    assert.equal(resumed.status, 202, await resumed.clone().text());
    const queued = (await resumed.json()) as TrainingJob;
    assert.equal(queued.id, job.id);
    assert.ok(['queued', 'running'].includes(queued.status), queued.status);
    assert.equal(queued.createdAt, cancelled.createdAt, 'keeps its submission time');
    const done = await untilStatus(base, job.id, ['completed', 'failed', 'cancelled'], 90_000);
    assert.equal(done.status, 'completed', JSON.stringify(done.error));
    assert.equal(done.resumedFrom, newest.name);
    assert.equal(done.resumedAtStep, newest.globalStep);
    assert.deepEqual(
      done.history.map((e) => e.epoch),
      Array.from({ length: EPOCHS }, (_, i) => i + 1),
    );
    assert.equal(done.modelId, job.id);
    assert.equal((await post(`${base}/v1/training-jobs/${job.id}/resume`)).status, 409, 'completed');

    // Delete: the job and its checkpoints go, its model stays.
    const jobDir = dirname(jobCheckpointDir(service.artifactDir, job.id));
    assert.ok(await exists(jobDir));
    assert.equal((await del(`${base}/v1/training-jobs/${job.id}`)).status, 204);
    assert.equal((await fetch(`${base}/v1/training-jobs/${job.id}`)).status, 404);
    assert.equal(await exists(jobDir), false, 'its files are removed');
    const list = (await (await fetch(`${base}/v1/training-jobs`)).json()) as { items: TrainingJob[] };
    assert.ok(!list.items.some((j) => j.id === job.id), 'not listed');
    assert.equal((await fetch(`${base}/v1/models/${job.id}`)).status, 200, 'its model stays');
    assert.equal((await del(`${base}/v1/training-jobs/${job.id}`)).status, 404);
  });

  it('a job cancelled while queued: resumed it is queued again; cancelled again it is deleted', async () => {
    // No worker: the job stays queued.
    const env = service.environment();
    const { base } = await service.startApi(env);
    const job = await submitJob(base, tinySpec());
    assert.equal((await post(`${base}/v1/training-jobs/${job.id}/cancel`)).status, 200);
    assert.equal((await post(`${base}/v1/training-jobs/${job.id}/checkpoints/latest/promote`)).status, 404);
    const resumed = await post(`${base}/v1/training-jobs/${job.id}/resume`);
    assert.equal(resumed.status, 202);
    assert.equal(((await resumed.json()) as TrainingJob).status, 'queued');
    assert.equal((await getJob(base, job.id)).status, 'queued');
    const listed = (await (await fetch(`${base}/v1/training-jobs?status=cancelled`)).json()) as {
      items: TrainingJob[];
    };
    assert.equal(listed.items.length, 0, 'no longer listed as cancelled');
    assert.equal((await del(`${base}/v1/training-jobs/${job.id}`)).status, 409);
    assert.equal((await post(`${base}/v1/training-jobs/${job.id}/cancel`)).status, 200);
    assert.equal((await del(`${base}/v1/training-jobs/${job.id}`)).status, 204);
    assert.equal((await fetch(`${base}/v1/training-jobs/${job.id}`)).status, 404);
    const all = (await (await fetch(`${base}/v1/training-jobs`)).json()) as {
      total?: number;
      items: unknown[];
    };
    assert.equal(all.items.length, 0);
  });

  it('a failed job: resumed with its attempts reset and no error, a worker then completes it', async () => {
    const env = service.environment({ JOB_ATTEMPTS: '1' });
    const { base } = await service.startApi(env);
    const job = await submitJob(base, tinySpec());
    // Fail it with a BullMQ worker of this test's own, as an attempt that crashed would.
    const connection = new Redis(service.redis.url, { maxRetriesPerRequest: null });
    const failer = new Worker(
      env['QUEUE_NAME']!,
      async () => {
        throw new UnrecoverableError('disk full');
      },
      { connection, prefix: QUEUE_PREFIX },
    );
    let failed: TrainingJob;
    try {
      failed = await untilStatus(base, job.id, ['failed', 'completed', 'cancelled'], 30_000);
    } finally {
      await failer.close();
      connection.disconnect();
    }
    assert.equal(failed.status, 'failed');
    assert.match(failed.error?.message ?? '', /disk full/);

    const resumed = await post(`${base}/v1/training-jobs/${job.id}/resume`);
    assert.equal(resumed.status, 202, await resumed.clone().text());
    const queued = (await resumed.json()) as TrainingJob;
    assert.equal(queued.status, 'queued');
    assert.equal(queued.attempts.made, 0);
    assert.equal(queued.error, undefined);
    await service.startWorker(env);
    const done = await untilStatus(base, job.id, ['completed', 'failed', 'cancelled'], 60_000);
    assert.equal(done.status, 'completed', JSON.stringify(done.error));
    assert.equal(done.modelId, job.id);
  });

  it('unknown and malformed ids: 404 and 400', async () => {
    const { base } = await service.startApi(service.environment());
    assert.equal((await del(`${base}/v1/training-jobs/nope`)).status, 404);
    assert.equal((await post(`${base}/v1/training-jobs/nope/resume`)).status, 404);
    assert.equal((await post(`${base}/v1/training-jobs/nope/checkpoints/latest/promote`)).status, 404);
    assert.equal((await post(`${base}/v1/training-jobs/nope/checkpoints/..%2F..%2Fx/promote`)).status, 400);
    assert.equal((await del(`${base}/v1/training-jobs/a%20b`)).status, 400);
  });
});
