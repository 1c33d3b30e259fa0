import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  deltaM,
  formatMeanStd,
  meanRanks,
  meanStd,
  ranks,
  renderSummaryTable,
  signedRelativeChange,
  summariseExperiment,
  TABLE_METRICS,
  type ExperimentPlan,
  type ExperimentRow,
  type RunResult,
} from '../../src/experiments/index.js';

const close = (actual: number | null | undefined, expected: number, what: string) =>
  assert.ok(
    actual !== null && actual !== undefined && Math.abs(actual - expected) < 1e-9,
    `${what}: ${actual} != ${expected}`,
  );

test('mean and sample standard deviation over seeds', () => {
  const stats = meanStd([1, 2, 3, 4])!;
  close(stats.mean, 2.5, 'mean');
  // ((1.5^2 + 0.5^2) * 2) / 3 = 5/3
  close(stats.std, Math.sqrt(5 / 3), 'std');
  assert.equal(stats.n, 4);
  assert.deepEqual(meanStd([5]), { mean: 5, std: null, n: 1 });
  assert.equal(meanStd([]), null);
  assert.equal(formatMeanStd({ mean: 0.12345, std: 0.01, n: 2 }, 100, 1), '12.3 ± 1.0');
  assert.equal(formatMeanStd({ mean: 4.5, std: null, n: 1 }, 1, 2), '4.50');
  assert.equal(formatMeanStd(null), '–');
});

test('signed relative change and Delta_m: better is positive, lower-is-better metrics negated', () => {
  close(signedRelativeChange(0.6, 0.5, true), 0.2, 'higher is better');
  close(signedRelativeChange(4, 5, false), 0.2, 'a lower error is better');
  close(signedRelativeChange(6, 5, false), -0.2, 'a higher error is worse');
  const metrics = TABLE_METRICS;
  // mIoU 0.55 vs 0.5: +0.1; instance 4.5 vs 5: +0.1; disparity 0.48 vs 0.6: +0.2 -> mean 0.4/3.
  close(
    deltaM(
      { meanIoU: 0.55, instanceErrorPx: 4.5, disparityErrorPx: 0.48 },
      { meanIoU: 0.5, instanceErrorPx: 5, disparityErrorPx: 0.6 },
      metrics,
    ),
    0.4 / 3,
    'Delta_m',
  );
  assert.equal(
    deltaM(
      { meanIoU: 0.55, instanceErrorPx: 4.5 },
      { meanIoU: 0.5, instanceErrorPx: 5, disparityErrorPx: 0.6 },
      metrics,
    ),
    null,
    'a missing metric gives no Delta_m',
  );
});

test('ranks share ties, skip missing values; mean rank averages over metrics', () => {
  assert.deepEqual(ranks([3, 1, 3, null, 2], true), [1.5, 4, 1.5, null, 3]);
  assert.deepEqual(ranks([3, 1, 2], false), [3, 1, 2]);
  const directions = [
    { key: 'a', higherIsBetter: true },
    { key: 'b', higherIsBetter: false },
  ];
  // a: row0 1st, row1 2nd, row2 3rd; b: row0 3rd, row1 1st, row2 2nd.
  assert.deepEqual(
    meanRanks(
      [
        { a: 3, b: 9 },
        { a: 2, b: 1 },
        { a: 1, b: 5 },
      ],
      directions,
    ),
    [2, 1.5, 2.5],
  );
  assert.deepEqual(meanRanks([{ a: null, b: null }], directions), [null]);
});

