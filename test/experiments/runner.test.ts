import assert from 'node:assert/strict';
import { mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import {
  loadPlanResults,
  planRuns,
  resultPath,
  runExperiment,
  summariseExperiment,
  type ExperimentPlan,
  type RunResult,
  type RunnerEvent,
} from '../../src/experiments/index.js';

let root: string;
const resultsDir = () => join(root, 'results');
const workDir = () => join(root, 'work');

/** 2 rows x 2 seeds, 2 steps each, at 32x64 and width 4: the smallest plan that exercises everything. */
const plan: ExperimentPlan = {
  name: 'tiny',
  dataset: { kind: 'synthetic', train: 8, validation: 4, test: 4, size: [32, 64], seed: 3 },
  model: { width: 4, inputSize: [32, 64] },
  training: { epochs: 1, batchSize: 4, learningRate: 0.005 },
  rows: [
    {
      id: 'equal',
      label: 'equal',
      group: 'equal',
      tasks: ['segmentation', 'instances', 'depth'],
      weighting: { strategy: 'equal' },
    },
    {
      id: 'uncertainty',
      label: 'uncertainty',
      group: 'learned',
      tasks: ['segmentation', 'instances', 'depth'],
      weighting: { strategy: 'uncertainty' },
    },
  ],
  seeds: [1, 2],
  curveEvery: 1,
};

before(async () => {
  root = await mkdtemp(join(tmpdir(), 'experiment-'));
});
after(async () => {
  await rm(root, { recursive: true, force: true });
});

test('the runner trains every run in its own process and writes one result file per run', async () => {
  const events: RunnerEvent[] = [];
  const outcome = await runExperiment({
    plan,
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
  const pids = new Set(events.flatMap((e) => (e.type === 'started' ? [e.pid] : [])));
  assert.equal(pids.size, 4, 'a fresh training process per run');
  assert.ok(!pids.has(process.pid));
  assert.deepEqual((await readdir(resultsDir())).sort(), [
    'equal-seed1.json',
    'equal-seed2.json',
    'uncertainty-seed1.json',
    'uncertainty-seed2.json',
  ]);
  const runs = planRuns(plan);
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
  // The scratch space keeps the data, not the finished runs' checkpoints and models.
  assert.deepEqual(await readdir(join(workDir(), 'jobs')).catch(() => []), []);
  assert.deepEqual(await readdir(join(workDir(), 'models')).catch(() => []), []);
});

test('a second invocation skips finished runs, and reruns only a missing or stale one', async () => {
  const before = await stat(resultPath(resultsDir(), 'equal-seed1'));
  const again = await runExperiment({ plan, resultsDir: resultsDir(), workDir: workDir(), concurrency: 2 });
  assert.equal(again.skipped.length, 4);
  assert.deepEqual(again.finished, []);
  assert.equal(
    (await stat(resultPath(resultsDir(), 'equal-seed1'))).mtimeMs,
    before.mtimeMs,
    'not rewritten',
  );

  // A fresh clone: no scratch space, one result gone and one from another spec (hash mismatch).
  await rm(workDir(), { recursive: true, force: true });
  await rm(resultPath(resultsDir(), 'uncertainty-seed2'));
  const stale = JSON.parse(await readFile(resultPath(resultsDir(), 'equal-seed2'), 'utf8')) as RunResult;
  await writeFile(resultPath(resultsDir(), 'equal-seed2'), JSON.stringify({ ...stale, specHash: 'other' }));
  const events: RunnerEvent[] = [];
  const resumed = await runExperiment({
    plan,
    resultsDir: resultsDir(),
    workDir: workDir(),
    concurrency: 2,
    onEvent: (e) => events.push(e),
  });
  assert.deepEqual([...resumed.skipped].sort(), ['equal-seed1', 'uncertainty-seed1']);
  assert.deepEqual([...resumed.finished].sort(), ['equal-seed2', 'uncertainty-seed2']);
  assert.ok(events.some((e) => e.type === 'stale' && e.run.id === 'equal-seed2'));
  assert.equal((await loadPlanResults(resultsDir(), planRuns(plan))).length, 4);
});

test('maxRuns starts only that many runs and leaves the rest pending', async () => {
  const dir = join(root, 'partial');
  const outcome = await runExperiment({
    plan,
    resultsDir: dir,
    workDir: workDir(),
    concurrency: 1,
    maxRuns: 1,
  });
  assert.deepEqual(outcome.finished, ['equal-seed1']);
  // Seed by seed: the next would be the other row's first seed.
  assert.deepEqual(outcome.pending, ['uncertainty-seed1', 'equal-seed2', 'uncertainty-seed2']);
  const summary = summariseExperiment(plan, await loadPlanResults(dir, planRuns(plan)));
  assert.deepEqual(
    summary.rows.map((r) => r.seedsDone),
    [1, 0],
    'a partial table counts the seeds done per row',
  );
});
