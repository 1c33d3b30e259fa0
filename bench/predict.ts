/**
 * Prediction latency and throughput over HTTP on this machine's backend.
 *
 *   npm run bench:predict        # writes bench/results/predict.md
 *
 * Trains two small models with the project's own training job (synthetic scenes, in a child process: an
 * API process never trains): one for 96 steps, whose answers look like a deployed model's (tens of
 * instances), and one for 4 steps, whose noisy offsets are near the worst case of the post-processing
 * (its JSON latency only). Starts the API in this process (predictions run in its predictor threads,
 * PREDICT_CONCURRENCY of them, with the default micro-batching), then measures: the network's own forward
 * pass on the 512x256 image's input (in this thread, API idle: in a row before the API starts, and in
 * blocks between the blocks of JSON latency requests, which is the targets' denominator, since this
 * shared machine's speed drifts by a third within minutes);
 * single-image latency (p50/p95) split into decode, resize, inference, post-processing and encoding as
 * reported by the predictor, plus the client-side total, for the JSON (PNG maps) and the raw answer,
 * with a second API in this process (PREDICT_SHARE_HEADS=off: one thread a prediction) answering blocks
 * of JSON requests between blocks of the main one's, so the two are compared on the same minutes; and
 * throughput with 1, 4 and 8 concurrent clients, with and without batching. For every phase it records
 * how busy the machine was (/proc/stat) and how much of that was this process.
 */
import { busyCoresBetween, machineTicks } from './reference/machine-load.js';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { cpus, loadavg, tmpdir } from 'node:os';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Tensor } from '@tensorflow/tfjs';
import { buildApp } from '../src/api/app.js';
import { decodeRawPrediction } from '../src/api/predict/raw-prediction.js';
import { loadConfig, type Config } from '../src/config.js';
import { encodePng } from '../src/data/image-codec.js';
import { generateScene } from '../src/data/synthetic/index.js';
import { setLogLevel } from '../src/logger.js';
import { loadModel } from '../src/model/artifacts.js';
import { Predictor } from '../src/model/predictor.js';
import { runTrainingJob } from '../src/model/training-job.js';
import { parseTrainingSpec } from '../src/model/training-spec.js';
import { selectBackend, tf } from '../src/tf/index.js';

/** A CityScapes-proportioned test image (a quarter of 1024x2048). */
const IMAGE = { width: 512, height: 256 };
const FORWARD_RUNS = 40;
const LATENCY_REQUESTS = 40;
const THROUGHPUT_SECONDS = 15;
/** Targets of issue 12. */
const LATENCY_TARGET_RATIO = 1.5;
const THROUGHPUT_TARGET = 13;
/**
 * The JSON latency is measured in blocks of this many in a row: requests to the service, forward passes
 * of the network alone (the denominator), requests to the same service with PREDICT_SHARE_HEADS=off, and
 * again. Why blocks, not one of each in turn: each of them has its own wasm memory and model, and one of
 * each in turn had every request find the caches full of the others' data; in blocks, all three are
 * measured warm over the same minutes of this shared machine.
 */
const COMPARISON_BLOCK = 8;
/** The answer's timings the latency tables give. */
const TIMING_KEYS = [
  'decodeMs',
  'preprocessMs',
  'inferenceMs',
  'postprocessMs',
  'encodeMs',
  'threads',
] as const;

/**
 * The models answering: `bench`, trained for 96 steps (12 epochs of 64 scenes at batch 8, ~100 s here),
 * whose offsets cluster into tens of instances as a deployed model's do, for every figure but one; and
 * `one-epoch` (4 steps), whose offsets are still noise, so that clustering and the label boundaries are
 * near their worst case (hundreds of clusters): the JSON latency of that model is given beside.
 */
const MODELS = {
  bench: { scenes: 64, epochs: 12, batchSize: 8 },
  'one-epoch': { scenes: 16, epochs: 1, batchSize: 4 },
} as const;

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