const ALL = ['segmentation', 'instances', 'depth'] as const;
const row = (
  id: string,
  group: ExperimentRow['group'],
  tasks: readonly (typeof ALL)[number][] = ALL,
): ExperimentRow => ({
  id,
  label: id,
  group,
  tasks: [...tasks],
  weighting: { strategy: group === 'fixed' ? 'fixed' : 'equal' },
});
const rows = [
  row('segmentation-only', 'single-task', ['segmentation']),
  row('instances-only', 'single-task', ['instances']),
  row('depth-only', 'single-task', ['depth']),
  row('equal', 'equal'),
  row('fixed-a', 'fixed'),
  row('fixed-b', 'fixed'),
  row('uncertainty', 'learned'),
];
const plan: ExperimentPlan = {
  name: 'hand',
  dataset: { kind: 'synthetic', train: 8, validation: 4, test: 4, size: [32, 64], seed: 1 },
  model: { width: 4, inputSize: [32, 64] },
  training: { epochs: 1, batchSize: 4 },
  rows,
  seeds: [1, 2],
  curveEvery: 1,
};
type Numbers = { meanIoU?: number; instanceErrorPx?: number; disparityErrorPx?: number };
const evaluation = (n: Numbers) => ({
  headline: {
    meanIoU: n.meanIoU ?? null,
    instanceErrorPx: n.instanceErrorPx ?? null,
    disparityErrorPx: n.disparityErrorPx ?? null,
    pq: null,
  },
});
function result(
  rowId: string,
  seed: number,
  test: Numbers,
  validation: Numbers = test,
  extra: Partial<RunResult> = {},
): RunResult {
  return {
    format: 1,
    id: `${rowId}-seed${seed}`,
    row: rows.find((r) => r.id === rowId)!,
    seed,
    specHash: 'h',
    spec: {} as RunResult['spec'],
    steps: 2,
    metrics: { validation: evaluation(validation), test: evaluation(test) },
    final: { weights: { segmentation: 1, instances: 1, depth: 1 } },
    epochs: [],
    curve: [],
    timing: { wallSeconds: 10 * seed, testEvaluationSeconds: 1, medianStepMs: 100 },
    backend: 'wasm',
    machine: '2 x test CPU',
    loadAverage: 1,
    finishedAt: '2026-12-02T00:00:00.000Z',
    ...extra,
  };
}

test('the summary: single-task baselines, per-seed Delta_m, mean rank, best fixed chosen on validation', () => {
  const results = [
    result('segmentation-only', 1, { meanIoU: 0.5 }),
    result('segmentation-only', 2, { meanIoU: 0.6 }),
    result('instances-only', 1, { instanceErrorPx: 5 }),
    result('instances-only', 2, { instanceErrorPx: 5 }),
    result('depth-only', 1, { disparityErrorPx: 0.5 }),
    result('depth-only', 2, { disparityErrorPx: 0.7 }),
    // Baselines 0.55 / 5 / 0.6. Seed 1: (0 + 0.2 + 0) / 3; seed 2: (0.2 + 0 + 0.1) / 3.
    result('equal', 1, { meanIoU: 0.55, instanceErrorPx: 4, disparityErrorPx: 0.6 }),
    result('equal', 2, { meanIoU: 0.66, instanceErrorPx: 5, disparityErrorPx: 0.54 }),
    // fixed-a is the better on test, fixed-b on validation: b is "best fixed".
    result(
      'fixed-a',
      1,
      { meanIoU: 0.6, instanceErrorPx: 4, disparityErrorPx: 0.5 },
      { meanIoU: 0.5, instanceErrorPx: 6, disparityErrorPx: 0.7 },
    ),
    result(
      'fixed-b',
      1,
      { meanIoU: 0.5, instanceErrorPx: 6, disparityErrorPx: 0.7 },
      { meanIoU: 0.6, instanceErrorPx: 4, disparityErrorPx: 0.5 },
    ),
  ];
  const summary = summariseExperiment(plan, results);
  assert.equal(summary.runsPlanned, 14);
  assert.equal(summary.runsDone, 10);
  close(summary.baselines.test['meanIoU'], 0.55, 'segmentation baseline');
  close(summary.baselines.test['instanceErrorPx'], 5, 'instance baseline');
  close(summary.baselines.test['disparityErrorPx'], 0.6, 'depth baseline');
  const byId = Object.fromEntries(summary.rows.map((r) => [r.row.id, r]));
  const equal = byId['equal']!;
  close(equal.test['meanIoU']!.mean, 0.605, 'equal mIoU mean');
  close(equal.test['meanIoU']!.std, 0.055 * Math.SQRT2, 'equal mIoU std');
  close(equal.deltaM.test!.mean, (0.2 / 3 + 0.1) / 2, 'equal Delta_m mean');
  close(equal.deltaM.test!.std, Math.abs(0.1 - 0.2 / 3) / Math.SQRT2, 'equal Delta_m std');
  close(equal.wallSeconds!.mean, 15, 'wall time');
  assert.equal(byId['fixed-b']!.bestFixed, true);
  assert.equal(byId['fixed-a']!.bestFixed, false);
  // Test means: equal 0.605 / 4.5 / 0.57, fixed-a 0.6 / 4 / 0.5, fixed-b 0.5 / 6 / 0.7.
  // mIoU ranks 1, 2, 3; instance 2, 1, 3; disparity 2, 1, 3.
  close(equal.meanRank, 5 / 3, 'equal mean rank');
  close(byId['fixed-a']!.meanRank, 4 / 3, 'fixed-a mean rank');
  close(byId['fixed-b']!.meanRank, 3, 'fixed-b mean rank');
  assert.equal(byId['segmentation-only']!.meanRank, null, 'single-task rows are not ranked');
  // A partial table: the uncertainty row has no seed yet.
  assert.equal(byId['uncertainty']!.seedsDone, 0);
  assert.equal(byId['uncertainty']!.test['meanIoU'], null);
  const table = renderSummaryTable(summary);
  const equalLine = table.split('\n').find((l) => l.startsWith('| equal |'))!;
  assert.match(
    equalLine,
    /\| 2\/2 \| 60\.5 ± 7\.8 \| 4\.50 ± 0\.71 \| 0\.570 ± 0\.042 \| 8\.3 ± 2\.4 \| 1\.67 \|/,
  );
  assert.match(table, /\| fixed-b \*\*\(best fixed, on val\)\*\* \| 1\/2 \|/);
  assert.match(table, /\| uncertainty \| 0\/2 \| – \| – \| – \|/);
});

