/**
 * A worker with WORKER_CONCURRENCY=2 trains two jobs at once, each in a slot (and a training child) of
 * its own, and the status API shows which slot runs what.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { TrainingJobList } from '../../src/api/schemas/training-job.js';
import type { TrainingJob } from '../../src/queue/job-schemas.js';
import { childPids } from '../helpers/processes.js';
import { getJob, ServiceHarness, submitJob, untilStatus } from '../helpers/service.js';
import { tinySpec, waitFor } from '../helpers/training.js';

describe('worker slots (WORKER_CONCURRENCY)', () => {
  let service: ServiceHarness;

  before(async () => {
    service = await ServiceHarness.start('slots');
  });
  after(async () => {
    await service.close();
  });

  it('runs two jobs at once in slots 0 and 1, shown by GET /v1/training-jobs and by each job', async () => {
    const env = service.environment({ WORKER_CONCURRENCY: '2' });
    const { base } = await service.startApi(env);
    const worker = await service.startWorker(env);
    assert.match(worker.output(), /"concurrency":2/);
    const jobs = [
      await submitJob(base, tinySpec({ epochs: 4 })),
      await submitJob(base, tinySpec({ epochs: 4 })),
    ];

    const both = await waitFor(
      'both jobs running at once',
      async () => {
        const res = await fetch(`${base}/v1/training-jobs`);
        const list = (await res.json()) as TrainingJobList;
        const running = list.items.filter((j) => j.status === 'running' && (j.progress?.step ?? 0) > 0);
        return running.length === 2 ? running : undefined;
      },
      60_000,
      50,
    );
    assert.deepEqual(both.map((j) => j.worker?.slot).sort(), [0, 1]);
    assert.equal(new Set(both.map((j) => j.worker?.name)).size, 1, 'one worker');
    assert.match(both[0]!.worker!.name, /^.+:\d+$/);
    // Each slot trains in a child process of its own.
    assert.equal((await childPids(worker.child.pid!)).length, 2);

    const done: TrainingJob[] = [];
    for (const job of jobs) done.push(await untilStatus(base, job.id, ['completed', 'failed']));
    for (const job of done) {
      assert.equal(job.status, 'completed', JSON.stringify(job.error));
      assert.equal(job.replicas, 1, 'batch 2: auto keeps two samples per replica, so one');
    }
    // The slot that ran a job stays in its view once it ended.
    assert.deepEqual(done.map((j) => j.worker?.slot).sort(), [0, 1]);
    const again = await getJob(base, jobs[0]!.id);
    assert.deepEqual(again.worker, done[0]!.worker);
  });
});
