/**
 * Throughput and memory of the data pipeline at 128x256.
 *
 *   npm run bench:data            # writes bench/results/data.md
 *
 * 1. Writes CityScapes-layout datasets of synthetic street scenes (`generateDataset` from
 *    src/data/synthetic/) into a temporary DATA_DIR, timing the generator (scenes/s) on the way.
 * 2. Pipeline samples/s from the PNGs (decode + targets + batch tensors) and from the preprocessed cache
 *    (shard read + batch tensors), each in a child process pinned to one core (`taskset -c 0` where it
 *    exists, with a libuv pool and sharp limited to one thread), consumer disposing every batch.
 * 3. Peak RSS of a child process streaming a dataset 10x larger than the pipeline's in-memory bound,
 *    beside what holding every decoded sample would take.
 *
 * The "Generator" section of the report is delimited by markers so the generator's own benchmark can replace
 * it with a more detailed measurement.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import sharp from 'sharp';
import { disposeBatch } from '../src/data/batch.js';
import { createDatasetPipeline, type DatasetPipelineOptions } from '../src/data/dataset-pipeline.js';
import { recordLayout } from '../src/data/shard-format.js';
import { generateDataset } from '../src/data/synthetic/index.js';
import { selectBackend } from '../src/tf/index.js';

/** Training resolution the issue asks about (height x width). */
const HEIGHT = 128;
const WIDTH = 256;
/** Batch size of every run. Why 8: the batch size the kernel benchmark and a CPU user would use. */
const BATCH = 8;
/** Samples of the throughput dataset. Why 256: 32 batches, long enough to average out start-up. */
const THROUGHPUT_SAMPLES = 256;
/** In-memory bound of the streaming run. Why 16: two batches of 8, the pipeline's default prefetch. */
const STREAM_BOUND = 16;
/** Samples streamed: 10x the bound, as the issue asks. */
const STREAM_SAMPLES = STREAM_BOUND * 10;
/** Epochs timed per run. Why 3: the first epoch warms caches and JIT; the best of the rest is reported. */
const EPOCHS = 3;
/** Epochs of the streaming run. Why 3: the peak after one pass and after three shows whether memory keeps growing. */
const STREAM_EPOCHS = 3;

const SELF = fileURLToPath(import.meta.url);

/**
 * Writes `count` synthetic scenes under `root/train/` with the project's generator and returns scenes/s.
 * Why the generator: its ray-cast scenes have natural textures and many instances, so PNG sizes and decode
 * times are those of realistic data, not of flat test patterns.
 */
async function writeDataset(root: string, count: number, seed: number): Promise<number> {
  const t0 = performance.now();
  await generateDataset({ outDir: root, scenes: count, width: WIDTH, height: HEIGHT, seed, split: 'train' });
  return count / ((performance.now() - t0) / 1000);
}

/** What a child process reports. */
interface ChildResult {
  mode: string;
  samples: number;
  /** Samples/s (wall clock) of each epoch. */
  epochs: number[];
  /** Samples per CPU-second (user + system time of the whole process) of each epoch. */
  cpuEpochs: number[];
  /** Peak RSS sampled while iterating, MiB. */
  peakRssMiB: number;
  /** RSS before the pipeline was created, MiB. */
  startRssMiB: number;
  /** Peak RSS so far at each quarter of the first epoch, MiB. */
  quarterPeakRssMiB: number[];
  /** Peak RSS so far at the end of each epoch, MiB. */
  epochPeakRssMiB: number[];
  /** Most decoded samples the pipeline held at once. */
  peakLive: number;
  backend: string;
}