test('learned rows report final sigmas and s - s* over seeds; without baselines best fixed falls back to rank', () => {
  const learned = (seed: number, s: number, gap: number) =>
    result('uncertainty', seed, { meanIoU: 0.5, instanceErrorPx: 5, disparityErrorPx: 0.6 }, undefined, {
      final: {
        weights: { segmentation: Math.exp(-s), instances: 0.5, depth: 0.5 },
        logVariances: { segmentation: s, instances: 0, depth: 0 },
        sigmas: { segmentation: Math.exp(s / 2), instances: 1, depth: 1 },
        logVarianceGaps: { segmentation: gap, instances: 0, depth: 0 },
      },
    });
  const summary = summariseExperiment(plan, [
    learned(1, 0, 0.1),
    learned(2, 2 * Math.log(3), 0.3),
    result('fixed-a', 1, { meanIoU: 0.5, instanceErrorPx: 5, disparityErrorPx: 0.6 }),
    result('fixed-b', 1, { meanIoU: 0.4, instanceErrorPx: 6, disparityErrorPx: 0.7 }),
  ]);
  const u = summary.rows.find((r) => r.row.id === 'uncertainty')!;
  close(u.sigmas!.segmentation!.mean, 2, 'mean of sigmas 1 and 3');
  close(u.logVarianceGaps!.segmentation!.mean, 0.2, 's - s* mean');
  close(u.logVarianceGaps!.segmentation!.std, 0.2 / Math.SQRT2, 's - s* std');
  assert.equal(u.deltaM.test, null, 'no single-task rows done, no Delta_m');
  assert.equal(summary.rows.find((r) => r.row.id === 'fixed-a')!.bestFixed, true);
  const line = renderSummaryTable(summary)
    .split('\n')
    .find((l) => l.startsWith('| uncertainty |'))!;
  // sigmas (seg / inst / depth) then s - s*.
  assert.match(
    line,
    /\| 2\.000 ± 1\.414 \/ 1\.000 ± 0\.000 \/ 1\.000 ± 0\.000 \| 0\.200 ± 0\.141 \/ 0\.000 ± 0\.000 \//,
  );
});
