import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { TrainingAbortedError } from '../../src/errors.js';
import { loadModel, type ModelManifest } from '../../src/model/artifacts.js';
import { listCheckpoints } from '../../src/model/checkpoint.js';
import { jobCheckpointDir, runTrainingJob } from '../../src/model/training-job.js';
import { parseTrainingSpec } from '../../src/model/training-spec.js';
import { selectBackend, tf } from '../../src/tf/index.js';

let artifactDir: string;
const spec = (epochs: number) =>
  parseTrainingSpec({
    dataset: { kind: 'synthetic', scenes: 8, validationScenes: 2, size: [64, 128], seed: 4 },
    weighting: { strategy: 'uncertainty' },
    model: { width: 8, inputSize: [64, 128] },
    training: { epochs, batchSize: 2, learningRate: 0.005 },
  });

before(async () => {
  await selectBackend('wasm');
  artifactDir = await mkdtemp(join(tmpdir(), 'job-'));
});
after(async () => {
  await rm(artifactDir, { recursive: true, force: true });
});

test('a job on generated data lowers every task loss and writes a loadable model with its manifest', async () => {
  const before = tf.memory().numTensors;
  const result = await runTrainingJob(spec(4), { jobId: 'job-a', dataDir: artifactDir, artifactDir });
  assert.equal(tf.memory().numTensors, before, 'no tensor left behind by a whole job');
  assert.equal(result.history.length, 4);
  for (const task of ['segmentation', 'instances', 'depth'] as const) {
    const first = result.history[0]!.losses[task]!;
    const last = result.history.at(-1)!.losses[task]!;
    assert.ok(last < first, `${task} loss fell: ${first.toFixed(3)} -> ${last.toFixed(3)}`);
  }
  const manifest = JSON.parse(
    await readFile(join(artifactDir, 'models', 'job-a', 'manifest.json'), 'utf8'),
  ) as ModelManifest;
  assert.deepEqual(manifest.tasks, ['segmentation', 'instances', 'depth']);
  assert.equal(manifest.classes.length, 19);
  assert.deepEqual(manifest.inputSize, [64, 128]);
  assert.equal(manifest.weighting.strategy, 'uncertainty');
  assert.equal(Object.keys(manifest.weighting.logVariances ?? {}).length, 3);
  // The end state and the per-epoch trajectory of s, sigma, s* and s - s*.
  for (const report of [manifest.weighting, ...manifest.history]) {
    for (const field of ['logVariances', 'sigmas', 'optimalLogVariances', 'logVarianceGaps'] as const) {
      assert.equal(Object.keys(report[field] ?? {}).length, 3, field);
    }
  }
  assert.deepEqual(manifest.weighting.logVarianceGaps, manifest.history.at(-1)!.logVarianceGaps);
  assert.ok(manifest.camera && manifest.camera.fx > 0);
  assert.equal(manifest.backend.name, 'wasm');
  const headline = (manifest.metrics as { headline: Record<string, number | null> }).headline;
  assert.ok(
    headline.meanIoU !== null && headline.instanceErrorPx !== null && headline.disparityErrorPx !== null,
  );
  const { model } = await loadModel(artifactDir, 'job-a');
  assert.equal(model.outputs.length, 3);
  model.dispose();
});

test('an aborted job checkpoints mid-epoch and the rerun resumes from there', async () => {
  const controller = new AbortController();
  await assert.rejects(
    runTrainingJob(spec(2), {
      jobId: 'job-b',
      dataDir: artifactDir,
      artifactDir,
      signal: controller.signal,
      checkpointOnAbort: true,
      onStep: (p) => {
        if (p.step === 1) controller.abort('SIGTERM');
      },
    }),
    TrainingAbortedError,
  );
  const checkpoints = await listCheckpoints(jobCheckpointDir(artifactDir, 'job-b'));
  assert.deepEqual(
    checkpoints.map((c) => c.name),
    ['epoch-0000-step-000001'],
  );
  const steps: number[] = [];
  const result = await runTrainingJob(spec(2), {
    jobId: 'job-b',
    dataDir: artifactDir,
    artifactDir,
    onStep: (p) => void steps.push(p.step),
  });
  assert.equal(result.resumedFrom, 'epoch-0000-step-000001');
  assert.deepEqual(steps, [2, 3, 4, 5, 6, 7, 8], 'the step count continues');
  assert.equal(result.steps, 8);
});

test('a job id is checked before use, and checkpoints of another spec are never resumed', async () => {
  await assert.rejects(runTrainingJob(spec(1), { jobId: '../escape', dataDir: artifactDir, artifactDir }), {
    code: 'VALIDATION_ERROR',
  });
  // job-a (4 epochs, uncertainty) has checkpoints: the same id with another spec is refused...
  const other = parseTrainingSpec({ ...spec(4), weighting: { strategy: 'equal' } });
  await assert.rejects(runTrainingJob(other, { jobId: 'job-a', dataDir: artifactDir, artifactDir }), {
    code: 'CONFLICT',
  });
  // ...while the same spec resumes from its last checkpoint (nothing left to train) and saves its model again.
  const again = await runTrainingJob(spec(4), { jobId: 'job-a', dataDir: artifactDir, artifactDir });
  assert.equal(again.resumedFrom, 'epoch-0004');
  const { model } = await loadModel(artifactDir, 'job-a');
  model.dispose();
});