/** Child process: runs one measurement and prints a JSON line. */
async function child(mode: 'png' | 'cache' | 'stream', dataDir: string, artifactDir: string): Promise<void> {
  sharp.concurrency(1);
  const info = await selectBackend('wasm');
  const startRss = process.memoryUsage.rss();
  const options: DatasetPipelineOptions = {
    dataDir,
    datasetPath: mode === 'stream' ? 'stream' : 'throughput',
    split: 'train',
    width: WIDTH,
    height: HEIGHT,
    batchSize: BATCH,
    training: true,
    seed: 1,
    maxSamplesInMemory: STREAM_BOUND,
    ...(mode === 'cache' ? { cache: { artifactDir } } : {}),
  };
  const pipeline = await createDatasetPipeline(options);
  let peakRss = process.memoryUsage.rss();
  const timer = setInterval(() => {
    peakRss = Math.max(peakRss, process.memoryUsage.rss());
  }, 5);
  const epochs: number[] = [];
  const cpuEpochs: number[] = [];
  const quarterPeaks: number[] = [];
  const total = pipeline.samplesPerEpoch;
  const epochPeaks: number[] = [];
  for (let epoch = 0; epoch < (mode === 'stream' ? STREAM_EPOCHS : EPOCHS); epoch++) {
    const t0 = performance.now();
    const cpu0 = process.cpuUsage();
    let n = 0;
    for await (const batch of pipeline.batches(epoch)) {
      n += batch.size;
      disposeBatch(batch);
      peakRss = Math.max(peakRss, process.memoryUsage.rss());
      if (epoch === 0 && n >= ((quarterPeaks.length + 1) * total) / 4) quarterPeaks.push(peakRss / 2 ** 20);
    }
    epochs.push(n / ((performance.now() - t0) / 1000));
    const cpu = process.cpuUsage(cpu0);
    cpuEpochs.push(n / ((cpu.user + cpu.system) / 1e6));
    epochPeaks.push(peakRss / 2 ** 20);
  }
  clearInterval(timer);
  const result: ChildResult = {
    mode,
    samples: pipeline.source.length,
    epochs,
    cpuEpochs,
    peakRssMiB: peakRss / 2 ** 20,
    startRssMiB: startRss / 2 ** 20,
    quarterPeakRssMiB: quarterPeaks,
    epochPeakRssMiB: epochPeaks,
    peakLive: pipeline.stats.peak,
    backend: info.name,
  };
  await pipeline.close();
  console.log(JSON.stringify(result));
}

/** Runs a child measurement, pinned to one core when `pin`. */
function runChild(mode: string, dataDir: string, artifactDir: string, pin: boolean): ChildResult {
  const node = [process.execPath, '--import', 'tsx', SELF, '--child', mode, dataDir, artifactDir];
  const hasTaskset = spawnSync('taskset', ['--version']).status === 0;
  const [cmd, ...args] = pin && hasTaskset ? ['taskset', '-c', '0', ...node] : node;
  const out = execFileSync(cmd!, args, {
    encoding: 'utf8',
    env: { ...process.env, UV_THREADPOOL_SIZE: pin ? '1' : '4', LOG_LEVEL: 'warn' },
    maxBuffer: 16 * 2 ** 20,
  });
  const line = out
    .trim()
    .split('\n')
    .reverse()
    .find((l) => l.startsWith('{"mode"'));
  if (line === undefined) throw new Error(`child ${mode} printed no result:\n${out}`);
  return JSON.parse(line) as ChildResult;
}

const fmt = (n: number, digits = 0): string => n.toFixed(digits);

