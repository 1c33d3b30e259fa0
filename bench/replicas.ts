/**
 * One training step with 1 replica against 2 replicas (threads) at the same global batch, interleaved.
 *
 *   npm run bench:replicas          # writes bench/results/replicas.md
 *
 * The project's network (width 16, all three heads, 19 classes), batch 8, uncertainty weighting, Adam, at
 * 64x128 and 128x256, on the wasm backend. Each round times one single-process step, then one step of the
 * replica group (replica 0 in this thread on 4 samples, replica 1 in a thread on the other 4: the batch
 * read back and cut, both passes, the all-reduce of the gradients through shared memory, both updates).
 */
import { busyCoresBetween, machineTicks } from './reference/machine-load.js';
import { mkdir, writeFile } from 'node:fs/promises';
import { cpus, loadavg } from 'node:os';
import type { LayersModel } from '@tensorflow/tfjs';
import { disposeBatch, type SceneBatch } from '../src/data/batch.js';
import { buildNetwork } from '../src/model/network.js';
import { createOptimizer, createWeightingOptimizer, resolveOptimizerSpec } from '../src/model/optimizers.js';
import { ReplicaGroup } from '../src/model/replicas/replica-group.js';
import { TASKS } from '../src/model/tasks.js';
import { trainStep } from '../src/model/train-step.js';
import { createStepContext } from '../src/model/trainer.js';
import { createWeighting, type WeightingSpec } from '../src/model/weighting/index.js';
import { selectBackend, tf } from '../src/tf/index.js';

const BATCH = 8;
const WIDTH = 16;
const CLASSES = 19;
/** Timed rounds per size (after two warm-up rounds); medians are reported. Why 15: a stable median on a shared machine. */
const ROUNDS = 15;
const WARM_UP = 2;
const IMAGE_SIZES: [number, number][] = [
  [64, 128],
  [128, 256],
];
const tasks = [...TASKS];
const weighting: WeightingSpec = { strategy: 'uncertainty' };
const optimizer = resolveOptimizerSpec({ name: 'adam', schedule: 'constant' });

/** A batch of random images and targets (a tenth of the labels ignored, masks on three quarters). */
function randomBatch(height: number, width: number): SceneBatch {
  const shape: [number, number, number] = [BATCH, height, width];
  const mask = () => tf.tidy(() => tf.cast(tf.greater(tf.randomUniform([...shape, 1]), 0.25), 'float32'));
  const labels = tf.tidy(() => {
    const raw = tf.randomUniform(shape, 0, CLASSES + 2, 'int32');
    return tf.where(tf.greater(raw, CLASSES - 1), tf.fill(shape, 255, 'int32'), raw);
  });
  return {
    size: BATCH,
    names: Array.from({ length: BATCH }, (_, i) => `s${i}`),
    flipped: Array.from({ length: BATCH }, () => false),
    images: tf.randomUniform([...shape, 3], -1, 1),
    labels: labels as SceneBatch['labels'] & object,
    offsets: tf.randomNormal([...shape, 2], 0, 8),
    offsetMask: mask(),
    disparity: tf.randomUniform([...shape, 1], 0, 32),
    disparityMask: mask(),
  } as SceneBatch;
}

function context(model: LayersModel) {
  const strategy = createWeighting(weighting, tasks);
  const optimizers = { network: createOptimizer(optimizer), weighting: createWeightingOptimizer(optimizer) };
  return { step: createStepContext(model, tasks, strategy, optimizers, optimizer), strategy, optimizers };
}

