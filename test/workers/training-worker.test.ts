/**
 * The training service end to end: the API over HTTP, a real redis-server, real worker processes and
 * real (tiny) training on the machine's backend.
 */
import assert from 'node:assert/strict';
import { access } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { TrainingJob } from '../../src/queue/job-schemas.js';
import { getJob, ServiceHarness, submitJob, untilStatus } from '../helpers/service.js';
import { openSse } from '../helpers/sse.js';
import { tinySpec, waitFor, type SpawnedWorker } from '../helpers/training.js';

/** Generous bound for an API answer while a worker trains. Why 1 s: "well under a second" on a loaded 2-core CI box. */
const ANSWER_BOUND_MS = 1_000;

describe('training service (API + Redis + worker processes)', () => {
  let service: ServiceHarness;

  before(async () => {
    service = await ServiceHarness.start('service');
  });
  after(async () => {
    await service.close();
  });

  /** Starts the API and a worker, submits a tiny job of `epochs` epochs and waits until one has finished. */
  async function runPastFirstEpoch(
    env: Record<string, string>,
    epochs: number,
  ): Promise<{ base: string; first: SpawnedWorker; job: TrainingJob }> {
    const { base } = await service.startApi(env);
    const first = await service.startWorker(env);
    const job = await submitJob(base, tinySpec({ epochs }));
    await waitFor(
      'one finished epoch',
      async () => ((await getJob(base, job.id)).history.length >= 1 ? true : undefined),
      60_000,
      50,
    );
    return { base, first, job };
  }

  it('runs a job: queued -> running -> completed with a model id, followed by polling and by SSE', async () => {
    const env = service.environment();
    const { base } = await service.startApi(env);
    await service.startWorker(env);
    const job = await submitJob(base, tinySpec({ epochs: 3 }));
    assert.equal(job.status, 'queued');
    const stream = await openSse(`${base}/v1/training-jobs/${job.id}/events`);
    assert.equal(stream.status, 200);
    assert.match(stream.headers.get('content-type') ?? '', /^text\/event-stream/);

    // Poll status and liveness while the worker trains, timing each answer.
    const seen = new Set<string>();
    const timings: { live: number; status: number }[] = [];
    let final: TrainingJob | undefined;
    while (final === undefined) {
      let t = performance.now();
      const live = await fetch(`${base}/health/live`);
      const liveMs = performance.now() - t;
      assert.equal(live.status, 200);
      t = performance.now();
      const current = await getJob(base, job.id);
      const statusMs = performance.now() - t;
      seen.add(current.status);
      if (current.status === 'running') timings.push({ live: liveMs, status: statusMs });
      if (current.status === 'completed' || current.status === 'failed') final = current;
      else await new Promise((resolve) => setTimeout(resolve, 50));
    }
    assert.equal(final.status, 'completed', JSON.stringify(final.error));
    assert.ok(seen.has('running'), `statuses seen: ${[...seen].join(', ')}`);
    assert.ok(timings.length > 0, 'answered while training');
    const worst = {
      live: Math.max(...timings.map((t) => t.live)),
      status: Math.max(...timings.map((t) => t.status)),
    };
    assert.ok(worst.live < ANSWER_BOUND_MS && worst.status < ANSWER_BOUND_MS, JSON.stringify(worst));
    process.stdout.write(
      `# answers while training (n=${timings.length}): worst /health/live ${worst.live.toFixed(1)} ms, worst status ${worst.status.toFixed(1)} ms\n`,
    );

    assert.equal(final.modelId, job.id);
    assert.deepEqual(
      final.history.map((e) => e.epoch),
      [1, 2, 3],
    );
    assert.ok(final.metrics, 'validation metrics of the last epoch');
    assert.equal(final.progress?.percent, 100);
    assert.ok(final.backend?.name);
    assert.deepEqual(
      final.checkpoints.map((c) => c.name),
      ['epoch-0001', 'epoch-0002', 'epoch-0003'],
    );
    await access(join(env.ARTIFACT_DIR!, 'models', job.id, 'model.json'));
    await access(join(env.ARTIFACT_DIR!, 'models', job.id, 'manifest.json'));

    await stream.ended;
    const names = stream.events.map((e) => e.event);
    assert.equal(names[0], 'state');
    assert.equal(names.at(-1), 'completed');
    assert.ok(names.includes('progress'), names.join(','));
    assert.deepEqual(
      stream.events
        .filter((e) => e.event === 'epoch')
        .map((e) => (e.data as { epoch: { epoch: number } }).epoch.epoch),
      [1, 2, 3],
    );
    const steps = stream.events
      .filter((e) => e.event === 'progress')
      .map((e) => (e.data as { progress: NonNullable<TrainingJob['progress']> }).progress)
      .filter((p) => p.step !== undefined);
    assert.ok(steps.length > 0, 'step progress streamed');
    for (const p of steps)
      assert.ok(
        p.losses &&
          p.weights &&
          p.logVariances &&
          p.sigmas &&
          p.optimalLogVariances &&
          p.logVarianceGaps &&
          p.epoch &&
          p.totalSteps === 6,
        JSON.stringify(p),
      );
    const epochs = stream.events
      .filter((e) => e.event === 'epoch')
      .map((e) => (e.data as { epoch: Record<string, unknown> }).epoch);
    for (const epoch of epochs) assert.ok(epoch['logVarianceGaps'] && epoch['sigmas'], JSON.stringify(epoch));
    assert.equal((stream.events.at(-1)!.data as TrainingJob).modelId, job.id);

    // A client connecting late gets the current state and the end at once.
    const late = await openSse(`${base}/v1/training-jobs/${job.id}/events`);
    await late.ended;
    assert.deepEqual(
      late.events.map((e) => e.event),
      ['state', 'completed'],
    );
  });

  it('cancels a running job: it stops within a step, keeps its checkpoint and ends cancelled', async () => {
    const env = service.environment();
    const { base } = await service.startApi(env);
    const worker = await service.startWorker(env);
    const job = await submitJob(base, tinySpec({ epochs: 40 }));
    const stream = await openSse(`${base}/v1/training-jobs/${job.id}/events`);
    const running = await waitFor(
      'a few steps',
      async () => {
        const j = await getJob(base, job.id);
        return (j.progress?.step ?? 0) >= 3 ? j : undefined;
      },
      60_000,
      50,
    );
    assert.equal(running.status, 'running');
    const res = await fetch(`${base}/v1/training-jobs/${job.id}/cancel`, { method: 'POST' });
    assert.equal(res.status, 202);
    const requested = (await res.json()) as TrainingJob;
    assert.equal(requested.status, 'running');
    assert.ok(requested.cancelRequestedAt);

    const cancelled = await untilStatus(base, job.id, ['cancelled', 'completed', 'failed'], 20_000);
    assert.equal(cancelled.status, 'cancelled');
    assert.ok(
      (cancelled.progress?.step ?? 0) < (cancelled.progress?.totalSteps ?? 0),
      'stopped before the end',
    );
    assert.ok(cancelled.checkpoints.length > 0, 'keeps its checkpoints');
    assert.equal(cancelled.modelId, undefined);
    assert.equal(cancelled.error, undefined);
    await stream.ended;
    assert.equal(stream.events.at(-1)?.event, 'cancelled');

    // Cancelling again is a no-op; the worker goes on with the next job.
    assert.equal((await fetch(`${base}/v1/training-jobs/${job.id}/cancel`, { method: 'POST' })).status, 200);
    const next = await submitJob(base, tinySpec({ epochs: 1 }));
    assert.equal((await untilStatus(base, next.id, ['completed', 'failed'])).status, 'completed');
    assert.equal(worker.child.exitCode, null, 'worker still running');
  });

  it('SIGTERM: the worker checkpoints, exits 0 and the job resumes on a new worker, epochs continuing', async () => {
    const env = service.environment();
    const epochs = 10;
    const { base, first, job } = await runPastFirstEpoch(env, epochs);
    first.child.kill('SIGTERM');
    const exit = await first.exited;
    assert.deepEqual(exit, { code: 0, signal: null }, first.output().slice(-2000));
    const parked = await getJob(base, job.id);
    assert.equal(parked.status, 'queued', 'back in the queue');
    assert.ok(parked.checkpoints.length > 0);
    assert.ok(parked.history.length < epochs, 'stopped mid-training');
    const doneBefore = parked.history.length;

    await service.startWorker(env);
    const done = await untilStatus(base, job.id, ['completed', 'failed']);
    assert.equal(done.status, 'completed', JSON.stringify(done.error));
    assert.ok(done.resumedFrom, 'resumed from a checkpoint');
    const resumedEpoch = Number(/^epoch-(\d{4})/.exec(done.resumedFrom)?.[1]);
    assert.ok(resumedEpoch >= doneBefore, `resumed at epoch ${resumedEpoch}, ${doneBefore} were done`);
    assert.deepEqual(
      done.history.map((e) => e.epoch),
      Array.from({ length: epochs }, (_, i) => i + 1),
    );
    assert.equal(done.attempts.made, 1, 'the stop did not use an attempt');
  });

  it('kill -9: the job of a killed worker is found stalled, picked up again and completed', async () => {
    const env = service.environment({ WORKER_LOCK_DURATION_MS: '2000', WORKER_STALLED_INTERVAL_MS: '1000' });
    const epochs = 10;
    const { base, first, job } = await runPastFirstEpoch(env, epochs);
    first.child.kill('SIGKILL');
    await first.exited;

    await service.startWorker(env);
    const done = await untilStatus(base, job.id, ['completed', 'failed']);
    assert.equal(done.status, 'completed', JSON.stringify(done.error));
    assert.ok(done.resumedFrom, 'resumed from its newest checkpoint');
    assert.deepEqual(
      done.history.map((e) => e.epoch),
      Array.from({ length: epochs }, (_, i) => i + 1),
    );
  });
});