async function main(): Promise<void> {
  const dataDir = await mkdtemp(join(tmpdir(), 'bench-data-'));
  const artifactDir = await mkdtemp(join(tmpdir(), 'bench-artifacts-'));
  try {
    console.log(`writing ${THROUGHPUT_SAMPLES} + ${STREAM_SAMPLES} samples at ${HEIGHT}x${WIDTH} ...`);
    const scenesPerSecond = await writeDataset(join(dataDir, 'throughput'), THROUGHPUT_SAMPLES, 1);
    await writeDataset(join(dataDir, 'stream'), STREAM_SAMPLES, 2);

    const loadBefore = loadavg()[0]!;
    console.log('PNG pipeline (one core) ...');
    const png = runChild('png', dataDir, artifactDir, true);
    console.log('building the cache ...');
    runChild('cache', dataDir, artifactDir, false); // builds the cache (not timed as cached throughput)
    console.log('cached pipeline (one core) ...');
    const cache = runChild('cache', dataDir, artifactDir, true);
    console.log('streaming 10x the in-memory bound ...');
    const stream = runChild('stream', dataDir, artifactDir, false);

    const loadAfter = loadavg()[0]!;
    const best = (r: ChildResult): number => Math.max(...r.epochs.slice(1));
    const bestCpu = (r: ChildResult): number => Math.max(...r.cpuEpochs.slice(1));
    const perSampleDecodedMiB = (WIDTH * HEIGHT * (3 + 1 + 2 + 2)) / 2 ** 20;
    const perSampleTargetsMiB = recordLayout(WIDTH, HEIGHT).bytes / 2 ** 20;
    const allInMemoryMiB = STREAM_SAMPLES * (perSampleDecodedMiB + perSampleTargetsMiB);
    const cpu = cpus()[0]?.model ?? 'unknown CPU';
    const report = `# Data pipeline benchmark

Command: \`npm run bench:data\` (bench/data.ts). Machine: ${cpu}, ${cpus().length} cores, Node ${process.version},
tfjs backend \`${png.backend}\` (batch tensors are created on it and disposed by the consumer). 1-minute load
average ${loadBefore.toFixed(1)} before and ${loadAfter.toFixed(1)} after the measurements (other work shares the
machine when it is above ~0.5; wall-clock rates drop with it, per-CPU-second rates much less).

Data: synthetic street scenes from \`generateDataset\` (src/data/synthetic/), written as CityScapes-layout PNGs.
Resolution ${HEIGHT}x${WIDTH} (H x W), batch ${BATCH}, training order (seeded shuffle + random flips),
\`maxSamplesInMemory\` ${STREAM_BOUND}. Throughput runs are child processes pinned to one core (\`taskset -c 0\`,
\`UV_THREADPOOL_SIZE=1\`, \`sharp.concurrency(1)\`), ${EPOCHS} epochs each; the first is a warm-up and the best
of the others is reported. Two rates: wall-clock samples/s, and samples per CPU-second (user + system time of
the whole process, libuv and sharp threads included), which estimates what one uncontended core delivers and
varies far less than wall time when other processes share the machine.

## Pipeline throughput (one core)

| source | samples per CPU-second | samples/s (wall) | all epochs, wall (samples/s) |
| --- | ---: | ---: | --- |
| PNG (decode 4 PNGs + camera JSON, build targets, batch) | ${fmt(bestCpu(png))} | ${fmt(best(png))} | ${png.epochs.map((e) => fmt(e)).join(', ')} |
| preprocessed cache (read shard record, batch) | ${fmt(bestCpu(cache))} | ${fmt(best(cache))} | ${cache.epochs.map((e) => fmt(e)).join(', ')} |

Aim: the cached pipeline feeds at least 500 samples/s on one core: **${bestCpu(cache) >= 500 ? 'met' : 'NOT met'}**
(per CPU-second; wall clock ${best(cache) >= 500 ? 'also above' : 'below'} 500 in this run).
A cache record at this size is ${fmt(perSampleTargetsMiB * 1024)} KiB (${THROUGHPUT_SAMPLES} samples: ${fmt(
      perSampleTargetsMiB * THROUGHPUT_SAMPLES,
    )} MiB on disk).

## Streaming memory

A dataset of ${stream.samples} samples (10x the in-memory bound of ${STREAM_BOUND}) streamed from PNGs in a fresh
process, ${STREAM_EPOCHS} epochs (${STREAM_EPOCHS * stream.samples} samples):

| measure | value |
| --- | ---: |
| RSS before the pipeline | ${fmt(stream.startRssMiB)} MiB |
| peak RSS while streaming the dataset once | ${fmt(stream.epochPeakRssMiB[0]!)} MiB |
| peak RSS so far after 25 / 50 / 75 / 100 % of the first pass | ${stream.quarterPeakRssMiB.map((m) => fmt(m)).join(' / ')} MiB |
| peak RSS so far after each of the ${STREAM_EPOCHS} passes | ${stream.epochPeakRssMiB.map((m) => fmt(m)).join(' / ')} MiB |
| most decoded samples held at once (pipeline counter) | ${stream.peakLive} |
| holding all ${stream.samples} decoded samples + targets would need | ~${fmt(allInMemoryMiB)} MiB more |

What grows over the start is tfjs' wasm heap (it keeps its high-water mark), sharp's buffers and garbage not
yet collected. It levels off within the first pass: memory follows the bound, not the number of samples
streamed.

## Generator

<!-- generator:start (scenes/s at 128x256; the generator's own benchmark may replace this section) -->

| measure | value |
| --- | ---: |
| \`generateDataset\` scenes/s (render + encode 4 PNGs + write 5 files; in-process, not pinned, ${THROUGHPUT_SAMPLES} scenes) | ${fmt(scenesPerSecond, 1)} |

<!-- generator:end -->
`;
    await mkdir('bench/results', { recursive: true });
    await writeFile('bench/results/data.md', report);
    console.log(report);
    console.log('wrote bench/results/data.md');
  } finally {
    await rm(dataDir, { recursive: true, force: true });
    await rm(artifactDir, { recursive: true, force: true });
  }
}

if (process.argv[2] === '--child') {
  const [, , , mode, dataDir, artifactDir] = process.argv;
  await child(mode as 'png' | 'cache' | 'stream', dataDir!, artifactDir!);
} else {
  await main();
}
