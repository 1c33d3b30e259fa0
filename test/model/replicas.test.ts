/**
 * Data-parallel replicas in the trainer: N replica threads equal one process at the same global batch,
 * nothing leaks on any replica, and a replica that fails ends the run cleanly.
 */
import assert from 'node:assert/strict';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { LayersModel } from '@tensorflow/tfjs';
import { ReplicaError, TrainingAbortedError } from '../../src/errors.js';
import { listCheckpoints } from '../../src/model/checkpoint.js';
import { buildNetwork } from '../../src/model/network.js';
import { resolveOptimizerSpec, type OptimizerSpec } from '../../src/model/optimizers.js';
import type { ReplicaFault } from '../../src/model/replicas/replica-messages.js';
import { ReplicaGroup } from '../../src/model/replicas/replica-group.js';
import { TASKS } from '../../src/model/tasks.js';
import { train, type StepProgress, type TrainOptions } from '../../src/model/trainer.js';
import { createWeighting, type WeightingSpec } from '../../src/model/weighting/index.js';
import { selectBackend, tf } from '../../src/tf/index.js';
import { ghostBatchModel } from './helpers/ghost-batch-model.js';
import { memorySource } from './helpers/memory-source.js';

const SIZE = { height: 32, width: 64 };
const CLASSES = 4;
const tasks = [...TASKS];
// Why SGD: Adam's first updates are lr * sign(gradient), so float noise in a near-zero gradient element
// (summation order differs between one process and two) becomes a difference of 2 lr in that weight.
const optimizer = resolveOptimizerSpec({ name: 'sgd', learningRate: 0.01, schedule: 'constant' });
/** Why Adam where tensors are counted: tfjs' momentum optimiser keeps one scalar after `dispose`. */
const adam = resolveOptimizerSpec({ name: 'adam', learningRate: 0.01, schedule: 'constant' });
let dir: string;

before(async () => {
  await selectBackend('wasm');
  dir = await mkdtemp(join(tmpdir(), 'replicas-'));
});
after(async () => {
  await rm(dir, { recursive: true, force: true });
});

function tinyModel(): LayersModel {
  return buildNetwork({ width: 4, inputSize: [SIZE.height, SIZE.width], tasks, classes: CLASSES, seed: 7 });
}

/** 8 samples in batches of `batchSize`. */
const data = (batchSize = 4) => memorySource({ samples: 8, batchSize, ...SIZE, classes: CLASSES, seed: 3 });

function startGroup(
  model: LayersModel,
  replicas: number,
  weighting: WeightingSpec,
  fault?: ReplicaFault,
  spec: OptimizerSpec = optimizer,
): Promise<ReplicaGroup> {
  return ReplicaGroup.start({
    replicas,
    model,
    tasks,
    weighting,
    optimizer: spec,
    backend: 'wasm',
    ...(fault ? { fault } : {}),
  });
}

/** Trains `model` for `epochs` with `weighting`; returns the strategy's last snapshot. */
async function run(
  model: LayersModel,
  weighting: WeightingSpec,
  extra: Partial<TrainOptions> & { epochs?: number } = {},
) {
  const strategy = createWeighting(weighting, tasks);
  try {
    const result = await train({
      model,
      tasks,
      strategy,
      optimizer,
      epochs: 2,
      data: data(),
      ...extra,
    });
    return { result, snapshot: strategy.snapshot() };
  } finally {
    strategy.dispose();
  }
}

function values(model: LayersModel): Float32Array[] {
  return model.trainableWeights.map((w) => w.read().dataSync() as Float32Array);
}

/** Largest |a - b| over all elements, relative to the largest |b| of the same weight (at least 1e-3). */
function worstRelativeDifference(a: Float32Array[], b: Float32Array[]): number {
  let worst = 0;
  a.forEach((x, i) => {
    const y = b[i]!;
    const scale = Math.max(1e-3, ...Array.from(y, Math.abs));
    for (let j = 0; j < x.length; j++) worst = Math.max(worst, Math.abs(x[j]! - y[j]!) / scale);
  });
  return worst;
}

