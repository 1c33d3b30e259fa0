/**
 * A study end to end: the API, two worker processes and a private Redis. A tiny study (2 methods x 2
 * seeds, one epoch) completes across a restart of the API and both workers in its middle, with each run
 * trained and scored exactly once, and its table equal to the one computed from its runs' own result
 * files. A second study is cancelled while it trains: every run stops and none is left active.
 */
import assert from 'node:assert/strict';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { resolveStudyRequest, studyPlan } from '../../src/experiments/study-plan.js';
import { summariseExperiment } from '../../src/experiments/summary.js';
import type { RunResult } from '../../src/experiments/run-result.js';
import type { TrainingJob } from '../../src/queue/job-schemas.js';
import type { StudyView } from '../../src/queue/study-producer.js';
import { ServiceHarness, getJob } from '../helpers/service.js';
import { waitFor, type SpawnedWorker } from '../helpers/training.js';

/** The tiny study: 2 methods x 2 seeds, one epoch of 4 steps on 8 scenes, width 4. */
const TINY_STUDY = {
  dataset: { kind: 'synthetic', train: 8, validation: 4, test: 4, size: [64, 128], seed: 3 },
  methods: ['equal', 'uncertainty'],
  seeds: [1, 2],
  model: { width: 4, inputSize: [64, 128] },
  training: { epochs: 1, batchSize: 2 },
  curveEvery: 1,
};

/** How long a study may take here. Why 4 min: 4 tiny runs on 2 workers take about a minute. */
const STUDY_TIMEOUT_MS = 240_000;

