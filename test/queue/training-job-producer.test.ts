import assert from 'node:assert/strict';
import { mkdir, rm, symlink } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { UnrecoverableError, Worker } from 'bullmq';
import { Redis } from 'ioredis';
import {
  ConflictError,
  DatasetError,
  NotFoundError,
  ServiceUnavailableError,
  ValidationError,
} from '../../src/errors.js';
import { parseTrainingSpec } from '../../src/model/training-spec.js';
import type { TrainingJobData, TrainingJobResult } from '../../src/queue/job-schemas.js';
import { archiveCancelledJob, JobResumedError, requestCancellation } from '../../src/queue/cancelled-jobs.js';
import { QUEUE_PREFIX } from '../../src/queue/queue-names.js';
import { TrainingJobProducer } from '../../src/queue/training-job-producer.js';
import { writeDataset } from '../data/helpers/write-dataset.js';
import { firstEpochEntry } from '../helpers/job-fixtures.js';
import { startRedis, type RedisServer } from '../helpers/redis.js';
import { tempDir, tinySpec, uniqueQueueName, waitFor } from '../helpers/training.js';

describe('TrainingJobProducer (real Redis, no training)', () => {
  let redis: RedisServer;
  let dirs: { path: string; remove: () => Promise<void> };
  const producers: TrainingJobProducer[] = [];

  /** A producer on its own queue. */
  function producer(options: { maxQueuedJobs?: number } = {}): TrainingJobProducer {
    const p = new TrainingJobProducer({
      redisUrl: redis.url,
      queueName: uniqueQueueName('producer'),
      dataDir: join(dirs.path, 'data'),
      artifactDir: join(dirs.path, 'artifacts'),
      maxQueuedJobs: options.maxQueuedJobs ?? 100,
      jobAttempts: 2,
    });
    producers.push(p);
    return p;
  }
  const spec = (seed = 1) => parseTrainingSpec(tinySpec({ seed }));

  before(async () => {
    redis = await startRedis();
    dirs = await tempDir('producer');
    const data = join(dirs.path, 'data');
    await writeDataset(join(data, 'city'), { splits: { train: 2, val: 2 }, width: 16, height: 8 });
    await mkdir(join(data, 'nosplit', 'leftImg8bit'), { recursive: true });
    await writeDataset(join(data, 'noval'), { splits: { train: 2 }, width: 16, height: 8 });
    await writeDataset(join(data, 'emptyval'), { splits: { train: 2 }, width: 16, height: 8 });
    await mkdir(join(data, 'emptyval', 'leftImg8bit', 'val', 'aachen'), { recursive: true });
    await writeDataset(join(data, 'onetrain'), { splits: { train: 1, val: 1 }, width: 16, height: 8 });
    await writeDataset(join(data, 'nodisparity'), { splits: { train: 2, val: 1 }, width: 16, height: 8 });
    await rm(join(data, 'nodisparity', 'disparity', 'val'), { recursive: true });
    await mkdir(join(dirs.path, 'outside'), { recursive: true });
    await symlink(join(dirs.path, 'outside'), join(dirs.path, 'data', 'escape'));
  });
  after(async () => {
    for (const p of producers) await p.close();
    await redis.stop();
    await dirs.remove();
  });

  it('queues a job and shows it queued with its spec and defaults', async () => {
    const p = producer();
    const { job, replayed } = await p.submit(spec());
    assert.equal(replayed, false);
    assert.equal(job.status, 'queued');
    assert.match(job.id, /^[0-9a-f-]{36}$/);
    assert.equal(job.spec.training?.augment, true, 'defaults applied');
    assert.deepEqual(job.history, []);
    assert.deepEqual(job.checkpoints, []);
    assert.deepEqual(job.attempts, { made: 0, max: 2 });
    assert.deepEqual(await p.get(job.id), job);
  });

  it('returns the same job for a resubmission with the same Idempotency-Key, and 409 for another body', async () => {
    const p = producer();
    const first = await p.submit(spec(), { idempotencyKey: 'abc-123' });
    const again = await p.submit(spec(), { idempotencyKey: 'abc-123' });
    assert.equal(again.job.id, first.job.id);
    assert.equal(again.replayed, true);
    await assert.rejects(p.submit(spec(2), { idempotencyKey: 'abc-123' }), ConflictError);
    const other = await p.submit(spec(), { idempotencyKey: 'other' });
    assert.notEqual(other.job.id, first.job.id);
    // Concurrent resubmissions race for the key: exactly one job.
    const racing = await Promise.all(
      Array.from({ length: 5 }, () => p.submit(spec(3), { idempotencyKey: 'race' })),
    );
    assert.equal(new Set(racing.map((r) => r.job.id)).size, 1);
    assert.equal((await p.list({ limit: 100, offset: 0 })).total, 3);
  });

  it('lists newest first, filters by status and paginates', async () => {
    const p = producer();
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) {
      ids.push((await p.submit(spec())).job.id);
      await new Promise((resolve) => setTimeout(resolve, 2));
    }
    const all = await p.list({ limit: 2, offset: 1 });
    assert.equal(all.total, 5);
    assert.deepEqual(
      all.items.map((j) => j.id),
      [ids[3], ids[2]],
    );
    await p.cancel(ids[0]!);
    const queued = await p.list({ status: 'queued', limit: 10, offset: 0 });
    assert.equal(queued.total, 4);
    assert.deepEqual(
      queued.items.map((j) => j.id),
      [ids[4], ids[3], ids[2], ids[1]],
    );
    const cancelled = await p.list({ status: 'cancelled', limit: 10, offset: 0 });
    assert.deepEqual(
      cancelled.items.map((j) => [j.id, j.status]),
      [[ids[0], 'cancelled']],
    );
    assert.deepEqual(await p.list({ status: 'running', limit: 10, offset: 0 }), { items: [], total: 0 });
  });

  it('cancels a queued job at once: removed from the queue, kept as cancelled; a second cancel is a no-op', async () => {
    const p = producer();
    const { job } = await p.submit(spec());
    const cancelled = await p.cancel(job.id);
    assert.equal(cancelled.status, 'cancelled');
    assert.ok(cancelled.finishedAt);
    assert.ok(cancelled.cancelRequestedAt);
    assert.equal(await p.queue.getJob(job.id), undefined, 'removed from BullMQ');
    assert.equal((await p.get(job.id)).status, 'cancelled');
    assert.equal((await p.cancel(job.id)).status, 'cancelled');
    assert.equal((await p.countByStatus()).cancelled, 1);
  });

  it('leaves a job alone that was resumed while it was being archived (its cancel request gone)', async () => {
    const p = producer();
    const { job } = await p.submit(spec());
    await requestCancellation(p.redis, p.keys, job.id);
    const bullJob = (await p.queue.getJob(job.id))!;
    // A resume in between: it clears the request and queues the job again under its id.
    await p.redis.hdel(p.keys.cancelRequests, job.id);
    await assert.rejects(archiveCancelledJob(p.queue, p.redis, p.keys, bullJob), JobResumedError);
    assert.ok(await p.queue.getJob(job.id), 'still queued');
    assert.equal(await p.redis.hexists(p.keys.cancelled, job.id), 0, 'nothing archived');
    assert.equal((await p.get(job.id)).status, 'queued');
  });

  it('a second archiver of a cancelled job that read it before the first removed it keeps the archive', async () => {
    const p = producer();
    const { job } = await p.submit(spec());
    await requestCancellation(p.redis, p.keys, job.id);
    // Both read the job while BullMQ held it (two cancels at once, or the API and the worker).
    const [first, second] = [(await p.queue.getJob(job.id))!, (await p.queue.getJob(job.id))!];
    assert.equal((await archiveCancelledJob(p.queue, p.redis, p.keys, first)).status, 'cancelled');
    // The second finds the request cleared and the job gone: the first's work, not a resume.
    assert.equal((await archiveCancelledJob(p.queue, p.redis, p.keys, second)).status, 'cancelled');
    assert.equal(await p.queue.getJob(job.id), undefined, 'removed from the queue');
    assert.equal((await p.get(job.id)).status, 'cancelled', 'and kept in the archive');
    // Through the API's path: two cancel requests for another queued job, at once.
    const other = (await p.submit(spec())).job;
    const both = await Promise.all([1, 2].map(() => p.cancel(other.id)));
    assert.deepEqual(
      both.map((v) => v.status),
      ['cancelled', 'cancelled'],
    );
  });

  it('refuses a submission beyond MAX_QUEUED_JOBS with 503 and Retry-After, but replays a known key', async () => {
    const p = producer({ maxQueuedJobs: 2 });
    await p.submit(spec(), { idempotencyKey: 'k1' });
    await p.submit(spec());
    await assert.rejects(p.submit(spec()), (err: unknown) => {
      assert.ok(err instanceof ServiceUnavailableError);
      assert.equal(err.retryAfterSeconds, 60);
      assert.match(err.message, /MAX_QUEUED_JOBS=2/);
      return true;
    });
    assert.equal((await p.submit(spec(), { idempotencyKey: 'k1' })).replayed, true);
  });

  it('checks CityScapes datasets at submission: inside DATA_DIR, present, both splits complete', async () => {
    const p = producer();
    const cityscapes = (path: string, dataset: Record<string, unknown> = {}) =>
      parseTrainingSpec({ ...tinySpec(), dataset: { kind: 'cityscapes', path, ...dataset } });
    assert.equal((await p.submit(cityscapes('city'))).job.status, 'queued');
    assert.equal(
      (await p.submit(cityscapes('city', { trainSplit: 'val', validationSplit: 'train' }))).job.status,
      'queued',
      'any split names that exist',
    );
    const refused: [string, ReturnType<typeof cityscapes>, RegExp][] = [
      ['a path outside', cityscapes('../outside'), /^dataset\.path: /],
      ['an absolute path', cityscapes('/etc'), /^dataset\.path: /],
      ['a missing path', cityscapes('missing'), /^dataset\.path: /],
      ['a symlink out', cityscapes('escape'), /^dataset\.path: /],
      ['no training split', cityscapes('nosplit'), /^dataset\.trainSplit: split "train" does not exist/],
      ['a missing trainSplit', cityscapes('city', { trainSplit: 'extra' }), /^dataset\.trainSplit: /],
      [
        'no validation split',
        cityscapes('noval'),
        /^dataset\.validationSplit: split "val" does not exist \(noval\/leftImg8bit\/val\)$/,
      ],
      [
        'a missing validationSplit',
        cityscapes('city', { validationSplit: 'test' }),
        /^dataset\.validationSplit: /,
      ],
      [
        'an empty validation split',
        cityscapes('emptyval'),
        /^dataset\.validationSplit: split "val" holds no /,
      ],
      [
        'a validation image without its disparity',
        cityscapes('nodisparity'),
        /^dataset\.validationSplit: missing partner/,
      ],
      [
        'fewer training images than a batch',
        cityscapes('onetrain'),
        /^dataset\.trainSplit: .*fewer than training\.batchSize \(2\)/,
      ],
    ];
    for (const [what, spec, message] of refused) {
      await assert.rejects(p.submit(spec), (err: unknown) => {
        assert.ok(err instanceof DatasetError, `${what}: ${String(err)}`);
        assert.equal(err.statusCode, 422);
        assert.match(err.message, message, what);
        assert.ok(!err.message.includes(dirs.path), 'no server path in the message');
        return true;
      });
    }
    assert.equal((await p.list({ limit: 100, offset: 0 })).total, 2, 'nothing queued for a refused dataset');
  });

  it('refuses a synthetic dataset with fewer scenes than a batch (400 naming dataset.scenes)', async () => {
    const p = producer();
    const few = parseTrainingSpec({ ...tinySpec({ scenes: 2 }), training: { epochs: 1, batchSize: 4 } });
    await assert.rejects(p.submit(few), (err: unknown) => {
      assert.ok(err instanceof ValidationError, String(err));
      assert.deepEqual(
        (err.details as { path: string }[]).map((d) => d.path),
        ['/body/dataset/scenes'],
      );
      return true;
    });
    const enough = parseTrainingSpec({ ...tinySpec({ scenes: 4 }), training: { epochs: 1, batchSize: 4 } });
    assert.equal((await p.submit(enough)).job.status, 'queued');
  });

  it('answers unknown ids with NotFoundError', async () => {
    const p = producer();
    await assert.rejects(p.get('no-such-job'), NotFoundError);
    await assert.rejects(p.cancel('no-such-job'), NotFoundError);
  });

  it('maps completed and failed jobs: model id, metrics, error message without the stack; 409 on cancel', async () => {
    const p = producer();
    const connection = new Redis(redis.url, { maxRetriesPerRequest: null });
    const worker = new Worker<TrainingJobData, TrainingJobResult>(
      p.queue.name,
      async (job) => {
        if (job.data.spec.dataset.kind === 'synthetic' && job.data.spec.dataset.seed === 7) {
          throw new UnrecoverableError(`disk full at ${join(dirs.path, 'artifacts')}/models`);
        }
        await job.updateProgress({
          phase: 'saving',
          startedAt: new Date().toISOString(),
          attemptStartedAt: new Date().toISOString(),
          updatedAt: new Date().toISOString(),
          percent: 100,
          etaSeconds: 0,
          history: [firstEpochEntry(0.5)],
        });
        return {
          modelId: job.id!,
          steps: 2,
          metrics: { miou: 0.5 },
          history: [],
          backend: { name: 'cpu', package: '@tensorflow/tfjs', gpu: false },
        };
      },
      { connection, prefix: QUEUE_PREFIX },
    );
    try {
      const ok = (await p.submit(spec())).job;
      const bad = (await p.submit(spec(7))).job;
      const done = await waitFor('completed', async () => {
        const v = await p.get(ok.id);
        return v.status === 'completed' ? v : undefined;
      });
      assert.equal(done.modelId, ok.id);
      assert.deepEqual(done.metrics, { miou: 0.5 });
      assert.equal(done.progress?.percent, 100);
      assert.ok(done.startedAt && done.finishedAt);
      const failed = await waitFor('failed', async () => {
        const v = await p.get(bad.id);
        return v.status === 'failed' ? v : undefined;
      });
      assert.equal(failed.error?.code, 'TRAINING_FAILED');
      assert.equal(failed.error?.message, 'disk full at $ARTIFACT_DIR/models');
      assert.ok(!JSON.stringify(failed).includes('    at '), 'no stack trace');
      await assert.rejects(p.cancel(ok.id), ConflictError);
      await assert.rejects(p.cancel(bad.id), ConflictError);
      const counts = await p.countByStatus();
      assert.equal(counts.completed, 1);
      assert.equal(counts.failed, 1);
      assert.deepEqual(
        (await p.list({ status: 'failed', limit: 5, offset: 0 })).items.map((j) => j.id),
        [bad.id],
      );

      // The moment a cancelled job is being archived: the archive written and the cancel request cleared,
      // BullMQ's (failed) job not removed yet. A read then gives the archived view, never "failed".
      const archived = { ...failed, status: 'cancelled', finishedAt: new Date().toISOString() };
      delete (archived as { error?: unknown }).error;
      await p.redis.hset(p.keys.cancelled, bad.id, JSON.stringify(archived));
      assert.equal((await p.get(bad.id)).status, 'cancelled');
      // An archive older than the failure (left by an earlier cancel, before a resume) is not its end.
      const stale = {
        ...archived,
        finishedAt: new Date(Date.parse(failed.finishedAt!) - 60_000).toISOString(),
      };
      await p.redis.hset(p.keys.cancelled, bad.id, JSON.stringify(stale));
      assert.equal((await p.get(bad.id)).status, 'failed');
    } finally {
      await worker.close();
      connection.disconnect();
    }
  });
});