/** How busy the machine and this process were during `run`: cores in use on average. */
async function withLoad<T>(
  run: () => Promise<T>,
): Promise<{ value: T; load: string; cpuMs: number; wallMs: number }> {
  const ticks = machineTicks();
  const usage = process.cpuUsage();
  const started = performance.now();
  const value = await run();
  const wallMs = performance.now() - started;
  const after = machineTicks();
  const own = process.cpuUsage(usage);
  const cpuMs = (own.user + own.system) / 1000;
  const ownCores = cpuMs / wallMs;
  const machine = busyCoresBetween(ticks, after, cpus().length);
  if (machine === undefined) {
    return { value, load: `this process ${ownCores.toFixed(2)} cores`, cpuMs, wallMs };
  }
  return {
    value,
    load: `machine ${machine.toFixed(2)} of ${cpus().length} cores busy, this process ${ownCores.toFixed(2)}, the rest ${Math.max(0, machine - ownCores).toFixed(2)}`,
    cpuMs,
    wallMs,
  };
}

/** The network alone on the image's input: model.predict and reading every head back, ms per run. */
async function forwardTimes(dir: string, png: Buffer, batch: number): Promise<number[]> {
  const { model, manifest } = await loadModel(dir, 'bench');
  const predictor = new Predictor(model, manifest);
  try {
    const { decodeImage } = await import('../src/data/image-codec.js');
    const prepared = predictor.prepare(await decodeImage(png));
    const [h, w] = manifest.inputSize;
    const input = tf.tidy(() => tf.tile(tf.tensor4d(prepared.input, [1, h, w, 3]), [batch, 1, 1, 1]));
    const times: number[] = [];
    for (let i = 0; i < FORWARD_RUNS + 5; i++) {
      const started = performance.now();
      const heads = [model.predict(input) as Tensor | Tensor[]].flat();
      for (const head of heads) head.dataSync();
      const ms = performance.now() - started;
      tf.dispose(heads);
      if (i >= 5) times.push(ms / batch);
    }
    input.dispose();
    return times;
  } finally {
    predictor.dispose();
  }
}

/**
 * The network alone on the image's input, one run at a time (to interleave with the API's requests):
 * model.predict and reading every head back, in this thread while the API is idle.
 */
async function forwardRunner(
  dir: string,
  png: Buffer,
): Promise<{ once(): { ms: number; cpuMs: number }; dispose(): void }> {
  const { model, manifest } = await loadModel(dir, 'bench');
  const predictor = new Predictor(model, manifest);
  const { decodeImage } = await import('../src/data/image-codec.js');
  const prepared = predictor.prepare(await decodeImage(png));
  const [h, w] = manifest.inputSize;
  const input = tf.tensor4d(prepared.input, [1, h, w, 3]);
  return {
    once() {
      const usage = process.cpuUsage();
      const started = performance.now();
      const heads = [model.predict(input) as Tensor | Tensor[]].flat();
      for (const head of heads) head.dataSync();
      const ms = performance.now() - started;
      const cpu = process.cpuUsage(usage);
      tf.dispose(heads);
      return { ms, cpuMs: (cpu.user + cpu.system) / 1000 };
    },
    dispose() {
      input.dispose();
      predictor.dispose();
    },
  };
}

interface Throughput {
  clients: number;
  label: string;
  perSecond: number;
  p50: number;
  p95: number;
  busy: number;
  meanBatch: number;
  load: string;
  /** This process's CPU time per answered prediction. */
  cpuMsPerPrediction: number;
}

/** Trains {@link MODELS} into `dir` with the project's training job (in this process). */
async function trainModels(dir: string): Promise<void> {
  for (const [jobId, training] of Object.entries(MODELS)) {
    const spec = parseTrainingSpec({
      dataset: { kind: 'synthetic', scenes: training.scenes, size: [128, 256], seed: 3 },
      weighting: { strategy: 'uncertainty' },
      model: { width: 16, inputSize: [128, 256] },
      training: { epochs: training.epochs, batchSize: training.batchSize, learningRate: 3e-3 },
    });
    await runTrainingJob(spec, { jobId, dataDir: dir, artifactDir: dir });
  }
}

/** Flag that makes this script only train the models into the directory after it, then exit. */
const TRAIN_ONLY_FLAG = '--train-into';

