/**
 * Time of one training step of the project's network on the wasm backend, and where it goes.
 *
 *   npm run bench:train-step          # writes bench/results/train-step.md
 *
 * The trainer's own step (`trainStep`: the three task losses under uncertainty weighting, L2 decay on conv
 * kernels, Adam for the network and the log-variances), width 16, at 32x32 batch 2 (a step with almost no
 * arithmetic: the fixed cost of dispatch and autodiff), 64x128 and 128x256 batch 8. Three configurations
 * run interleaved, step by step, so that the load of the machine hits them alike:
 * - "now": every kernel of this project;
 * - "previous": the fused training kernels off (tfjs' own batch norm, loss and Adam ops) and tfjs' own
 *   Identity, Cast, Concat, Slice, SplitV and ResizeBilinearGrad back: the step as it was before them;
 * - "stock data movement": "now" with tfjs 4.22's own wasm Transpose, Unpack and Tile put back.
 * Then one step of "previous" and of "now" is profiled kernel by kernel.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { cpus, loadavg } from 'node:os';
import type { KernelConfig, Variable } from '@tensorflow/tfjs';
import type { SceneBatch } from '../src/data/batch.js';
import { buildNetwork } from '../src/model/network.js';
import { createOptimizer, createWeightingOptimizer, resolveOptimizerSpec } from '../src/model/optimizers.js';
import { trainStep, type StepContext } from '../src/model/train-step.js';
import type { Task } from '../src/model/tasks.js';
import { createWeighting } from '../src/model/weighting/index.js';
import {
  selectBackend,
  setFusedTrainingKernelsEnabled,
  stockWasmKernel,
  tf,
  WASM_TRAINING_KERNELS,
} from '../src/tf/index.js';

const WIDTH = 16;
const CLASSES = 19;
const TASKS: Task[] = ['segmentation', 'instances', 'depth'];
/** Timed steps per configuration (after one warm-up step each); the median is reported. */
const STEPS = 7;
/** [height, width, batch]: the fixed-cost step, and the two training sizes of the issue. */
const SIZES: [number, number, number][] = [
  [32, 32, 2],
  [64, 128, 8],
  [128, 256, 8],
];
/** Steps profiled per configuration (interleaved); each kernel's median time is reported. */
const PROFILED_STEPS = 3;
/** Kernels per profile table: the ones with the most time in either configuration. */
const PROFILE_ROWS = 14;

/** The data-movement kernels an earlier change replaced (the "stock data movement" column puts them back). */
const DATA_MOVEMENT = ['Transpose', 'Unpack', 'Tile'];
/** The stock kernels this change replaced, which "previous" puts back along with the fused kernels off. */
const REPLACED = ['Identity', 'Cast', 'Concat', 'Slice', 'SplitV', 'ResizeBilinearGrad'];
const ours = (names: string[]) => WASM_TRAINING_KERNELS.filter((k) => names.includes(k.kernelName));
const stock = (names: string[]) => names.map((name) => stockWasmKernel(name)!);

/** Registers `configs` for 'wasm' in place of whatever is registered under their names. */
function swapIn(configs: KernelConfig[]): void {
  for (const config of configs) {
    tf.unregisterKernel(config.kernelName, 'wasm');
    tf.registerKernel(config);
  }
}

interface Configuration {
  name: string;
  /** Puts the configuration in place (from any other). */
  enter(): void;
}

const CONFIGURATIONS: Configuration[] = [
  {
    name: 'previous',
    enter: () => {
      setFusedTrainingKernelsEnabled(false);
      swapIn([...ours(DATA_MOVEMENT), ...stock(REPLACED)]);
    },
  },
  {
    name: 'now',
    enter: () => {
      setFusedTrainingKernelsEnabled(true);
      swapIn(ours([...DATA_MOVEMENT, ...REPLACED]));
    },
  },
  {
    name: 'stock data movement',
    enter: () => {
      setFusedTrainingKernelsEnabled(true);
      swapIn([...stock(DATA_MOVEMENT), ...ours(REPLACED)]);
    },
  },
];

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