async function submitStudy(base: string, body: unknown): Promise<StudyView> {
  const res = await fetch(`${base}/v1/studies`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  assert.equal(res.status, 202, await res.clone().text());
  return (await res.json()) as StudyView;
}

async function readStudy(base: string, id: string): Promise<StudyView> {
  const res = await fetch(`${base}/v1/studies/${id}`);
  assert.equal(res.status, 200, await res.clone().text());
  return (await res.json()) as StudyView;
}

describe('a study over two workers (real Redis, API and worker processes)', () => {
  let service: ServiceHarness;

  before(async () => {
    service = await ServiceHarness.start('study');
  });
  after(async () => {
    await service.close();
  });

  it('completes across a restart of the API and both workers, each run once, its table from its runs', async () => {
    const env = service.environment({
      WORKER_CONCURRENCY: '1',
      WORKER_LOCK_DURATION_MS: '4000',
      WORKER_STALLED_INTERVAL_MS: '1000',
      JOB_ATTEMPTS: '3',
    });
    let api = await service.startApi(env);
    const workers: SpawnedWorker[] = await Promise.all([service.startWorker(env), service.startWorker(env)]);
    const submitted = await submitStudy(api.base, TINY_STUDY);

    // The middle: a run has been scored, others have not.
    await waitFor(
      'a first scored run',
      async () => {
        const study = await readStudy(api.base, submitted.id);
        return study.runs.some((r) => r.scored) && study.runs.some((r) => !r.scored) ? study : undefined;
      },
      STUDY_TIMEOUT_MS,
      200,
    );
    // Restart everything: the workers stop on SIGTERM (the run in progress goes back to the queue with
    // its checkpoint), the API closes; new ones start on the same Redis and directories.
    for (const worker of workers) worker.child.kill('SIGTERM');
    await Promise.all(workers.map((w) => w.exited));
    await api.app.close();
    api = await service.startApi(env);
    await Promise.all([service.startWorker(env), service.startWorker(env)]);

    const done = await waitFor(
      'the study to complete',
      async () => {
        const study = await readStudy(api.base, submitted.id);
        assert.ok(study.status !== 'failed', JSON.stringify(study.runs));
        return study.status === 'completed' ? study : undefined;
      },
      STUDY_TIMEOUT_MS,
      500,
    );
    assert.deepEqual(
      done.runs.map((r) => [r.id, r.status, r.scored]),
      [
        ['equal-seed1', 'completed', true],
        ['equal-seed2', 'completed', true],
        ['uncertainty-seed1', 'completed', true],
        ['uncertainty-seed2', 'completed', true],
      ],
    );
    assert.ok(done.finishedAt);

    // Each run exactly once: four jobs with the study's label, one epoch each, four result files.
    const listed = (await (await fetch(`${api.base}/v1/training-jobs?label=study:${done.id}`)).json()) as {
      items: TrainingJob[];
      total: number;
    };
    assert.equal(listed.total, 4);
    for (const run of done.runs) {
      const job = await getJob(api.base, run.jobId);
      assert.equal(job.history.length, 1, `run ${run.id}: one epoch in its history`);
      assert.equal(job.modelId, run.modelId);
    }
    const resultsDir = join(service.artifactDir, 'studies', done.id, 'results');
    const files = (await readdir(resultsDir)).filter((f) => f.endsWith('.json')).sort();
    assert.deepEqual(files, done.runs.map((r) => `${r.id}.json`).sort());

    // The table is the summary of the runs' own results.
    const results = await Promise.all(
      done.runs.map(
        async (r) => JSON.parse(await readFile(join(resultsDir, `${r.id}.json`), 'utf8')) as RunResult,
      ),
    );
    for (const result of results) assert.ok(result.curve.length > 0, `run ${result.id} recorded its curve`);
    const { plan } = studyPlan(resolveStudyRequest(TINY_STUDY as never));
    assert.deepEqual(done.table, JSON.parse(JSON.stringify(summariseExperiment(plan, results))));
    assert.equal(done.table!.runsDone, 4);
    // What the compare page draws: each run's own curve and per-class IoU.
    const curves = (await (await fetch(`${api.base}/v1/studies/${done.id}/curves`)).json()) as {
      classes: { name: string }[];
      runs: { id: string; curve: unknown[]; perClassIoU: (number | null)[] | null }[];
    };
    assert.equal(curves.classes.length, 19);
    for (const run of curves.runs) {
      const result = results.find((r) => r.id === run.id)!;
      assert.deepEqual(run.curve, JSON.parse(JSON.stringify(result.curve)));
      assert.equal(run.perClassIoU?.length, 19);
    }
    const markdown = await (await fetch(`${api.base}/v1/studies/${done.id}/table`)).text();
    assert.match(markdown, /uncertainty \(Kendall et al\.\) \| 2\/2 \|/);
  });

  it('cancel stops every run of a study and leaves none active; resume finishes it', async () => {
    const env = service.environment({ WORKER_CONCURRENCY: '1', PROGRESS_INTERVAL_MS: '100' });
    const { base } = await service.startApi(env);
    await Promise.all([service.startWorker(env), service.startWorker(env)]);
    const study = await submitStudy(base, { ...TINY_STUDY, training: { epochs: 20, batchSize: 2 } });
    await waitFor(
      'a run to train',
      async () => ((await readStudy(base, study.id)).runs.some((r) => r.percent > 0) ? true : undefined),
      STUDY_TIMEOUT_MS,
      200,
    );
    const res = await fetch(`${base}/v1/studies/${study.id}/cancel`, { method: 'POST' });
    assert.equal(res.status, 200, await res.clone().text());
    assert.ok(['cancelling', 'cancelled'].includes(((await res.json()) as StudyView).status));
    const cancelled = await waitFor(
      'the study to be cancelled',
      async () => {
        const view = await readStudy(base, study.id);
        return view.status === 'cancelled' ? view : undefined;
      },
      60_000,
      200,
    );
    assert.deepEqual(
      cancelled.runs.map((r) => r.status),
      ['cancelled', 'cancelled', 'cancelled', 'cancelled'],
    );
    // Nothing comes back: a read does not add the cancelled runs again.
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    const later = await readStudy(base, study.id);
    assert.equal(later.runCounts.cancelled, 4);

    // Resumed, the same four jobs train on as the study's runs and are scored into it.
    const resumed = await fetch(`${base}/v1/studies/${study.id}/resume`, { method: 'POST' });
    assert.equal(resumed.status, 202, await resumed.clone().text());
    const done = await waitFor(
      'the resumed study to complete',
      async () => {
        const view = await readStudy(base, study.id);
        assert.ok(view.status !== 'failed', JSON.stringify(view.runs));
        return view.status === 'completed' ? view : undefined;
      },
      STUDY_TIMEOUT_MS,
      500,
    );
    assert.deepEqual(
      done.runs.map((r) => [r.status, r.scored]),
      Array.from({ length: 4 }, () => ['completed', true]),
    );
    assert.equal(done.table?.runsDone, 4);
    // The study's jobs are the four runs' own, each completed with its model.
    const listed = (await (await fetch(`${base}/v1/training-jobs?label=study:${study.id}`)).json()) as {
      items: TrainingJob[];
    };
    assert.deepEqual(
      listed.items.map((j) => [j.id, j.status]).sort(),
      done.runs.map((r) => [r.jobId, 'completed']).sort(),
    );
    for (const run of done.runs) assert.ok(run.modelId, `${run.id} has its model`);
  });
});