/**
 * Trains the models in a child process of this script. Why not here: an API process never trains (workers
 * do), so the service is measured as it runs, without a training's heap and wasm memory left in it.
 */
function trainModelsApart(dir: string): void {
  execFileSync(
    process.execPath,
    [...process.execArgv, fileURLToPath(import.meta.url), TRAIN_ONLY_FLAG, dir],
    {
      stdio: 'inherit',
    },
  );
}

async function main(): Promise<void> {
  setLogLevel('warn');
  const backend = await selectBackend((process.env['TF_BACKEND'] as 'auto' | undefined) ?? 'auto');
  const dir = await mkdtemp(join(tmpdir(), 'bench-predict-'));
  const loadAtStart = loadavg();
  try {
    trainModelsApart(dir);
    const scene = generateScene({ ...IMAGE, seed: 11, index: 0 });
    const png = await encodePng({ ...IMAGE, channels: 3, bitDepth: 8, data: scene.rgb });
    const base = { ARTIFACT_DIR: dir, DATA_DIR: dir, TF_BACKEND: backend.name, LOG_LEVEL: 'warn' };

    const forward = await withLoad(() => forwardTimes(dir, png, 1));
    const forward4 = await withLoad(() => forwardTimes(dir, png, 4));
    console.log(
      `forward ${percentile(forward.value, 50).toFixed(1)} ms, batch 4 ${percentile(forward4.value, 50).toFixed(1)} ms an image`,
    );

    const withApp = async <T>(
      env: Record<string, string>,
      run: (config: Config, url: string) => Promise<T>,
    ) => {
      const config = loadConfig({ ...base, ...env });
      const app = await buildApp({ config, logger: false });
      const address = await app.listen({ port: 0, host: '127.0.0.1' });
      try {
        return await run(config, address);
      } finally {
        await app.close();
      }
    };
    const predict = (url: string, raw: boolean, query = '', model = 'bench') =>
      fetch(`${url}/v1/models/${model}/predict?${raw ? 'encoding=raw&' : ''}${query}`, {
        method: 'POST',
        headers: { 'content-type': 'image/png' },
        body: png,
      });
    /** An answer's timings and instance count (the JSON body, or the raw answer's header). */
    const answerOf = async (
      res: Response,
      raw: boolean,
    ): Promise<{ timings: Record<string, number>; instanceCount: number }> => {
      const body = raw
        ? decodeRawPrediction(new Uint8Array(await res.arrayBuffer())).header
        : ((await res.json()) as Record<string, unknown>);
      const instances = body['instances'] as { count: number } | undefined;
      return { timings: body['timings'] as Record<string, number>, instanceCount: instances?.count ?? 0 };
    };
    const timingsOf = async (res: Response, raw: boolean) => (await answerOf(res, raw)).timings;

    const latency = async (
      url: string,
      raw: boolean,
      query = '',
      model = 'bench',
      between?: (index: number) => void | Promise<void>,
    ) => {
      const parts: Record<string, number[]> = {};
      for (const key of [...TIMING_KEYS, 'totalMs']) parts[key] = [];
      let bytes = 0;
      let instanceCount = 0;
      for (let i = 0; i < LATENCY_REQUESTS; i++) {
        const started = performance.now();
        const res = await predict(url, raw, query, model);
        bytes = Number(res.headers.get('content-length'));
        const answer = await answerOf(res, raw);
        parts['totalMs']!.push(performance.now() - started);
        for (const key of TIMING_KEYS) parts[key]!.push(answer.timings[key]!);
        instanceCount = answer.instanceCount;
        await between?.(i);
      }
      return { parts, bytes, instanceCount };
    };

    const throughput = async (
      url: string,
      clients: number,
      raw: boolean,
      label: string,
    ): Promise<Throughput> => {
      const deadline = Date.now() + THROUGHPUT_SECONDS * 1000;
      const latencies: number[] = [];
      const batches: number[] = [];
      let busy = 0;
      const { load, cpuMs } = await withLoad(() =>
        Promise.all(
          Array.from({ length: clients }, async () => {
            while (Date.now() < deadline) {
              const started = performance.now();
              const res = await predict(url, raw);
              if (res.status === 200) {
                batches.push((await timingsOf(res, raw))['batch']!);
                latencies.push(performance.now() - started);
              } else {
                await res.arrayBuffer();
                busy += 1;
              }
            }
          }),
        ),
      );
      const result = {
        clients,
        label,
        perSecond: latencies.length / THROUGHPUT_SECONDS,
        p50: percentile(latencies, 50),
        p95: percentile(latencies, 95),
        busy,
        meanBatch: batches.reduce((a, b) => a + b, 0) / Math.max(1, batches.length),
        load,
        cpuMsPerPrediction: cpuMs / Math.max(1, latencies.length),
      };
      console.log(`${label}, ${clients} clients: ${result.perSecond.toFixed(2)} predictions/s (${load})`);
      return result;
    };

    // The same service with one thread a prediction (PREDICT_SHARE_HEADS=off), answering beside the main
    // one: blocks of its JSON requests alternate with the main one's, so the two see the same machine.
    const unshared = await (async () => {
      const config = loadConfig({ ...base, PREDICT_SHARE_HEADS: 'off' });
      const app = await buildApp({ config, logger: false });
      return { app, url: await app.listen({ port: 0, host: '127.0.0.1' }) };
    })();
    const warm = async (url: string) => {
      // Both threads hold the model: two at once, then lone ones (a lent thread loads what it lacks).
      await Promise.all([predict(url, false), predict(url, true)].map(async (r) => (await r).arrayBuffer()));
      for (let i = 0; i < 4; i++) await (await predict(url, i % 2 === 1)).arrayBuffer();
    };
    const main = await withApp({}, async (config, url) => {
      await warm(url);
      await warm(unshared.url);
      // The network's own forward pass, in blocks between the JSON requests' (the API idle): the target's
      // denominator, measured in the same minutes as the requests, since this machine's speed drifts.
      const runner = await forwardRunner(config.ARTIFACT_DIR, png);
      for (let i = 0; i < 5; i++) runner.once();
      const interleaved: { ms: number; cpuMs: number }[] = [];
      const oneThread: { ms: number; cpuMs: number }[] = [];
      const json = await withLoad(() =>
        latency(url, false, '', 'bench', async (index) => {
          if ((index + 1) % COMPARISON_BLOCK !== 0) return;
          for (let k = 0; k < COMPARISON_BLOCK; k++) interleaved.push(runner.once());
          for (let k = 0; k < COMPARISON_BLOCK; k++) {
            const usage = process.cpuUsage();
            const started = performance.now();
            await (await predict(unshared.url, false)).json();
            const cpu = process.cpuUsage(usage);
            oneThread.push({ ms: performance.now() - started, cpuMs: (cpu.user + cpu.system) / 1000 });
          }
        }),
      );
      await unshared.app.close();
      runner.dispose();
      // The interleaved one-thread requests ran in the same measured span: their CPU is not the JSON's.
      json.cpuMs -= oneThread.reduce((sum, run) => sum + run.cpuMs, 0);
      // The process's CPU time of the requests alone.
      json.cpuMs -= interleaved.reduce((sum, run) => sum + run.cpuMs, 0);
      const raw = await withLoad(() => latency(url, true));
      const noInstances = await withLoad(() => latency(url, true, 'outputs=segmentation,depth'));
      for (let i = 0; i < 4; i++) await (await predict(url, false, '', 'one-epoch')).arrayBuffer();
      const oneEpoch = await withLoad(() => latency(url, false, '', 'one-epoch'));
      const rows: Throughput[] = [];
      for (const clients of [1, 4, 8]) rows.push(await throughput(url, clients, false, 'JSON'));
      rows.push(await throughput(url, 8, true, 'raw'));
      return { config, json, raw, noInstances, oneEpoch, rows, interleaved, oneThread };
    });
    const unbatched = await withApp({ PREDICT_BATCH_SIZE: '1' }, async (_config, url) => {
      for (let i = 0; i < 4; i++) await (await predict(url, false)).arrayBuffer();
      return throughput(url, 8, false, 'JSON, batching off (PREDICT_BATCH_SIZE=1)');
    });
    main.rows.push(unbatched);

    const { config, json, raw, noInstances, oneEpoch, rows, interleaved, oneThread } = main;
    const oneThreadMs = percentile(
      oneThread.map((run) => run.ms),
      50,
    );
    const oneThreadCpuMs = oneThread.reduce((sum, run) => sum + run.cpuMs, 0) / oneThread.length;
    const forwardMs = percentile(
      interleaved.map((run) => run.ms),
      50,
    );
    const totalMs = percentile(json.value.parts['totalMs']!, 50);
    const ratio = totalMs / forwardMs;
    const eight = rows.find((r) => r.clients === 8 && r.label === 'JSON')!;
    // CPU time does not stretch with the other work on the machine the way wall time does: the same
    // comparisons in CPU ms, and the throughput this process would have with every core to itself.
    const forwardCpuMs = percentile(
      interleaved.map((run) => run.cpuMs),
      50,
    );
    const requestCpuMs = json.cpuMs / LATENCY_REQUESTS;
    const cpuRatio = requestCpuMs / forwardCpuMs;
    const freeCoresRate = (cpus().length * 1000) / eight.cpuMsPerPrediction;
    const row = (name: string, values: number[]) =>
      `| ${name} | ${percentile(values, 50).toFixed(1)} | ${percentile(values, 95).toFixed(1)} |`;
    const partsTable = (parts: Record<string, number[]>) =>
      [
        row('decode (sharp, in the predictor thread)', parts['decodeMs']!),
        row('resize to the input size (anti-aliased, as in training)', parts['preprocessMs']!),
        row(
          "inference on the prediction's thread (heads read back; with 2 threads the trunk and segmentation head)",
          parts['inferenceMs']!,
        ),
        row('post-processing (argmax, clustering, depth; both threads added)', parts['postprocessMs']!),
        row('encoding the maps (wall time of each, added)', parts['encodeMs']!),
        row('threads that ran the heads (timings.threads)', parts['threads']!),
        row('total, client side', parts['totalMs']!),
      ].join('\n');
    const verdict = (met: boolean) => (met ? 'met' : '**not met**');
    // What the JSON request spends before any post-processing, against the target: the floor this design
    // has, with every output computed and encoded at no cost.
    const p50 = (key: string) => percentile(json.value.parts[key]!, 50);
    const beforePost = p50('decodeMs') + p50('preprocessMs') + p50('inferenceMs');
    const budget = LATENCY_TARGET_RATIO * forwardMs;
    const latencyFloor = [
      `The JSON request ran on ${p50('threads')} predictor thread(s) (p50; PREDICT_SHARE_HEADS, docs/service.md). Its p50 parts on the`,
      `prediction's thread: decode ${p50('decodeMs').toFixed(1)} ms, resize ${p50('preprocessMs').toFixed(1)} ms and the forward part there`,
      `(the trunk and the segmentation head, while the lent thread ran the instance and depth heads) ${p50('inferenceMs').toFixed(1)} ms`,
      `come to ${beforePost.toFixed(1)} ms, ${(beforePost / forwardMs).toFixed(2)}x the network's own ${forwardMs.toFixed(1)} ms, against a budget of ${budget.toFixed(1)} ms`,
      `(${LATENCY_TARGET_RATIO}x) for the whole request. The other ${(totalMs - beforePost).toFixed(1)} ms of the ${totalMs.toFixed(1)} ms are the post-processing and`,
      "PNG encoding on both threads (until the lent thread's depth section is in), the JSON with the base64 maps,",
      "the hop from the predictor thread and HTTP with the client's parse: " +
        `${p50('postprocessMs').toFixed(1)} ms of post-processing and ${p50('encodeMs').toFixed(1)} ms of encodings, both threads' times added, overlap there.`,
      `One request costs this process ${requestCpuMs.toFixed(1)} CPU ms (the API and its client, both in this process),`,
      `so on ${cpus().length} cores it cannot end before ${(requestCpuMs / cpus().length).toFixed(1)} ms, ${(requestCpuMs / cpus().length / forwardMs).toFixed(2)}x the forward pass, however its work is spread.`,
      `The same service with one thread a prediction (PREDICT_SHARE_HEADS=off), blocks of ${COMPARISON_BLOCK} of its requests`,
      `alternating with blocks of these: ${oneThreadMs.toFixed(1)} ms (${(oneThreadMs / forwardMs).toFixed(2)}x), ${oneThreadCpuMs.toFixed(1)} CPU ms a request against ${requestCpuMs.toFixed(1)} shared.`,
    ].join('\n');
    const report = `# Prediction latency and throughput

Command: \`npm run bench:predict\` (bench/predict.ts), ${new Date().toISOString().slice(0, 10)}; ${cpus().length} x ${cpus()[0]?.model ?? 'CPU'};
backend ${backend.name}; ${config.PREDICT_CONCURRENCY} predictor threads (PREDICT_CONCURRENCY), queue ${config.PREDICT_QUEUE_SIZE},
micro-batching PREDICT_BATCH_SIZE ${config.PREDICT_BATCH_SIZE}, PREDICT_BATCH_WAIT_MS ${config.PREDICT_BATCH_WAIT_MS}.
The machine is shared: load average ${loadAtStart.map((l) => l.toFixed(1)).join(' / ')} (1/5/15 min) at the start,
${loadavg()
  .map((l) => l.toFixed(1))
  .join(' / ')} at the end; each phase below gives how busy the machine was and how much of it was
this benchmark (the rest is other work on the machine, competing for the same ${cpus().length} cores).

Model: width 16, input 128x256, all three heads, uncertainty weighting, trained for 96 steps (12 epochs of 64
synthetic scenes at batch 8): its answer to the request has ${json.value.instanceCount} instances. Request: one
${IMAGE.width}x${IMAGE.height} PNG street scene, answer with every output (label map, instance id map, disparity and depth
maps, instance list), over HTTP on loopback. The last latency table is a model trained for one epoch of 16
scenes (4 steps), whose offsets are still noise: ${oneEpoch.value.instanceCount} instances, clustering and label
boundaries near their worst case (like the model of this file's earlier runs, which took Adam's default
learning rate, 1e-3, where both models here take 3e-3).

## Targets (issue 12)

| target | measured | |
|---|---|---|
| end-to-end latency (JSON, p50) <= ${LATENCY_TARGET_RATIO}x the network's forward pass (p50) | ${totalMs.toFixed(1)} ms / ${forwardMs.toFixed(1)} ms = ${ratio.toFixed(2)}x | ${verdict(ratio <= LATENCY_TARGET_RATIO)} |
| the same with PREDICT_SHARE_HEADS=off (one thread a prediction; in blocks of ${COMPARISON_BLOCK} between these) | ${oneThreadMs.toFixed(1)} ms / ${forwardMs.toFixed(1)} ms = ${(oneThreadMs / forwardMs).toFixed(2)}x | ${verdict(oneThreadMs / forwardMs <= LATENCY_TARGET_RATIO)} |
| the same against the forward pass run ${FORWARD_RUNS} times in a row (warm caches, no request between) | ${totalMs.toFixed(1)} ms / ${percentile(forward.value, 50).toFixed(1)} ms = ${(totalMs / percentile(forward.value, 50)).toFixed(2)}x | ${verdict(totalMs / percentile(forward.value, 50) <= LATENCY_TARGET_RATIO)} |
| throughput at 8 clients (JSON) > ${THROUGHPUT_TARGET} predictions/s | ${eight.perSecond.toFixed(2)} /s | ${verdict(eight.perSecond > THROUGHPUT_TARGET)} |
| the same in CPU time: one request's CPU ms (whole process, ${LATENCY_REQUESTS} sequential JSON requests) <= ${LATENCY_TARGET_RATIO}x one forward pass's | ${requestCpuMs.toFixed(1)} ms / ${forwardCpuMs.toFixed(1)} ms = ${cpuRatio.toFixed(2)}x | ${verdict(cpuRatio <= LATENCY_TARGET_RATIO)} |
| 8 clients with the ${cpus().length} cores to itself: ${cpus().length} x 1000 / CPU ms per prediction (${eight.cpuMsPerPrediction.toFixed(1)}) > ${THROUGHPUT_TARGET} /s | ${freeCoresRate.toFixed(2)} /s | ${verdict(freeCoresRate > THROUGHPUT_TARGET)} |

## What a request is made of, against the latency target

${latencyFloor}

## The network alone (in the benchmark's thread, API idle)

| forward pass on the image's 128x256 input, heads read back (ms) | p50 | p95 | CPU ms | load |
|---|---:|---:|---:|---|
| batch 1, in blocks of ${COMPARISON_BLOCK} between blocks of the JSON requests below (the targets' denominator) | ${forwardMs.toFixed(1)} | ${percentile(
      interleaved.map((run) => run.ms),
      95,
    ).toFixed(1)} | ${forwardCpuMs.toFixed(1)} | see the JSON table |
| batch 1, ${FORWARD_RUNS} in a row before the API starts | ${percentile(forward.value, 50).toFixed(1)} | ${percentile(forward.value, 95).toFixed(1)} | ${(forward.cpuMs / (FORWARD_RUNS + 5)).toFixed(1)} | ${forward.load} |
| batch 4, per image | ${percentile(forward4.value, 50).toFixed(1)} | ${percentile(forward4.value, 95).toFixed(1)} | ${(forward4.cpuMs / (FORWARD_RUNS + 5) / 4).toFixed(1)} | ${forward4.load} |

## Single image, JSON answer with PNG maps (${LATENCY_REQUESTS} sequential requests; ${json.value.bytes} bytes)

Load: ${json.load}; CPU time of the whole process per request ${requestCpuMs.toFixed(1)} ms.

| part (ms) | p50 | p95 |
|---|---:|---:|
${partsTable(json.value.parts)}

## Single image, raw answer (\`?encoding=raw\`; ${LATENCY_REQUESTS} sequential requests; ${raw.value.bytes} bytes)

Load: ${raw.load}; CPU time of the whole process per request ${(raw.cpuMs / LATENCY_REQUESTS).toFixed(1)} ms.

| part (ms) | p50 | p95 |
|---|---:|---:|
${partsTable(raw.value.parts)}

## Single image, raw answer without instances (\`?encoding=raw&outputs=segmentation,depth\`; ${LATENCY_REQUESTS} sequential requests)

What the rest of the path costs without the clustering. Load: ${noInstances.load}; CPU time of the whole process per
request ${(noInstances.cpuMs / LATENCY_REQUESTS).toFixed(1)} ms.

| part (ms) | p50 | p95 |
|---|---:|---:|
${partsTable(noInstances.value.parts)}

## Single image, JSON answer, the one-epoch model (${LATENCY_REQUESTS} sequential requests; ${oneEpoch.value.bytes} bytes)

Near the worst case of the post-processing: ${oneEpoch.value.instanceCount} instances from noisy offsets. Load: ${oneEpoch.load}; CPU time
of the whole process per request ${(oneEpoch.cpuMs / LATENCY_REQUESTS).toFixed(1)} ms.

| part (ms) | p50 | p95 |
|---|---:|---:|
${partsTable(oneEpoch.value.parts)}

## Throughput (${THROUGHPUT_SECONDS} s per row, each client sends its next request when the last is answered)

| answer | clients | predictions/s | p50 ms | p95 ms | 503 busy | mean batch | CPU ms a prediction | load |
|---|---:|---:|---:|---:|---:|---:|---:|---|
${rows.map((t) => `| ${t.label} | ${t.clients} | ${t.perSecond.toFixed(2)} | ${t.p50.toFixed(0)} | ${t.p95.toFixed(0)} | ${t.busy} | ${t.meanBatch.toFixed(2)} | ${t.cpuMsPerPrediction.toFixed(1)} | ${t.load} |`).join('\n')}
`;
    await mkdir('bench/results', { recursive: true });
    await writeFile('bench/results/predict.md', report);
    console.log('wrote bench/results/predict.md');
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

const trainInto = process.argv.indexOf(TRAIN_ONLY_FLAG);
if (trainInto >= 0) {
  setLogLevel('warn');
  await selectBackend((process.env['TF_BACKEND'] as 'auto' | undefined) ?? 'auto');
  await trainModels(process.argv[trainInto + 1]!);
} else {
  await main();
}