/** A random batch with every target, as the input pipeline yields it. */
function randomBatch(height: number, width: number, batch: number): Required<SceneBatch> {
  return tf.tidy(() => {
    const labels = tf.randomUniform([batch, height, width], 0, CLASSES, 'int32', 2);
    // A tenth of the pixels unlabelled, as in CityScapes-like data.
    const ignored = tf.less(tf.randomUniform([batch, height, width], 0, 1, 'float32', 3), 0.1);
    return {
      images: tf.randomUniform([batch, height, width, 3], -1, 1, 'float32', 1),
      labels: tf.where(ignored, tf.fill([batch, height, width], 255, 'int32'), labels),
      offsets: tf.randomNormal([batch, height, width, 2], 0, 8, 'float32', 4),
      offsetMask: tf.cast(
        tf.greater(tf.randomUniform([batch, height, width, 1], 0, 1, 'float32', 5), 0.5),
        'float32',
      ),
      disparity: tf.randomUniform([batch, height, width, 1], 0, 32, 'float32', 6),
      disparityMask: tf.ones([batch, height, width, 1]),
    } as Required<SceneBatch>;
  });
}

/** The trainer's step context for a fresh network at `size`. */
function stepContext(height: number, width: number): StepContext {
  const model = buildNetwork({
    width: WIDTH,
    inputSize: [height, width],
    tasks: TASKS,
    classes: CLASSES,
    seed: 1,
  });
  const spec = resolveOptimizerSpec({});
  return {
    model,
    tasks: TASKS,
    strategy: createWeighting({ strategy: 'uncertainty' }, TASKS),
    optimizer: createOptimizer(spec),
    weightingOptimizer: createWeightingOptimizer(spec),
    networkVariables: model.trainableWeights.map((w) => w.read() as Variable),
    decayed: new Set(
      model.trainableWeights
        .filter((w) => w.name.endsWith('/kernel'))
        .map((w) => (w.read() as Variable).name),
    ),
    weightDecay: spec.weightDecay,
  };
}

interface KernelProfile {
  totalMs: number;
  calls: number;
  byKernel: Map<string, { ms: number; calls: number }>;
}

async function profileStep(step: () => void): Promise<KernelProfile> {
  const profile = await tf.profile(step);
  const byKernel = new Map<string, { ms: number; calls: number }>();
  // Entries named `<op>__op` are op wrappers around kernels that are listed too: counting them would
  // count their kernels twice.
  for (const kernel of profile.kernels.filter((k) => !k.name.endsWith('__op'))) {
    const entry = byKernel.get(kernel.name) ?? { ms: 0, calls: 0 };
    entry.ms += Number(kernel.kernelTimeMs) || 0;
    entry.calls++;
    byKernel.set(kernel.name, entry);
  }
  const entries = [...byKernel.values()];
  return {
    totalMs: entries.reduce((sum, e) => sum + e.ms, 0),
    calls: entries.reduce((sum, e) => sum + e.calls, 0),
    byKernel,
  };
}

/** Per kernel, the median time over the profiled steps (calls are the same in every step). */
function medianProfile(steps: KernelProfile[]): KernelProfile {
  const byKernel = new Map<string, { ms: number; calls: number }>();
  for (const name of new Set(steps.flatMap((p) => [...p.byKernel.keys()]))) {
    byKernel.set(name, {
      ms: median(steps.map((p) => p.byKernel.get(name)?.ms ?? 0)),
      calls: steps[0]!.byKernel.get(name)?.calls ?? 0,
    });
  }
  return { totalMs: median(steps.map((p) => p.totalMs)), calls: steps[0]!.calls, byKernel };
}

function profileTable(label: string, before: KernelProfile, after: KernelProfile): string {
  const names = new Set([...before.byKernel.keys(), ...after.byKernel.keys()]);
  const most = (name: string) =>
    Math.max(before.byKernel.get(name)?.ms ?? 0, after.byKernel.get(name)?.ms ?? 0);
  const rows = [...names].sort((a, b) => most(b) - most(a)).slice(0, PROFILE_ROWS);
  const cell = (p: KernelProfile, name: string) => {
    const e = p.byKernel.get(name);
    return e === undefined ? '– | –' : `${e.ms.toFixed(1)} | ${e.calls}`;
  };
  return (
    `Kernels of one step at ${label}, previous vs now:\n\n` +
    '| kernel | previous ms | calls | now ms | calls |\n|---|---:|---:|---:|---:|\n' +
    rows.map((name) => `| ${name} | ${cell(before, name)} | ${cell(after, name)} |`).join('\n') +
    `\n| **all kernels** | **${before.totalMs.toFixed(0)}** | **${before.calls}** | **${after.totalMs.toFixed(0)}** | **${after.calls}** |`
  );
}

