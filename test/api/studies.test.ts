/**
 * Studies through `app.inject` with a real redis-server and no worker: the plan a request makes (its runs
 * as labelled training jobs), clear 400s naming the field, Idempotency-Key, the list, a run a crash left
 * out added again on the next read, cancel of a study whose runs are queued, and delete.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { App } from '../../src/api/app.js';
import type { TrainingJob } from '../../src/queue/job-schemas.js';
import type { StudyView } from '../../src/queue/study-producer.js';
import { resolveStudyRequest, studyPlan, type StudyRequest } from '../../src/experiments/study-plan.js';
import { buildTestApp } from '../helpers/app.js';
import { startRedis, type RedisServer } from '../helpers/redis.js';

/** A study of two methods over two seeds on a few synthetic scenes. */
const SMALL_STUDY = {
  dataset: { kind: 'synthetic', train: 8, validation: 4, test: 4, size: [64, 128], seed: 1 },
  methods: ['equal', 'uncertainty'],
  seeds: [1, 2],
  model: { width: 4, inputSize: [64, 128] },
  training: { epochs: 1, batchSize: 2 },
};

describe('studies over REST (real Redis, no worker)', () => {
  let redis: RedisServer;
  let app: App;

  before(async () => {
    redis = await startRedis();
    app = await buildTestApp({ redisUrl: redis.url, label: 'studies' });
  });
  after(async () => {
    await app?.close();
    await redis?.stop();
  });

  const submit = (body: unknown, headers: Record<string, string> = {}) =>
    app.inject({ method: 'POST', url: '/v1/studies', payload: body as object, headers });

  it('queues one labelled training job per row and seed, in plan order', async () => {
    const res = await submit(SMALL_STUDY);
    assert.equal(res.statusCode, 202, res.body);
    const study = res.json<StudyView>();
    assert.equal(res.headers['location'], `/v1/studies/${study.id}`);
    assert.equal(study.status, 'queued');
    assert.deepEqual(
      study.runs.map((r) => r.id),
      ['equal-seed1', 'equal-seed2', 'uncertainty-seed1', 'uncertainty-seed2'],
    );
    assert.deepEqual(study.runCounts.queued, 4);
    assert.equal(study.table, undefined, 'no table before a run is scored');
    const jobs = await app.inject({ url: `/v1/training-jobs?label=study:${study.id}` });
    const listed = jobs.json<{ items: TrainingJob[]; total: number }>();
    assert.equal(listed.total, 4);
    const job = listed.items.find((j) => j.id === study.runs[2]!.jobId)!;
    assert.equal(job.spec.weighting?.strategy, 'uncertainty');
    assert.equal(job.spec.training?.seed, 1);
    assert.equal(job.spec.training?.replicas, 1, 'a run repeats on any machine');
    assert.deepEqual(job.labels, { study: study.id });
    // The runs read the generated scenes from DATA_DIR, where the first run to start puts them.
    assert.equal(job.spec.dataset.kind, 'cityscapes');
  });

  it('names the field of a bad request, and queues nothing for it', async () => {
    const cases: [unknown, RegExp][] = [
      [{ ...SMALL_STUDY, methods: ['equal', 'bogus'] }, /methods/],
      [{ ...SMALL_STUDY, tasks: ['depth'] }, /tasks/],
      [{ ...SMALL_STUDY, seeds: [1, 1] }, /seeds/],
      [{ ...SMALL_STUDY, dataset: { ...SMALL_STUDY.dataset, train: 1 } }, /dataset\.train/],
      [{ ...SMALL_STUDY, training: { epochs: 0 } }, /epochs/],
      [{ ...SMALL_STUDY, training: { seed: 3 } }, /seed/],
      [
        { ...SMALL_STUDY, methods: ['fixed'], fixedGrid: [{ segmentation: 1, instances: 1 }] },
        /fixedGrid\[0\]\.depth/,
      ],
      [{ ...SMALL_STUDY, dataset: { kind: 'cityscapes', path: 'nowhere' } }, /dataset\.path/],
    ];
    const before = (await app.inject({ url: '/v1/studies' })).json<{ total: number }>().total;
    for (const [body, field] of cases) {
      const res = await submit(body);
      assert.ok(res.statusCode === 400 || res.statusCode === 422, `${res.statusCode} ${res.body}`);
      const error = res.json<{ error: { code: string; message: string } }>().error;
      assert.match(`${error.message} ${JSON.stringify(res.json())}`, field, res.body);
    }
    assert.equal((await app.inject({ url: '/v1/studies' })).json<{ total: number }>().total, before);
  });

  it('returns the same study for a retry with the same Idempotency-Key, 409 for another body', async () => {
    const headers = { 'idempotency-key': `study-${Date.now()}` };
    const first = await submit(SMALL_STUDY, headers);
    const again = await submit(SMALL_STUDY, headers);
    assert.equal(first.statusCode, 202);
    assert.equal(again.statusCode, 202);
    assert.equal(again.headers['idempotent-replayed'], 'true');
    assert.equal(again.json<StudyView>().id, first.json<StudyView>().id);
    const other = await submit({ ...SMALL_STUDY, seeds: [7] }, headers);
    assert.equal(other.statusCode, 409);
  });

  it('adds a run again that a crash left out, and lists studies newest first', async () => {
    const study = (await submit(SMALL_STUDY)).json<StudyView>();
    // As if the API had died after the record and before the last run was added.
    const { producer } = app.trainingQueue!;
    await producer.queue.remove(study.runs[3]!.jobId);
    await producer.redis.zrem(producer.keys.index, study.runs[3]!.jobId);
    const read = (await app.inject({ url: `/v1/studies/${study.id}` })).json<StudyView>();
    assert.equal(read.runs[3]!.status, 'queued');
    assert.ok((await producer.queue.getJob(study.runs[3]!.jobId)) !== undefined, 'the run is queued again');
    const list = (await app.inject({ url: '/v1/studies?limit=2' })).json<{
      items: { id: string; runsPlanned: number }[];
    }>();
    assert.equal(list.items[0]!.id, study.id);
    assert.equal(list.items[0]!.runsPlanned, 4);
  });

  it('cancels every queued run, then deletes the study with its jobs', async () => {
    const study = (await submit(SMALL_STUDY)).json<StudyView>();
    const cancelled = await app.inject({ method: 'POST', url: `/v1/studies/${study.id}/cancel` });
    assert.equal(cancelled.statusCode, 200, cancelled.body);
    const view = cancelled.json<StudyView>();
    assert.equal(view.status, 'cancelled');
    assert.ok(view.cancelRequestedAt);
    assert.deepEqual(
      view.runs.map((r) => r.status),
      ['cancelled', 'cancelled', 'cancelled', 'cancelled'],
    );
    // A cancelled study never gets its runs back on a read.
    const read = (await app.inject({ url: `/v1/studies/${study.id}` })).json<StudyView>();
    assert.equal(read.runCounts.cancelled, 4);
    const table = await app.inject({ url: `/v1/studies/${study.id}/table?format=csv` });
    assert.equal(table.statusCode, 200);
    assert.match(table.headers['content-type'] as string, /text\/csv/);
    assert.equal(table.body.trim().split('\r\n').length, 3, 'a header and one line per row');
    const deleted = await app.inject({ method: 'DELETE', url: `/v1/studies/${study.id}` });
    assert.equal(deleted.statusCode, 204, deleted.body);
    assert.equal((await app.inject({ url: `/v1/studies/${study.id}` })).statusCode, 404);
    const jobs = (await app.inject({ url: `/v1/training-jobs?label=study:${study.id}` })).json<{
      total: number;
    }>();
    assert.equal(jobs.total, 0);
  });

  it('refuses to delete an active study (409) and answers 404 for an unknown one', async () => {
    const study = (await submit(SMALL_STUDY)).json<StudyView>();
    const res = await app.inject({ method: 'DELETE', url: `/v1/studies/${study.id}` });
    assert.equal(res.statusCode, 409);
    assert.equal(res.json<{ error: { code: string } }>().error.code, 'JOB_RUNNING');
    assert.equal((await app.inject({ url: '/v1/studies/no-such-study' })).statusCode, 404);
    assert.equal((await app.inject({ method: 'POST', url: '/v1/studies/no-such/cancel' })).statusCode, 404);
    assert.equal((await app.inject({ url: '/v1/studies/bad..id' })).statusCode, 400);
  });

  it('resumes a cancelled study: every run queued again as a run of the study; 409 while it is active', async () => {
    const study = (await submit(SMALL_STUDY)).json<StudyView>();
    const resume = () => app.inject({ method: 'POST', url: `/v1/studies/${study.id}/resume` });
    const early = await resume();
    assert.equal(early.statusCode, 409, early.body);
    assert.match(early.json<{ error: { message: string } }>().error.message, /is queued/);
    assert.equal(
      (await app.inject({ method: 'POST', url: `/v1/studies/${study.id}/cancel` })).statusCode,
      200,
    );

    const res = await resume();
    assert.equal(res.statusCode, 202, res.body);
    const view = res.json<StudyView>();
    assert.equal(view.status, 'queued');
    assert.equal(view.cancelRequestedAt, undefined, 'the cancel request is forgotten');
    assert.deepEqual(
      view.runs.map((r) => r.status),
      ['queued', 'queued', 'queued', 'queued'],
    );
    // Each is the same job, still linked to its run of the study (so a worker scores it into the study).
    const { producer } = app.trainingQueue!;
    for (const [k, run] of view.runs.entries()) {
      const job = await producer.queue.getJob(run.jobId);
      assert.equal(job?.data.study?.id, study.id, `${run.id} keeps its study`);
      assert.equal(job?.data.study?.run.id, study.runs[k]!.id);
    }
    // Each waits in the queue once, and none is left in the archive of cancelled jobs.
    const waiting = (await producer.queue.getWaiting(0, -1)).map((job) => job.id);
    for (const run of view.runs) {
      assert.equal(waiting.filter((id) => id === run.jobId).length, 1, `${run.id} waits once`);
      assert.equal(await producer.redis.hexists(producer.keys.cancelled, run.jobId), 0);
    }
    assert.equal((await resume()).statusCode, 409, 'queued again: nothing to resume');
    assert.equal((await app.inject({ method: 'POST', url: '/v1/studies/no-such/resume' })).statusCode, 404);
  });

  it('a run a crash left out of a cancelled study is cancelled, not stuck, and two resumes at once queue each run once', async () => {
    const study = (await submit(SMALL_STUDY)).json<StudyView>();
    const { producer } = app.trainingQueue!;
    const lost = study.runs[2]!;
    await producer.queue.remove(lost.jobId);
    await producer.redis.zrem(producer.keys.index, lost.jobId);
    const cancelled = await app.inject({ method: 'POST', url: `/v1/studies/${study.id}/cancel` });
    assert.equal(
      cancelled.json<StudyView>().status,
      'cancelled',
      'the run without a job does not keep it cancelling',
    );
    assert.equal(cancelled.json<StudyView>().runs[2]!.status, 'cancelled');

    const answers = await Promise.all(
      [1, 2].map(() => app.inject({ method: 'POST', url: `/v1/studies/${study.id}/resume` })),
    );
    const codes = answers.map((a) => a.statusCode).sort();
    assert.ok(
      codes[0] === 202 && (codes[1] === 202 || codes[1] === 409),
      `${codes.join(', ')}: ${answers.map((a) => a.body).join(' / ')}`,
    );
    const view = (await app.inject({ url: `/v1/studies/${study.id}` })).json<StudyView>();
    assert.deepEqual(
      view.runs.map((r) => r.status),
      ['queued', 'queued', 'queued', 'queued'],
    );
    const waiting = (await producer.queue.getWaiting(0, -1)).map((job) => job.id);
    for (const run of view.runs) {
      assert.equal(waiting.filter((id) => id === run.jobId).length, 1, `${run.id} waits once`);
      assert.equal((await producer.queue.getJob(run.jobId))?.data.study?.id, study.id);
    }
    assert.equal(await producer.redis.hexists(producer.keys.cancelled, lost.jobId), 0);
  });

  it('resumes one cancelled run of a study through the job API as the same study run', async () => {
    const study = (await submit(SMALL_STUDY)).json<StudyView>();
    const run = study.runs[1]!;
    const cancelled = await app.inject({ method: 'POST', url: `/v1/training-jobs/${run.jobId}/cancel` });
    assert.equal(cancelled.statusCode, 200, cancelled.body);
    const resumed = await app.inject({ method: 'POST', url: `/v1/training-jobs/${run.jobId}/resume` });
    assert.ok(resumed.statusCode < 300, resumed.body);
    const job = await app.trainingQueue!.producer.queue.getJob(run.jobId);
    assert.equal(job?.data.study?.id, study.id);
    const planned = studyPlan(resolveStudyRequest(SMALL_STUDY as unknown as StudyRequest)).runs[1]!;
    assert.equal(job?.data.study?.run.id, planned.id);
    assert.equal(job?.data.study?.run.specHash, planned.specHash);
  });
});
