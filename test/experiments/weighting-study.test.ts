import assert from 'node:assert/strict';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import { PROFILES, profilePlan } from '../../bench/weighting-profiles.js';
import {
  defaultFixedGrid,
  planRuns,
  readStoredResult,
  studyRows,
  weightingStudyRows,
  type ExperimentPlan,
} from '../../src/experiments/index.js';
import { ValidationError } from '../../src/errors.js';

const RESULTS = new URL('../../bench/results/weighting/', import.meta.url).pathname;

test("every committed bench result is still a planned run of its profile (same id and spec hash): the rows' refactor kept them", async () => {
  let checked = 0;
  for (const [name, profile] of Object.entries(PROFILES)) {
    const plan = profilePlan(profile);
    assert.deepEqual(plan.rows, weightingStudyRows(), `${name}: every row of the weighting table`);
    const dir = join(RESULTS, name);
    const files = (await readdir(dir).catch(() => [] as string[])).filter((f) => f.endsWith('.json'));
    const runs = new Map(planRuns(plan).map((run) => [`${run.id}.json`, run]));
    for (const file of files) {
      const run = runs.get(file);
      assert.ok(run, `${name}/${file} is a run of the ${name} profile`);
      const stored = await readStoredResult(dir, run);
      assert.equal(stored.state, 'done', `${name}/${file}: ${'reason' in stored ? stored.reason : ''}`);
      checked += 1;
    }
  }
  assert.ok(checked >= 20, `checked ${checked} committed results`);
});

test('the all-task rows: 3 single-task, equal, 9 fixed, 4 learned, with the ids of the table', () => {
  const rows = weightingStudyRows();
  assert.deepEqual(
    rows.map((row) => row.id),
    [
      'segmentation-only',
      'instances-only',
      'depth-only',
      'equal',
      ...[0.1, 0.3, 0.9].flatMap((i) => [0.4, 1.2, 3.6].map((d) => `fixed-1-${i}-${d}`)),
      'uncertainty',
      'uncertainty-positive',
      'gradnorm',
      'dwa',
    ],
  );
  assert.deepEqual(rows.find((row) => row.id === 'fixed-1-0.3-1.2')?.weighting, {
    strategy: 'fixed',
    weights: { segmentation: 1, instances: 0.3, depth: 1.2 },
  });
});

test('a study on two tasks: their single-task rows, and every multi-task row on just those two', () => {
  const rows = studyRows({
    tasks: ['depth', 'segmentation'],
    methods: ['uncertainty', 'fixed', 'single-task', 'equal'],
  });
  assert.deepEqual(
    rows.map((row) => row.id),
    ['segmentation-only', 'depth-only', 'equal', 'fixed-1-0.3333', 'fixed-1-1', 'fixed-1-3', 'uncertainty'],
  );
  for (const row of rows.filter((r) => r.group !== 'single-task')) {
    assert.deepEqual(row.tasks, ['segmentation', 'depth'], row.id);
  }
  assert.deepEqual(rows.find((row) => row.id === 'fixed-1-3')?.weighting, {
    strategy: 'fixed',
    weights: { segmentation: 1, depth: 3 },
  });
  // Such rows make a valid plan: every run's training spec parses.
  const plan: ExperimentPlan = {
    name: 'two-tasks',
    dataset: { kind: 'synthetic', train: 4, validation: 2, test: 2, size: [32, 64], seed: 1 },
    model: { width: 4, inputSize: [32, 64] },
    training: { epochs: 1, batchSize: 2 },
    rows,
    seeds: [1],
    curveEvery: 1,
  };
  assert.equal(planRuns(plan).length, rows.length);
});

test('the default grid has 3^(tasks - 1) points around equal weights', () => {
  assert.equal(defaultFixedGrid(['segmentation', 'instances', 'depth']).length, 9);
  assert.deepEqual(defaultFixedGrid(['instances', 'depth']), [
    { instances: 1, depth: 0.3333 },
    { instances: 1, depth: 1 },
    { instances: 1, depth: 3 },
  ]);
});

test('bad rows requests are refused naming the field', () => {
  const refused = (options: Parameters<typeof studyRows>[0], field: RegExp) =>
    assert.throws(
      () => studyRows(options),
      (err: unknown) => err instanceof ValidationError && field.test(err.message),
    );
  refused({ tasks: ['depth'], methods: ['equal'] }, /^tasks: .*at least two/);
  refused({ tasks: ['depth', 'colour' as never], methods: ['equal'] }, /^tasks\[1\]: unknown task 'colour'/);
  refused({ tasks: ['depth', 'instances'], methods: [] }, /^methods: /);
  refused({ tasks: ['depth', 'instances'], methods: ['equal', 'magic' as never] }, /^methods\[1\]: unknown/);
  refused({ tasks: ['depth', 'instances'], methods: ['dwa', 'dwa'] }, /^methods\[1\]: 'dwa' is listed twice/);
  refused(
    { tasks: ['depth', 'instances'], methods: ['fixed'], fixedGrid: [{ instances: 1, depth: 0 }] },
    /^fixedGrid\[0\]\.depth: must be a positive number/,
  );
  refused(
    { tasks: ['depth', 'instances'], methods: ['fixed'], fixedGrid: [{ instances: 1 }] },
    /^fixedGrid\[0\]\.depth: must be a positive number, got undefined/,
  );
  refused({ tasks: ['depth', 'instances'], methods: ['fixed'], fixedGrid: [] }, /^fixedGrid: /);
  refused(
    {
      tasks: ['depth', 'instances'],
      methods: ['fixed'],
      fixedGrid: [
        { instances: 1, depth: 2 },
        { instances: 1, depth: 2 },
      ],
    },
    /^fixedGrid\[1\]: the same point/,
  );
});
