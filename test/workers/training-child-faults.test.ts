/**
 * Faults of the training child, at chosen moments: killed during its start-up, frozen while training,
 * and a worker stopped or a job cancelled while its child is still starting. Real API, Redis, worker
 * processes and training children.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { TrainingJob } from '../../src/queue/job-schemas.js';
import { childPids, signalProcess } from '../helpers/processes.js';
import { FINAL_STATUSES, getJob, ServiceHarness, submitJob } from '../helpers/service.js';
import { tinySpec, waitFor, type SpawnedWorker } from '../helpers/training.js';

/** Longest a job may show `running` with no child training it. Why 10 s: the bound (#11). */
const MAX_RUNNING_WITHOUT_CHILD_MS = 10_000;

/** How often the tests look at the process tree and the job. Why 100 ms: fine enough to time the bound. */
const POLL_MS = 100;

describe('training child faults (API + Redis + worker processes + children)', () => {
  let service: ServiceHarness;

  before(async () => {
    service = await ServiceHarness.start('child-faults');
  });
  after(async () => {
    await service.close();
  });

  /** Resolves with the pid of the first training child `worker` forks, as soon as it exists. */
  function firstChild(worker: SpawnedWorker): Promise<{ pid: number; at: number }> {
    return waitFor(
      'a training child',
      async () => {
        const [pid] = await childPids(worker.child.pid!);
        return pid === undefined ? undefined : { pid, at: Date.now() };
      },
      30_000,
      5,
    );
  }

  /**
   * Follows a job until it ends, measuring the longest stretch during which it showed `running` while
   * no worker had a training child.
   */
  async function followUntilEnd(
    base: string,
    id: string,
    pool: SpawnedWorker[],
    timeoutMs = 90_000,
  ): Promise<{ job: TrainingJob; longestOrphanMs: number }> {
    let orphanSince: number | undefined;
    let longestOrphanMs = 0;
    const job = await waitFor(
      `job ${id} to end`,
      async () => {
        const current = await getJob(base, id);
        const children = (await Promise.all(pool.map((w) => childPids(w.child.pid!)))).flat();
        const now = Date.now();
        if (current.status === 'running' && children.length === 0) {
          orphanSince ??= now;
          longestOrphanMs = Math.max(longestOrphanMs, now - orphanSince);
        } else orphanSince = undefined;
        return (FINAL_STATUSES as readonly string[]).includes(current.status) ? current : undefined;
      },
      timeoutMs,
      POLL_MS,
    );
    return { job, longestOrphanMs };
  }

  it('a child killed 300 ms or 900 ms after its fork fails the attempt at once; both jobs complete', async () => {
    // One slot a worker, so each worker's first child is one job's first attempt: with a slot per core, one
    // worker could take both jobs and the other's first child be a retry (killed again: three attempts).
    const env = service.environment({ WORKER_CONCURRENCY: '1' });
    const { base } = await service.startApi(env);
    const pool = [await service.startWorker(env), await service.startWorker(env)];
    const children = pool.map((w) => firstChild(w));
    const jobs = [await submitJob(base, tinySpec()), await submitJob(base, tinySpec({ seed: 2 }))];
    const delays = [300, 900];
    await Promise.all(
      children.map(async (found, i) => {
        const { pid, at } = await found;
        await new Promise((resolve) => setTimeout(resolve, at + delays[i]! - Date.now()));
        assert.ok(signalProcess(pid, 'SIGKILL'), `child ${pid} alive ${delays[i]} ms after its fork`);
      }),
    );
    const results = await Promise.all(jobs.map((j) => followUntilEnd(base, j.id, pool)));
    for (const { job, longestOrphanMs } of results) {
      assert.equal(job.status, 'completed', JSON.stringify(job.error));
      // BullMQ counts every finished attempt: the killed one, then the one that completed.
      assert.equal(job.attempts.made, 2, 'one failed attempt, then the completing one');
      assert.ok(
        longestOrphanMs < MAX_RUNNING_WITHOUT_CHILD_MS,
        `running without a child for ${longestOrphanMs} ms`,
      );
      assert.deepEqual(
        job.history.map((e) => e.epoch),
        [1],
      );
    }
    for (const w of pool) assert.equal(w.child.exitCode, null, 'workers keep running');
  });

  it('a child frozen while training is killed after the heartbeat timeout; the job is retried and completes', async () => {
    const env = service.environment({ WORKER_CHILD_HEARTBEAT_TIMEOUT_MS: '2000' });
    const { base } = await service.startApi(env);
    const worker = await service.startWorker(env);
    const job = await submitJob(base, tinySpec({ epochs: 3 }));
    await waitFor(
      'a step',
      async () => (((await getJob(base, job.id)).progress?.step ?? 0) >= 1 ? true : undefined),
      60_000,
    );
    const [pid] = await childPids(worker.child.pid!);
    assert.ok(pid !== undefined);
    const frozenAt = Date.now();
    signalProcess(pid, 'SIGSTOP');
    const retried = await waitFor(
      'the attempt to fail',
      async () => {
        const current = await getJob(base, job.id);
        return current.attempts.made >= 1 ? current : undefined;
      },
      20_000,
      POLL_MS,
    ).catch((err: unknown) => {
      throw new Error(`${String(err)}\n${worker.output().slice(-6000)}`);
    });
    const failedAfterMs = Date.now() - frozenAt;
    assert.ok(failedAfterMs < 2_000 + 3_000, `the attempt failed ${failedAfterMs} ms after the freeze`);
    assert.notEqual(retried.status, 'running');
    assert.match(worker.output(), /sent no heartbeat for 2000 ms/);
    const { job: done } = await followUntilEnd(base, job.id, [worker]);
    assert.equal(done.status, 'completed', JSON.stringify(done.error));
    assert.deepEqual(
      done.history.map((e) => e.epoch),
      [1, 2, 3],
    );
  });

  it('SIGTERM while the child starts: the worker exits 0 at once and the job waits in the queue, no attempt used', async () => {
    const env = service.environment();
    const { base } = await service.startApi(env);
    const worker = await service.startWorker(env);
    const child = firstChild(worker);
    const job = await submitJob(base, tinySpec());
    await child;
    const signalledAt = Date.now();
    worker.child.kill('SIGTERM');
    const exit = await worker.exited;
    assert.deepEqual(exit, { code: 0, signal: null }, worker.output().slice(-2000));
    assert.ok(Date.now() - signalledAt < 10_000, 'stopped well within its grace period');
    const parked = await getJob(base, job.id);
    assert.equal(parked.status, 'queued');
    assert.equal(parked.attempts.made, 0);

    const next = await service.startWorker(env);
    const { job: done } = await followUntilEnd(base, job.id, [next]);
    assert.equal(done.status, 'completed', JSON.stringify(done.error));
  });

  it('cancel while the child starts: the job ends cancelled within seconds and the worker takes the next job', async () => {
    const env = service.environment();
    const { base } = await service.startApi(env);
    const worker = await service.startWorker(env);
    const child = firstChild(worker);
    const job = await submitJob(base, tinySpec({ epochs: 20 }));
    await child;
    const res = await fetch(`${base}/v1/training-jobs/${job.id}/cancel`, { method: 'POST' });
    assert.ok([200, 202].includes(res.status), String(res.status));
    const requestedAt = Date.now();
    const { job: cancelled } = await followUntilEnd(base, job.id, [worker], 20_000);
    assert.equal(cancelled.status, 'cancelled');
    assert.ok(Date.now() - requestedAt < 5_000, 'cancelled within seconds');
    const next = await submitJob(base, tinySpec({ seed: 3 }));
    const { job: done } = await followUntilEnd(base, next.id, [worker]);
    assert.equal(done.status, 'completed', JSON.stringify(done.error));
  });
});