/** Cores the machine kept busy on average between two {@link machineTicks} readings, as text. */
function busyCores(before: ReturnType<typeof machineTicks>, after: ReturnType<typeof machineTicks>): string {
  return busyCoresBetween(before, after, cpus().length)?.toFixed(2) ?? '?';
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

const range = (values: number[]): string =>
  `${Math.min(...values).toFixed(0)}-${Math.max(...values).toFixed(0)}`;

async function main(): Promise<void> {
  const info = await selectBackend('wasm');
  const rows: string[] = [];
  const loads: string[] = [];
  for (const [height, width] of IMAGE_SIZES) {
    const network = () =>
      buildNetwork({ width: WIDTH, inputSize: [height, width], tasks, classes: CLASSES, seed: 1 });
    const single = context(network());
    const replicated = context(network());
    const group = await ReplicaGroup.start({
      replicas: 2,
      model: replicated.step.model,
      tasks,
      weighting,
      optimizer,
      backend: 'wasm',
    });
    await group.attach(replicated.step, replicated.optimizers);
    const batch = randomBatch(height, width);
    const times = { one: [] as number[], two: [] as number[] };
    /** CPU time of the whole process (every thread) per step: the work, whatever the machine's load. */
    const cpu = { one: [] as number[], two: [] as number[] };
    const cpuMs = (since: NodeJS.CpuUsage): number => {
      const used = process.cpuUsage(since);
      return (used.user + used.system) / 1000;
    };
    const loadBefore = loadavg()[0]!;
    const ticksBefore = machineTicks();
    const startedAt = performance.now();
    const ownBefore = process.cpuUsage();
    for (let round = 0; round < WARM_UP + ROUNDS; round++) {
      let start = performance.now();
      let usage = process.cpuUsage();
      trainStep(single.step, batch);
      const one = performance.now() - start;
      const oneCpu = cpuMs(usage);
      start = performance.now();
      usage = process.cpuUsage();
      group.trainStep(replicated.step, batch, optimizer.learningRate);
      const two = performance.now() - start;
      const twoCpu = cpuMs(usage);
      if (round >= WARM_UP) {
        times.one.push(one);
        times.two.push(two);
        cpu.one.push(oneCpu);
        cpu.two.push(twoCpu);
      }
    }
    const own = process.cpuUsage(ownBefore);
    const ownCores = (own.user + own.system) / 1000 / (performance.now() - startedAt);
    loads.push(
      `${height}x${width}: load ${loadBefore.toFixed(1)} before, ${loadavg()[0]!.toFixed(1)} after; ` +
        `busy cores ${busyCores(ticksBefore, machineTicks())} of ${cpus().length}, ${ownCores.toFixed(2)} of them this benchmark`,
    );
    const [one, two] = [median(times.one), median(times.two)];
    rows.push(
      `| ${height}x${width} | ${one.toFixed(0)} (${range(times.one)}) | ${two.toFixed(0)} (${range(times.two)}) | ${(one / two).toFixed(2)}x | ${median(cpu.one).toFixed(0)} | ${median(cpu.two).toFixed(0)} | ${(median(cpu.one) / one).toFixed(2)} / ${(median(cpu.two) / two).toFixed(2)} |`,
    );
    console.log(rows.at(-1));
    await group.close();
    disposeBatch(batch);
    for (const run of [single, replicated]) {
      run.strategy.dispose();
      run.optimizers.network.dispose();
      run.optimizers.weighting.dispose();
      run.step.model.dispose();
    }
  }
  const cpu = cpus()[0]?.model ?? 'unknown CPU';
  const report = `# Data-parallel replicas: one training step, 1 against 2 replicas

Command: \`npm run bench:replicas\` (bench/replicas.ts), ${new Date().toISOString().slice(0, 10)}.
Machine: ${cpus().length} x ${cpu}; Node ${process.version}; tfjs ${info.tfjsVersion}; backend ${info.name}
(SIMD ${info.wasm?.simd ? 'on' : 'off'}, ${info.wasm?.threads ?? 1} thread per replica).

The project's network (width ${WIDTH}, all three heads, ${CLASSES} classes), global batch ${BATCH}, uncertainty
weighting, Adam. Each round times a single-process \`trainStep\` on the batch, then one step of a 2-replica
group on the same batch (replica 0 in this thread on ${BATCH / 2} samples, replica 1 in a worker thread on the
other ${BATCH / 2}; included: reading the batch back and cutting it, both forward and backward passes, the
all-reduce of gradients and batch-norm statistics through shared memory, both updates). Median (min-max) of
${ROUNDS} rounds after ${WARM_UP} warm-up rounds, in ms. "CPU" is the process's CPU time per step over all
its threads (median): the work a step costs. "cores used" is CPU time over wall time: up to 1 for one
replica and up to 2 for two when two cores are free; lower values mean other processes held the cores, and
then the wall times say more about the machine than about the replicas.

| image | 1 replica | 2 replicas | speed-up | CPU, 1 replica | CPU, 2 replicas | cores used, 1 / 2 |
|---|---:|---:|---:|---:|---:|---:|
${rows.join('\n')}

The machine while each size ran (one-minute load average; cores busy on average, and how many of them this
benchmark kept busy): ${loads.join('; ')}.

For comparison, the issue's earlier measurement on this machine: two separate processes each training
batch 4 at 128x256 at the same time took 428-433 ms per step, against 622-633 ms for one process at batch 8
(1.45x): the ceiling for two replicas, which add the all-reduce and share one step's synchronisation.
`;
  await mkdir('bench/results', { recursive: true });
  await writeFile('bench/results/replicas.md', report);
  console.log('wrote bench/results/replicas.md');
}

await main();
