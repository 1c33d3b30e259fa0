import assert from 'node:assert/strict';
import { mkdtemp, readdir, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import {
  planRuns,
  prepareExperimentDataset,
  readStoredResult,
  studyResultsDir,
  studyRunCurveFile,
  summariseExperiment,
  type ExperimentPlan,
  type PlannedRun,
} from '../../src/experiments/index.js';
import type { JobProgressRecord } from '../../src/queue/job-schemas.js';
import type { TrainingChildJob } from '../../workers/training-child-protocol.js';

let root: string;
let dataDir: string;
let artifactDir: string;

/** One learned row, one seed, 2 steps at 32x64 and width 4; a curve point every step. */
const plan: ExperimentPlan = {
  name: 'study-run-test',
  dataset: { kind: 'synthetic', train: 4, validation: 2, test: 2, size: [32, 64], seed: 5 },
  model: { width: 4, inputSize: [32, 64] },
  training: { epochs: 1, batchSize: 2, learningRate: 0.005 },
  rows: [
    {
      id: 'uncertainty',
      label: 'uncertainty',
      group: 'learned',
      tasks: ['segmentation', 'instances', 'depth'],
      weighting: { strategy: 'uncertainty' },
    },
  ],
  seeds: [1],
  curveEvery: 1,
};

before(async () => {
  root = await mkdtemp(join(tmpdir(), 'study-run-'));
  // The processor reads its directories from the environment (getConfig), once per process.
  ({ dataDir } = await prepareExperimentDataset(plan.dataset, { workDir: join(root, 'data') }));
  artifactDir = join(root, 'artifacts');
  Object.assign(process.env, {
    DATA_DIR: dataDir,
    ARTIFACT_DIR: artifactDir,
    TF_BACKEND: 'wasm',
    LOG_LEVEL: 'warn',
  });
});

after(async () => {
  await rm(root, { recursive: true, force: true });
});

/** A training job as the worker hands it to its child, recording the progress it publishes. */
function childJob(id: string, run: PlannedRun, studyId?: string) {
  const published: JobProgressRecord[] = [];
  const job: TrainingChildJob = {
    id,
    data: {
      spec: run.spec.training,
      submittedAt: new Date().toISOString(),
      ...(studyId ? { study: { id: studyId, run: run as unknown as Record<string, unknown> } } : {}),
    },
    progress: undefined,
    attemptsMade: 0,
    updateProgress: async (record) => {
      published.push(record);
    },
  };
  return { job, published };
}

test('a study run is trained, scored on its test split and written to the study results store', async () => {
  const { default: processTrainingJob } = await import('../../workers/training-processor.js');
  const [run] = planRuns(plan);
  const { job } = childJob('study-a-run-0', run!, 'study-a');
  const training = await processTrainingJob(job);

  const dir = studyResultsDir(artifactDir, 'study-a');
  const stored = await readStoredResult(dir, run!);
  assert.equal(stored.state, 'done');
  if (stored.state !== 'done') return;
  const result = stored.result;
  assert.equal(result.specHash, run!.specHash);
  assert.equal(result.steps, training.steps);
  assert.equal(training.steps, 2);
  // The test split is scored (the validation metrics are the last epoch's, as in the job's result).
  const test = result.metrics.test as { headline?: Record<string, unknown> };
  assert.ok(test.headline && typeof test.headline['meanIoU'] === 'number', 'test-split headline metrics');
  assert.deepEqual(result.metrics.validation, training.metrics);
  // One curve point per step (curveEvery 1), the same in the result and in the job's curve file.
  assert.deepEqual(
    result.curve.map((p) => p.step),
    [1, 2],
  );
  const lines = (await readFile(studyRunCurveFile(artifactDir, 'study-a-run-0'), 'utf8')).trim().split('\n');
  assert.deepEqual(
    lines.map((line) => (JSON.parse(line) as { step: number }).step),
    [1, 2],
  );
  assert.ok(result.final.logVariances, 'the learned log-variances of an uncertainty row');
  // The table of the study is the experiment library's, from the store's files.
  const summary = summariseExperiment(plan, [result]);
  assert.equal(summary.rows[0]?.seedsDone, 1);
  assert.equal(summary.runsDone, 1);
});

test('an ordinary training job writes no study result', async () => {
  const { default: processTrainingJob } = await import('../../workers/training-processor.js');
  const [run] = planRuns(plan);
  const { job, published } = childJob('plain-job', run!);
  await processTrainingJob(job);
  assert.ok(published.length > 0, 'progress was published');
  // The only study results are the first test's.
  assert.deepEqual(await readdir(join(artifactDir, 'studies')), ['study-a']);
  await assert.rejects(stat(studyRunCurveFile(artifactDir, 'plain-job')), { code: 'ENOENT' });
});

test('a study run that does not hold together fails at once, before training, and writes nothing', async () => {
  const { default: processTrainingJob } = await import('../../workers/training-processor.js');
  const [run] = planRuns(plan);
  const cases: [string, (job: TrainingChildJob) => void, RegExp][] = [
    ['bad-study-id', (job) => (job.data.study!.id = '../elsewhere'), /^study\.id must be a well-formed id/],
    [
      'bad-run-id',
      (job) => (job.data.study!.run = { ...run!, id: '../../x' } as never),
      /^study\.run\.id must match/,
    ],
    [
      'bad-hash',
      (job) => (job.data.study!.run = { ...run!, specHash: 'f'.repeat(64) } as never),
      /^study\.run\.specHash does not match/,
    ],
    [
      'other-spec',
      (job) =>
        (job.data.spec = {
          ...run!.spec.training,
          training: { ...run!.spec.training.training, seed: 99 },
        }),
      /^spec differs from study\.run\.spec\.training/,
    ],
  ];
  for (const [id, spoil, message] of cases) {
    const { job, published } = childJob(id, run!, 'study-b');
    spoil(job);
    await assert.rejects(processTrainingJob(job), (err: Error) => {
      assert.equal(err.name, 'UnrecoverableError', id);
      assert.match(err.message, message, id);
      return true;
    });
    assert.equal(published.at(-1)?.error?.code, 'VALIDATION_ERROR', id);
    await assert.rejects(stat(studyRunCurveFile(artifactDir, id)), { code: 'ENOENT' });
  }
  assert.deepEqual(await readdir(join(artifactDir, 'studies')), ['study-a'], 'no result of study-b');
});
