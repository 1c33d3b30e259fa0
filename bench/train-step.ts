/**
 * Time of one training step of the project's network on the wasm backend, and where it goes.
 *
 *   npm run bench:train-step          # writes bench/results/train-step.md
 *
 * Batch 8, width 16, all three heads with their real losses (summed with unit weights) and Adam, at 64x128
 * and 128x256. Each size is timed with this project's wasm kernels, and again with tfjs 4.22's stock
 * Transpose, Unpack and Tile put back (the data-movement kernels this project replaces for speed; the
 * conv gradients are needed either way). The kernel profile of one step shows what remains.
 */
import { writeFile, mkdir } from 'node:fs/promises';
import { cpus } from 'node:os';
import type { KernelConfig, Scalar, Tensor } from '@tensorflow/tfjs';
import { selectBackend, stockWasmKernel, tf, WASM_TRAINING_KERNELS } from '../src/tf/index.js';
import { buildNetwork } from '../src/model/network.js';
import { depthLoss, instanceLoss, segmentationLoss } from '../src/model/losses.js';

const BATCH = 8;
const WIDTH = 16;
const CLASSES = 19;
/** Timed steps per configuration (after one warm-up step); the median is reported. */
const STEPS = 5;
/** The replaced kernels that tfjs already has, which the comparison swaps back in. */
const DATA_MOVEMENT = ['Transpose', 'Unpack', 'Tile'];
const IMAGE_SIZES: [number, number][] = [
  [64, 128],
  [128, 256],
];

/** Registers `configs` for 'wasm' in place of whatever is registered under their names. */
function swapIn(configs: KernelConfig[]): void {
  for (const config of configs) {
    tf.unregisterKernel(config.kernelName, 'wasm');
    tf.registerKernel(config);
  }
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

async function main(): Promise<void> {
  const info = await selectBackend('wasm');
  const ours = WASM_TRAINING_KERNELS.filter((k) => DATA_MOVEMENT.includes(k.kernelName));
  const stock = DATA_MOVEMENT.map((name) => stockWasmKernel(name)!);
  const rows: string[] = [];
  const profiles: string[] = [];
  for (const [height, width] of IMAGE_SIZES) {
    const model = buildNetwork({
      width: WIDTH,
      inputSize: [height, width],
      tasks: ['segmentation', 'instances', 'depth'],
      classes: CLASSES,
      seed: 1,
    });
    const image = tf.randomUniform([BATCH, height, width, 3]);
    const labels = tf.randomUniform([BATCH, height, width], 0, CLASSES, 'int32');
    const offsets = tf.randomNormal([BATCH, height, width, 2], 0, 8);
    const disparity = tf.randomUniform([BATCH, height, width, 1], 0, 32);
    const mask = tf.onesLike(disparity);
    const optimizer = tf.train.adam(1e-3);
    const step = () => {
      const loss = optimizer.minimize(() => {
        const [seg, inst, depth] = model.apply(image, { training: true }) as Tensor[];
        return tf.addN([
          segmentationLoss(seg!, labels),
          instanceLoss(inst!, offsets, mask),
          depthLoss(depth!, disparity, mask),
        ]) as Scalar;
      }, true);
      loss!.dataSync();
      loss!.dispose();
    };
    const time = () => {
      step(); // warm-up
      const times: number[] = [];
      for (let i = 0; i < STEPS; i++) {
        const start = performance.now();
        step();
        times.push(performance.now() - start);
      }
      return median(times);
    };
    const withOurs = time();
    swapIn(stock);
    const withStock = time();
    swapIn(ours);
    rows.push(
      `| ${height}x${width} | ${withOurs.toFixed(0)} | ${withStock.toFixed(0)} | ${(withStock / withOurs).toFixed(2)}x |`,
    );
    console.log(rows.at(-1));

    const profile = await tf.profile(() => step());
    const byKernel = new Map<string, { ms: number; calls: number }>();
    // Entries named `<op>__op` are op wrappers around kernels that are listed too: counting them would
    // count their kernels twice.
    for (const kernel of profile.kernels.filter((k) => !k.name.endsWith('__op'))) {
      const entry = byKernel.get(kernel.name) ?? { ms: 0, calls: 0 };
      entry.ms += Number(kernel.kernelTimeMs) || 0;
      entry.calls++;
      byKernel.set(kernel.name, entry);
    }
    const total = [...byKernel.values()].reduce((sum, e) => sum + e.ms, 0);
    const top = [...byKernel.entries()].sort((a, b) => b[1].ms - a[1].ms).slice(0, 10);
    profiles.push(
      `Kernels of one step at ${height}x${width} (profiled step: ${total.toFixed(0)} ms in kernels):\n\n` +
        '| kernel | ms | calls | share |\n|---|---:|---:|---:|\n' +
        top
          .map(
            ([name, e]) =>
              `| ${name} | ${e.ms.toFixed(1)} | ${e.calls} | ${((100 * e.ms) / total).toFixed(0)}% |`,
          )
          .join('\n'),
    );
    tf.dispose([image, labels, offsets, disparity, mask]);
    optimizer.dispose();
    model.dispose();
  }
  const cpu = cpus()[0]?.model ?? 'unknown CPU';
  const report = `# One training step on the wasm backend

Command: \`npm run bench:train-step\` (bench/train-step.ts), ${new Date().toISOString().slice(0, 10)}.
Machine: ${cpus().length} x ${cpu}; Node ${process.version}; tfjs ${info.tfjsVersion}; backend ${info.name}
(SIMD ${info.wasm?.simd ? 'on' : 'off'}, ${info.wasm?.threads ?? 1} thread, ${info.wasm?.convGradients} conv gradients).

The project's network (width ${WIDTH}, all three heads, ${CLASSES} classes), batch ${BATCH}, the three task losses
summed, Adam. Median of ${STEPS} steps after a warm-up step, in ms. "stock data movement" puts tfjs 4.22's own
wasm ${DATA_MOVEMENT.join(', ')} back in place of this project's (src/tf/kernels/{transpose,unpack,tile}.ts);
the conv gradients are this project's in both columns (tfjs has no wasm Conv2DBackpropFilter). Absolute times
move by up to ~40% between runs on this shared 2-core VM; read the ratio, measured minutes apart.

| image | step, project kernels | step, stock data movement | speed-up |
|---|---:|---:|---:|
${rows.join('\n')}

${profiles.join('\n\n')}
`;
  await mkdir('bench/results', { recursive: true });
  await writeFile('bench/results/train-step.md', report);
  console.log('wrote bench/results/train-step.md');
}

await main();