describe('data-parallel replicas', () => {
  for (const strategyName of ['uncertainty', 'gradnorm'] as const) {
    test(`2 replicas equal one process at the same global batch after 4 steps (${strategyName})`, async () => {
      const weighting: WeightingSpec = { strategy: strategyName };
      const reference = tinyModel();
      const replicated = tinyModel();
      const group = await startGroup(replicated, 2, weighting);
      try {
        const single = await run(ghostBatchModel(reference, 2), weighting);
        const parallel = await run(replicated, weighting, { replicas: group });
        assert.equal(parallel.result.steps, 4);
        const difference = worstRelativeDifference(values(replicated), values(reference));
        // Measured: 3-4e-5 after 4 steps (float summation order, amplified a little by batch norm).
        assert.ok(difference < 1e-3, `weights differ by ${difference} (relative)`);
        for (const task of tasks) {
          const a = parallel.snapshot.weights[task]!;
          const b = single.snapshot.weights[task]!;
          assert.ok(Math.abs(a - b) < 1e-4 * Math.max(1, Math.abs(b)), `${task} weight ${a} vs ${b}`);
          if (strategyName === 'uncertainty') {
            const s = parallel.snapshot.logVariances![task]!;
            const t = single.snapshot.logVariances![task]!;
            assert.ok(Math.abs(s - t) < 1e-5, `${task} log-variance ${s} vs ${t}`);
          }
        }
        const losses = (r: typeof single) => r.result.history.map((e) => e.losses.segmentation!);
        losses(parallel).forEach((loss, i) =>
          assert.ok(Math.abs(loss - losses(single)[i]!) < 1e-4, `epoch ${i + 1} loss`),
        );
        // Replica 1 applied the very same updates: its copy is identical, bit for bit (GradNorm's weights
        // are decided on replica 0 and reach it with the next step, so only learned ones are compared).
        const [probe] = await group.probe();
        assert.deepEqual(probe!.weights, values(replicated));
        if (strategyName === 'uncertainty') assert.deepEqual(probe!.weighting, parallel.snapshot);
      } finally {
        await group.close();
        reference.dispose();
        replicated.dispose();
      }
    });
  }

  test('no tensor leak per step on replica 0 or on the replica thread', async () => {
    const model = tinyModel();
    const group = await startGroup(model, 2, { strategy: 'uncertainty' });
    const main: number[] = [];
    const threads: number[] = [];
    try {
      await run(
        model,
        { strategy: 'uncertainty' },
        {
          replicas: group,
          onStep: async () => {
            main.push(tf.memory().numTensors);
            threads.push((await group.probe())[0]!.numTensors);
          },
        },
      );
    } finally {
      await group.close();
      model.dispose();
    }
    assert.equal(main.length, 4);
    // After the first step (which creates the optimisers' slots) the counts never change.
    assert.equal(new Set(main.slice(1)).size, 1, `replica 0: ${main}`);
    assert.equal(new Set(threads.slice(1)).size, 1, `replica 1: ${threads}`);
  });

  test('a batch smaller than the replicas: the replica without a sample adds nothing', async () => {
    const reference = tinyModel();
    const replicated = tinyModel();
    const group = await startGroup(replicated, 3, { strategy: 'uncertainty' });
    try {
      // Batches of 2 on 3 replicas: replica 2 has no sample of its own in any step.
      await run(ghostBatchModel(reference, 3), { strategy: 'uncertainty' }, { data: data(2), epochs: 1 });
      await run(replicated, { strategy: 'uncertainty' }, { data: data(2), epochs: 1, replicas: group });
      const difference = worstRelativeDifference(values(replicated), values(reference));
      assert.ok(difference < 1e-3, `weights differ by ${difference} (relative)`);
      const probes = await group.probe();
      for (const probe of probes) assert.deepEqual(probe.weights, values(replicated));
    } finally {
      await group.close();
      reference.dispose();
      replicated.dispose();
    }
  });

  test('stop and resume with replicas equals the uninterrupted replicated run, bit for bit', async () => {
    const weighting: WeightingSpec = { strategy: 'uncertainty' };
    const straight = tinyModel();
    const first = tinyModel();
    const resumed = buildNetwork({
      width: 4,
      inputSize: [SIZE.height, SIZE.width],
      tasks,
      classes: CLASSES,
      seed: 9,
    });
    const checkpointDir = join(dir, 'stop-resume');
    const groups = await Promise.all([straight, first, resumed].map((m) => startGroup(m, 2, weighting)));
    try {
      const uninterrupted = await run(straight, weighting, { replicas: groups[0]! });
      const controller = new AbortController();
      await assert.rejects(
        run(first, weighting, {
          replicas: groups[1]!,
          checkpointDir,
          signal: controller.signal,
          checkpointOnAbort: true,
          onStep: (p) => {
            if (p.step === 3) controller.abort('SIGTERM'); // 1 step into the second epoch
          },
        }),
        TrainingAbortedError,
      );
      assert.deepEqual(
        (await listCheckpoints(checkpointDir)).map((c) => c.name),
        ['epoch-0001', 'epoch-0001-step-000001'],
      );
      const again = await run(resumed, weighting, { replicas: groups[2]!, checkpointDir, resume: true });
      assert.equal(again.result.resumedFrom, 'epoch-0001-step-000001');
      assert.deepEqual(values(resumed), values(straight));
      assert.deepEqual(again.snapshot, uninterrupted.snapshot);
      assert.deepEqual((await groups[2]!.probe())[0]!.weights, values(straight));
    } finally {
      await Promise.all(groups.map((g) => g.close()));
      [straight, first, resumed].forEach((m) => m.dispose());
    }
  });

  const faults: {
    name: string;
    fault?: ReplicaFault;
    terminateAt?: number;
    error: RegExp;
    /** Also resume the run (once is enough: the same checkpoint is left each time). */
    retry?: boolean;
  }[] = [
    {
      name: 'throws in a step',
      fault: { rank: 1, step: 3, kind: 'throw' },
      error: /replica 1 failed: injected fault/,
      retry: true,
    },
    {
      name: 'ends its thread in a step',
      fault: { rank: 1, step: 3, kind: 'exit' },
      error: /replica thread 1 exited/,
    },
    { name: 'is terminated between steps', terminateAt: 3, error: /replica thread 1 exited/ },
  ];
  for (const { name, fault, terminateAt, error, retry } of faults) {
    test(`a replica thread that ${name} fails the run at once, with no half-written checkpoint`, async () => {
      const checkpointDir = join(dir, `fault-${name.replaceAll(' ', '-')}`);
      const before = tf.memory().numTensors;
      const model = tinyModel();
      const group = await startGroup(model, 2, { strategy: 'uncertainty' }, fault, adam);
      const steps: number[] = [];
      try {
        await assert.rejects(
          run(
            model,
            { strategy: 'uncertainty' },
            {
              replicas: group,
              optimizer: adam,
              checkpointDir,
              onStep: async (p: StepProgress) => {
                steps.push(p.step);
                if (p.step === terminateAt) await group.terminate(1);
              },
            },
          ),
          (err: unknown) => err instanceof ReplicaError && error.test(err.message),
        );
      } finally {
        await group.close();
        model.dispose();
      }
      assert.deepEqual(steps, terminateAt ? [1, 2, 3] : [1, 2], 'stopped in the failing step');
      // Only the checkpoint of the finished epoch, complete; no temporary directory left behind.
      assert.deepEqual(await readdir(checkpointDir), ['epoch-0001']);
      assert.equal(tf.memory().numTensors, before, 'replica 0 freed everything');

      if (!retry) return;
      // The retry resumes from that checkpoint (with a fresh group) and finishes.
      const retried = tinyModel();
      const fresh = await startGroup(retried, 2, { strategy: 'uncertainty' }, undefined, adam);
      try {
        const again = await run(
          retried,
          { strategy: 'uncertainty' },
          { replicas: fresh, optimizer: adam, checkpointDir, resume: true },
        );
        assert.equal(again.result.resumedFrom, 'epoch-0001');
        assert.equal(again.result.history.length, 2);
      } finally {
        await fresh.close();
        retried.dispose();
      }
    });
  }
});
