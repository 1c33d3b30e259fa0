/**
 * A job with `training.replicas: 2` through a real worker: it trains on two replica threads, stops on
 * SIGTERM with a checkpoint, resumes on the next worker and completes, and is cancelled like any job.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { getJob, ServiceHarness, submitJob, untilStatus } from '../helpers/service.js';
import { tinySpec, waitFor } from '../helpers/training.js';

/** tinySpec on two replicas: batch 2, so each trains on one of the two samples of every step. */
function replicatedSpec(epochs: number): Record<string, unknown> {
  const spec = tinySpec({ epochs });
  return { ...spec, training: { ...(spec.training as object), replicas: 2 } };
}

describe('training.replicas through a worker', () => {
  let service: ServiceHarness;

  before(async () => {
    service = await ServiceHarness.start('replicas');
  });
  after(async () => {
    await service.close();
  });

  it('SIGTERM checkpoints and the next worker resumes and completes; cancel stops the next job', async () => {
    const env = service.environment();
    const { base } = await service.startApi(env);
    const first = await service.startWorker(env);
    const epochs = 8;
    const job = await submitJob(base, replicatedSpec(epochs));
    const running = await waitFor(
      'one finished epoch',
      async () => {
        const j = await getJob(base, job.id);
        return j.history.length >= 1 ? j : undefined;
      },
      60_000,
      50,
    );
    assert.equal(running.status, 'running');
    assert.equal(running.replicas, 2);
    assert.equal(running.worker?.slot, 0);

    first.child.kill('SIGTERM');
    assert.deepEqual(await first.exited, { code: 0, signal: null }, first.output().slice(-2000));
    const parked = await getJob(base, job.id);
    assert.equal(parked.status, 'queued');
    assert.equal(parked.worker, undefined, 'a queued job runs in no slot');
    assert.ok(parked.checkpoints.length > 0 && parked.history.length < epochs, 'stopped mid-training');

    await service.startWorker(env);
    const done = await untilStatus(base, job.id, ['completed', 'failed']);
    assert.equal(done.status, 'completed', JSON.stringify(done.error));
    assert.ok(done.resumedFrom, 'resumed from a checkpoint');
    assert.equal(done.replicas, 2);
    assert.equal(done.attempts.made, 1, 'the stop did not use an attempt');
    assert.deepEqual(
      done.history.map((e) => e.epoch),
      Array.from({ length: epochs }, (_, i) => i + 1),
    );
    for (const epoch of done.history) {
      for (const loss of Object.values(epoch.losses)) assert.ok(Number.isFinite(loss));
    }

    const next = await submitJob(base, replicatedSpec(40));
    await waitFor(
      'a few steps',
      async () => ((await getJob(base, next.id)).progress?.step ?? 0) >= 3 || undefined,
      60_000,
      50,
    );
    assert.equal((await fetch(`${base}/v1/training-jobs/${next.id}/cancel`, { method: 'POST' })).status, 202);
    const cancelled = await untilStatus(base, next.id, ['cancelled', 'completed', 'failed'], 20_000);
    assert.equal(cancelled.status, 'cancelled');
    assert.ok(cancelled.checkpoints.length > 0, 'keeps its checkpoint');
  });
});
