import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  DEFAULT_FIXED_GRID,
  planRuns,
  runJobId,
  weightingStudyRows,
  type ExperimentPlan,
} from '../../src/experiments/index.js';
import { isWellFormedId } from '../../src/model/ids.js';

const plan: ExperimentPlan = {
  name: 'ids',
  dataset: { kind: 'synthetic', train: 8, validation: 4, test: 4, size: [32, 64], seed: 3 },
  model: { width: 4, inputSize: [32, 64] },
  training: { epochs: 1, batchSize: 4 },
  rows: weightingStudyRows(DEFAULT_FIXED_GRID),
  seeds: [1, 2],
  curveEvery: 1,
};

test('every run of the weighting rows gets a job id the model store accepts (fixed-weight rows have dots)', () => {
  const runs = planRuns(plan);
  assert.ok(
    runs.some((run) => run.id.includes('.')),
    'the grid rows have dots in their ids',
  );
  const ids = runs.map(runJobId);
  for (const id of ids) assert.ok(isWellFormedId(id), id);
  assert.equal(new Set(ids).size, ids.length, 'distinct');
  assert.match(
    runJobId(runs.find((run) => run.id === 'fixed-1-0.3-1.2-seed2')!),
    /^fixed-1-0_3-1_2-seed2-[0-9a-f]{12}$/,
  );
});
