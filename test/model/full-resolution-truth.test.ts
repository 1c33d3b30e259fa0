import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { runTrainingJob } from '../../src/model/training-job.js';
import { prepareDataset } from '../../src/model/training-dataset.js';
import { parseTrainingSpec } from '../../src/model/training-spec.js';
import { cityscapesGroundTruth } from '../../src/model/full-resolution-truth.js';
import { selectBackend } from '../../src/tf/index.js';
import { tempDir } from '../helpers/training.js';

let dir: { path: string; remove: () => Promise<void> };

before(async () => {
  await selectBackend('wasm');
  dir = await tempDir('full-res');
});
after(async () => {
  await dir.remove();
});

test('a CityScapes-layout job is scored at the ground truth resolution, PQ from its instanceIds', async () => {
  // The generator writes CityScapes layout at 64x256; the network trains at 32x128.
  const dataset = await prepareDataset(
    { kind: 'synthetic', scenes: 2, validationScenes: 1, size: [64, 256], seed: 1 },
    { dataDir: dir.path, artifactDir: dir.path },
  );
  const truthOf = await cityscapesGroundTruth(dataset.dataDir, dataset.path, dataset.validationSplit);
  assert.equal(await truthOf('val/nowhere/none'), undefined);
  const spec = parseTrainingSpec({
    dataset: { kind: 'cityscapes', path: dataset.path },
    tasks: ['segmentation', 'instances', 'depth'],
    weighting: { strategy: 'uncertainty' },
    model: { width: 4, inputSize: [32, 128] },
    training: { epochs: 1, batchSize: 2, replicas: 1 },
  });
  const result = await runTrainingJob(spec, {
    jobId: 'full-res',
    dataDir: dataset.dataDir,
    artifactDir: dir.path,
  });
  const metrics = result.metrics as {
    resolution: unknown;
    segmentation: { pixels: number };
    panoptic?: unknown;
  };
  assert.deepEqual(metrics.resolution, { mode: 'full', height: 64, width: 256 });
  // Every labelled pixel of the full-resolution ground truth was scored (none at the input size).
  assert.ok(metrics.segmentation.pixels > 32 * 128, `pixels scored: ${metrics.segmentation.pixels}`);
  assert.ok(metrics.panoptic !== undefined);
});
