import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { test } from 'node:test';
import {
  DEFAULT_FIXED_GRID,
  planRuns,
  weightingStudyRows,
  type ExperimentPlan,
} from '../../src/experiments/index.js';
import { isWellFormedId } from '../../src/model/ids.js';
import { studyRunJobId } from '../../src/queue/study-view.js';

const plan: ExperimentPlan = {
  name: 'ids',
  dataset: { kind: 'synthetic', train: 8, validation: 4, test: 4, size: [32, 64], seed: 3 },
  model: { width: 4, inputSize: [32, 64] },
  training: { epochs: 1, batchSize: 4 },
  rows: weightingStudyRows(DEFAULT_FIXED_GRID),
  seeds: [1, 2],
  curveEvery: 1,
};

test('every run of the weighting rows gets a job id the model store accepts, though fixed-weight rows have dots', () => {
  const runs = planRuns(plan);
  assert.ok(
    runs.some((run) => run.id.includes('.')),
    'the grid rows have dots in their ids',
  );
  const studyId = randomUUID();
  const ids = runs.map((_, k) => studyRunJobId(studyId, k));
  for (const id of ids) assert.ok(isWellFormedId(id), id);
  assert.equal(new Set(ids).size, ids.length, 'distinct');
  assert.equal(new Set(runs.map((run) => run.specHash)).size, runs.length, 'every run its own spec hash');
});