async function main(): Promise<void> {
  const info = await selectBackend('wasm');
  const rows: string[] = [];
  const profiles: string[] = [];
  const loads: number[] = [];
  for (const [height, width, batch] of SIZES) {
    const context = stepContext(height, width);
    const data = randomBatch(height, width, batch);
    const step = () => void trainStep(context, data);
    const times = new Map(CONFIGURATIONS.map((c) => [c.name, [] as number[]]));
    for (let i = -1; i < STEPS; i++) {
      for (const configuration of CONFIGURATIONS) {
        configuration.enter();
        const start = performance.now();
        step();
        if (i >= 0) times.get(configuration.name)!.push(performance.now() - start);
      }
      loads.push(loadavg()[0]!);
    }
    const [previous, now, stockMovement] = CONFIGURATIONS.map((c) => median(times.get(c.name)!)) as [
      number,
      number,
      number,
    ];
    rows.push(
      `| ${height}x${width} | ${batch} | ${previous.toFixed(0)} | ${now.toFixed(0)} | ${(previous / now).toFixed(2)}x | ${stockMovement.toFixed(0)} |`,
    );
    console.log(rows.at(-1));

    const profiled: [KernelProfile[], KernelProfile[]] = [[], []];
    for (let i = 0; i < PROFILED_STEPS; i++) {
      for (const k of [0, 1] as const) {
        CONFIGURATIONS[k]!.enter();
        profiled[k].push(await profileStep(step));
      }
    }
    profiles.push(
      profileTable(
        `${height}x${width}, batch ${batch}`,
        medianProfile(profiled[0]),
        medianProfile(profiled[1]),
      ),
    );
    tf.dispose(Object.values(data));
    context.optimizer.dispose();
    context.weightingOptimizer.dispose();
    context.strategy.dispose();
    context.model.dispose();
  }
  const cpu = cpus()[0]?.model ?? 'unknown CPU';
  const load = `${Math.min(...loads).toFixed(1)}-${Math.max(...loads).toFixed(1)}`;
  const report = `# One training step on the wasm backend

Command: \`npm run bench:train-step\` (bench/train-step.ts), ${new Date().toISOString().slice(0, 10)}.
Machine: ${cpus().length} x ${cpu}; Node ${process.version}; tfjs ${info.tfjsVersion}; backend ${info.name}
(SIMD ${info.wasm?.simd ? 'on' : 'off'}, ${info.wasm?.threads ?? 1} thread, ${info.wasm?.convGradients} conv gradients).
Load average (1 min) during the run: ${load} (the machine's other work; the configurations are interleaved
step by step, so it hits them alike).

The trainer's step (\`trainStep\`): the project's network (width ${WIDTH}, all three heads, ${CLASSES} classes), the
three task losses under uncertainty weighting, L2 decay on conv kernels, Adam. Median of ${STEPS} steps after a
warm-up, in ms.
- "previous": the fused training kernels off (tfjs' own batch norm, softmax cross-entropy and Adam ops) and
  tfjs' own ${REPLACED.join(', ')}: the step before them;
- "now": all of this project's kernels;
- "stock data movement": "now" with tfjs 4.22's own wasm ${DATA_MOVEMENT.join(', ')} (which
  src/tf/kernels/{transpose,unpack,tile}.ts replace).

32x32 at batch 2 has almost no arithmetic: it shows the fixed cost of dispatch and autodiff.

| image | batch | step, previous | step, now | speed-up | step, stock data movement |
|---|---:|---:|---:|---:|---:|
${rows.join('\n')}

The profiles below time each kernel inside \`tf.profile\` (which adds its own overhead per call), median of
${PROFILED_STEPS} profiled steps per configuration, interleaved; the gap between a step and its kernels is the JavaScript
around them (dispatch, autodiff, the tape).

${profiles.join('\n\n')}
`;
  await mkdir('bench/results', { recursive: true });
  await writeFile('bench/results/train-step.md', report);
  console.log('wrote bench/results/train-step.md');
}

await main();
