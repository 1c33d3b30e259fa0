/**
 * The experiment runner: a plan run as a study on a private service (its own redis-server, a real training
 * worker process, the API's study producer). It writes one result file per run, skips the runs whose file
 * matches on the next invocation (handing them to the study as prior results), reruns a stale one, and a
 * stopped invocation is continued by the next one, on the same study.
 */
import assert from 'node:assert/strict';
import { mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import {
  ExperimentWorkerError,
  loadPlanResults,
  resultPath,
  resolveStudyRequest,
  studyPlan,
  summariseExperiment,
  type RunResult,
  type StudyRequest,
} from '../../src/experiments/index.js';
import { runExperiment, type RunnerEvent } from '../../src/queue/experiment-runner.js';

let root: string;
const resultsDir = () => join(root, 'results');
const workDir = () => join(root, 'work');

/** 2 methods x 2 seeds, 2 steps each, at 32x64 and width 4: the smallest plan that exercises everything. */
const request: StudyRequest = {
  name: 'tiny',
  dataset: { kind: 'synthetic', train: 8, validation: 4, test: 4, size: [32, 64], seed: 3 },
  methods: ['equal', 'uncertainty'],
  model: { width: 4, inputSize: [32, 64] },
  training: { epochs: 1, batchSize: 4, learningRate: 0.005 },
  seeds: [1, 2],
  curveEvery: 1,
};
const { plan, runs } = studyPlan(resolveStudyRequest(request));
/** Quiet workers, and the runner reads its study often: the runs take seconds here. */
const common = { env: { ...process.env, LOG_LEVEL: 'warn' }, followIntervalMs: 250 };

before(async () => {
  root = await mkdtemp(join(tmpdir(), 'experiment-'));
});
after(async () => {
  await rm(root, { recursive: true, force: true });
});

test('the runner trains every run as a job of a study on a training worker and writes one result file per run', async () => {
  const events: RunnerEvent[] = [];
  const outcome = await runExperiment({
    ...common,
    request,
    resultsDir: resultsDir(),
    workDir: workDir(),
    concurrency: 2,
    onEvent: (e) => events.push(e),
  });
  assert.deepEqual(outcome.failed, []);
  assert.deepEqual([...outcome.finished].sort(), [
    'equal-seed1',
    'equal-seed2',
    'uncertainty-seed1',
    'uncertainty-seed2',
  ]);
  assert.deepEqual(outcome.pending, []);
  const study = events.find((e) => e.type === 'study');
  assert.ok(study?.type === 'study' && study.studyId === outcome.studyId && !study.continued);
  assert.ok(study.workerPid !== undefined && study.workerPid !== process.pid, 'a worker process of its own');
  const jobIds = events.flatMap((e) => (e.type === 'started' ? [e.jobId] : []));
  assert.deepEqual(
    [...jobIds].sort(),
    [0, 1, 2, 3].map((k) => `${outcome.studyId}-run${k}`),
    'each run one training job of the study',
  );
  assert.deepEqual((await readdir(resultsDir())).sort(), [
    'equal-seed1.json',
    'equal-seed2.json',
    'uncertainty-seed1.json',
    'uncertainty-seed2.json',
  ]);
  for (const run of runs) {
    const result = JSON.parse(await readFile(resultPath(resultsDir(), run.id), 'utf8')) as RunResult;
    assert.equal(result.specHash, run.specHash);
    assert.equal(result.seed, run.seed);
    assert.equal(result.spec.training.training.seed, run.seed, 'the seed drives the run');
    assert.equal(result.steps, 2);
    assert.deepEqual(
      result.curve.map((p) => p.step),
      [1, 2],
    );
    for (const split of ['validation', 'test'] as const) {
      const headline = result.metrics[split]['headline'] as Record<string, number>;
      assert.equal(result.metrics[split]['images'], 4, `${split}: all 4 scenes scored`);
      assert.ok(Number.isFinite(headline['instanceErrorPx']), `${split} instance error`);
    }
    if (run.row.id === 'uncertainty') {
      assert.ok(result.final.logVariances && result.final.sigmas);
      for (const [task, s] of Object.entries(result.final.logVariances)) {
        assert.ok(Math.abs(result.final.sigmas[task as 'depth']! - Math.exp(s / 2)) < 1e-12);
      }
      assert.ok(result.curve[0]!.sigmas, 'sigma curve recorded');
      assert.ok(result.final.logVarianceGaps && result.curve[0]!.logVarianceGaps, 's - s* recorded');
    } else {
      assert.equal(result.final.logVariances, undefined);
    }
    assert.ok(result.timing.wallSeconds > 0);
  }
  // The two seeds are different runs: other initial weights, other data order.
  const [a, b] = await loadPlanResults(resultsDir(), runs.slice(0, 2));
  assert.notDeepEqual(a!.curve[0]!.losses, b!.curve[0]!.losses);
  const summary = summariseExperiment(plan, await loadPlanResults(resultsDir(), runs));
  assert.equal(summary.runsDone, 4);
  assert.ok(summary.rows.every((r) => r.seedsDone === 2 && r.test['meanIoU']!.std !== null));
});

test('a later invocation skips finished runs, reruns only a missing or stale one, and continues a stopped study', async () => {
  const before = await stat(resultPath(resultsDir(), 'equal-seed1'));
  const again = await runExperiment({ ...common, request, resultsDir: resultsDir(), workDir: workDir() });
  assert.equal(again.skipped.length, 4);
  assert.deepEqual(again.finished, []);
  assert.equal(again.studyId, undefined, 'nothing to train: no service started');
  assert.equal(
    (await stat(resultPath(resultsDir(), 'equal-seed1'))).mtimeMs,
    before.mtimeMs,
    'not rewritten',
  );

  // A run the study scored but the runner did not copy out (it stopped first): taken from the ended
  // study when the next invocation replaces it, not trained again.
  await rm(resultPath(resultsDir(), 'uncertainty-seed1'));
  const recovered = await runExperiment({ ...common, request, resultsDir: resultsDir(), workDir: workDir() });
  assert.deepEqual(recovered.finished, []);
  assert.deepEqual([...recovered.skipped].sort(), [
    'equal-seed1',
    'equal-seed2',
    'uncertainty-seed1',
    'uncertainty-seed2',
  ]);
  assert.equal((await loadPlanResults(resultsDir(), runs)).length, 4, 'copied back');

  // A fresh clone: no work directory, one result gone and one from another spec (hash mismatch). The
  // first invocation stops after one run.
  await rm(workDir(), { recursive: true, force: true });
  await rm(resultPath(resultsDir(), 'uncertainty-seed2'));
  const stale = JSON.parse(await readFile(resultPath(resultsDir(), 'equal-seed2'), 'utf8')) as RunResult;
  await writeFile(resultPath(resultsDir(), 'equal-seed2'), JSON.stringify({ ...stale, specHash: 'other' }));
  const events: RunnerEvent[] = [];
  const stopped = await runExperiment({
    ...common,
    request,
    resultsDir: resultsDir(),
    workDir: workDir(),
    concurrency: 1,
    stopAfter: 1,
    onEvent: (e) => events.push(e),
  });
  assert.deepEqual([...stopped.skipped].sort(), ['equal-seed1', 'uncertainty-seed1']);
  assert.ok(events.some((e) => e.type === 'stale' && e.run.id === 'equal-seed2'));
  assert.deepEqual(
    stopped.finished,
    ['equal-seed2'],
    'in plan order (seed-major order: study-prior-results)',
  );
  assert.deepEqual(stopped.pending, ['uncertainty-seed2']);
  assert.equal(
    JSON.parse(await readFile(resultPath(resultsDir(), 'equal-seed2'), 'utf8')).specHash,
    runs[1]!.specHash,
  );

  const continued: RunnerEvent[] = [];
  const resumed = await runExperiment({
    ...common,
    request,
    resultsDir: resultsDir(),
    workDir: workDir(),
    onEvent: (e) => continued.push(e),
  });
  const study = continued.find((e) => e.type === 'study');
  assert.ok(study?.type === 'study', 'a study event');
  if (study.continued) {
    assert.equal(study.studyId, stopped.studyId, 'the same study');
    assert.deepEqual(resumed.finished, ['uncertainty-seed2']);
  } else {
    // The stopped study can have ended before this invocation (CI and one of three local runs saw it on
    // 2026-12-04; a continued study is always the same one, so this is the branch they took): the runner
    // starts a new study with the ended one's scored results, so the last run is either recovered from
    // it or trained in the new one, never lost. The detail says which, for whoever pins the race down.
    const detail = JSON.stringify({ study, resumed });
    assert.notEqual(study.studyId, stopped.studyId, detail);
    assert.ok(
      resumed.skipped.includes('uncertainty-seed2') || resumed.finished.includes('uncertainty-seed2'),
      detail,
    );
  }
  assert.deepEqual(resumed.pending, []);
  assert.equal((await loadPlanResults(resultsDir(), runs)).length, 4);
});

test('a worker that cannot start ends the invocation with a clear error instead of a wait for ever', async () => {
  const dir = join(root, 'no-worker');
  await assert.rejects(
    runExperiment({
      ...common,
      // An invalid setting: the worker prints the problem and exits with status 1 before it takes a job.
      env: { ...common.env, TF_BACKEND: 'no-such-backend' },
      request,
      resultsDir: join(dir, 'results'),
      workDir: join(dir, 'work'),
    }),
    (error: Error) => {
      assert.ok(error instanceof ExperimentWorkerError, String(error));
      assert.match(error.message, /exited by itself \(code 1\)/);
      return true;
    },
  );
  assert.deepEqual(await readdir(join(dir, 'results')).catch(() => []), [], 'no result written');
});
