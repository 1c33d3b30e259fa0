/**
 * A job rides through short Redis outages, its completion included: Redis restarts (AOF kept) again and
 * again, each outage well inside half the job's lock, while a real worker trains a job; the job
 * completes on its first attempt, never re-run from a checkpoint.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Queue } from 'bullmq';
import { QUEUE_PREFIX } from '../../src/queue/queue-names.js';
import type { TrainingJob } from '../../src/queue/job-schemas.js';
import { FINAL_STATUSES, getJob, ServiceHarness, submitJob, untilStatus } from '../helpers/service.js';
import { tinySpec, waitFor } from '../helpers/training.js';

/** The job's lock. Why 6 s: each outage below (400 ms plus reconnection) is far inside half of it. */
const LOCK_MS = 6_000;

/** How long each outage lasts, and the time between two. Why: several outages land in one tiny job. */
const DOWN_MS = 400;
const BETWEEN_MS = 1_200;

describe('Redis outages while a job trains and completes', () => {
  let service: ServiceHarness;

  before(async () => {
    service = await ServiceHarness.start('outage', { appendOnly: true });
  });
  after(async () => {
    await service.close();
  });

  it('completes on its first attempt with each epoch once', async () => {
    const env = service.environment({
      WORKER_LOCK_DURATION_MS: String(LOCK_MS),
      PROGRESS_INTERVAL_MS: '200',
    });
    const { base } = await service.startApi(env);
    await service.startWorker(env);
    const submitted = await submitJob(base, tinySpec({ epochs: 6, scenes: 8 }));

    let final: TrainingJob | undefined;
    let outages = 0;
    while (final === undefined) {
      await new Promise((resolve) => setTimeout(resolve, BETWEEN_MS));
      await service.redis.restart(DOWN_MS);
      outages++;
      const res = await fetch(`${base}/v1/training-jobs/${submitted.id}`).catch(() => undefined);
      if (res?.status !== 200) continue;
      const job = (await res.json()) as TrainingJob;
      if ((FINAL_STATUSES as readonly string[]).includes(job.status)) final = job;
      assert.ok(outages < 60, 'the job ends within a minute of outages');
    }
    process.stdout.write(`# ${outages} Redis restarts of ${DOWN_MS} ms while the job ran\n`);
    assert.equal(final.status, 'completed', JSON.stringify(final.error));
    assert.ok(outages >= 2, `outages during the job: ${outages}`);
    assert.deepEqual(
      final.history.map((e) => e.epoch),
      [1, 2, 3, 4, 5, 6],
    );
    const queue = new Queue(env.QUEUE_NAME!, {
      connection: { url: service.redis.url },
      prefix: QUEUE_PREFIX,
    });
    try {
      const job = await queue.getJob(submitted.id);
      assert.equal(job?.attemptsStarted, 1, 'started once: never re-run from a checkpoint');
      assert.equal(job?.stalledCounter, 0, 'never found stalled');
    } finally {
      await queue.close();
    }
  });

  it('an outage longer than the lock: the child is stopped at once, the job resumes and each epoch stays once', async () => {
    const env = service.environment({
      WORKER_LOCK_DURATION_MS: '2000',
      WORKER_STALLED_INTERVAL_MS: '1000',
      PROGRESS_INTERVAL_MS: '200',
    });
    const { base } = await service.startApi(env);
    const worker = await service.startWorker(env);
    const submitted = await submitJob(base, tinySpec({ epochs: 6, scenes: 8 }));
    await waitFor(
      'the first epoch',
      async () => ((await getJob(base, submitted.id)).history.length >= 1 ? true : undefined),
      60_000,
    );
    // Why 4 s: twice the lock, so it has expired when Redis is back.
    await service.redis.restart(4_000);
    const done = await untilStatus(base, submitted.id, FINAL_STATUSES, 90_000);
    assert.equal(done.status, 'completed', JSON.stringify(done.error));
    assert.deepEqual(
      done.history.map((e) => e.epoch),
      [1, 2, 3, 4, 5, 6],
    );
    assert.match(worker.output(), /lost the lock of the job; stopping its training child/);
  });
});
