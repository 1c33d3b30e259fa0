/**
 * Prediction latency and throughput over HTTP on this machine's backend.
 *
 *   npm run bench:predict        # writes bench/results/predict.md
 *
 * Trains a small model with the project's own training job (synthetic scenes), starts the API in this
 * process (predictions run in its predictor threads, PREDICT_CONCURRENCY of them), then measures:
 * single-image latency (p50/p95) split into decode, inference, post-processing and encoding as reported by
 * the predictor, plus the client-side total; and throughput with 1, 4 and 8 concurrent clients.
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildApp } from '../src/api/app.js';
import { loadConfig } from '../src/config.js';
import { encodePng } from '../src/data/image-codec.js';
import { generateScene } from '../src/data/synthetic/index.js';
import { setLogLevel } from '../src/logger.js';
import { runTrainingJob } from '../src/model/training-job.js';
import { parseTrainingSpec } from '../src/model/training-spec.js';
import { selectBackend } from '../src/tf/index.js';

/** A CityScapes-proportioned test image (a quarter of 1024x2048). */
const IMAGE = { width: 512, height: 256 };
const LATENCY_REQUESTS = 40;
const THROUGHPUT_SECONDS = 15;
const CONCURRENCY = [1, 4, 8];

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

async function main(): Promise<void> {
  setLogLevel('warn');
  const backend = await selectBackend((process.env['TF_BACKEND'] as 'auto' | undefined) ?? 'auto');
  const dir = await mkdtemp(join(tmpdir(), 'bench-predict-'));
  try {
    const spec = parseTrainingSpec({
      dataset: { kind: 'synthetic', scenes: 16, size: [128, 256], seed: 3 },
      weighting: { strategy: 'uncertainty' },
      model: { width: 16, inputSize: [128, 256] },
      training: { epochs: 1, batchSize: 4 },
    });
    await runTrainingJob(spec, { jobId: 'bench', dataDir: dir, artifactDir: dir });
    const config = loadConfig({
      ARTIFACT_DIR: dir,
      DATA_DIR: dir,
      TF_BACKEND: backend.name,
      LOG_LEVEL: 'warn',
    });
    const app = await buildApp({ config, logger: false });
    const address = await app.listen({ port: 0, host: '127.0.0.1' });
    const scene = generateScene({ ...IMAGE, seed: 11, index: 0 });
    const png = await encodePng({ ...IMAGE, channels: 3, bitDepth: 8, data: scene.rgb });
    const predict = () =>
      fetch(`${address}/v1/models/bench/predict`, {
        method: 'POST',
        headers: { 'content-type': 'image/png' },
        body: png,
      });
    try {
      for (let i = 0; i < 3; i++) await (await predict()).arrayBuffer(); // warm up both threads' caches

      const parts: Record<string, number[]> = {
        decodeMs: [],
        preprocessMs: [],
        inferenceMs: [],
        postprocessMs: [],
        encodeMs: [],
        totalMs: [],
      };
      for (let i = 0; i < LATENCY_REQUESTS; i++) {
        const started = performance.now();
        const res = await predict();
        const body = (await res.json()) as { timings: Record<string, number> };
        parts['totalMs']!.push(performance.now() - started);
        for (const key of ['decodeMs', 'preprocessMs', 'inferenceMs', 'postprocessMs', 'encodeMs'])
          parts[key]!.push(body.timings[key]!);
      }

      const throughput: {
        clients: number;
        ok: number;
        busy: number;
        perSecond: number;
        p50: number;
        p95: number;
      }[] = [];
      for (const clients of CONCURRENCY) {
        const deadline = Date.now() + THROUGHPUT_SECONDS * 1000;
        const latencies: number[] = [];
        let busy = 0;
        await Promise.all(
          Array.from({ length: clients }, async () => {
            while (Date.now() < deadline) {
              const started = performance.now();
              const res = await predict();
              await res.arrayBuffer();
              if (res.status === 200) latencies.push(performance.now() - started);
              else busy += 1;
            }
          }),
        );
        throughput.push({
          clients,
          ok: latencies.length,
          busy,
          perSecond: latencies.length / THROUGHPUT_SECONDS,
          p50: percentile(latencies, 50),
          p95: percentile(latencies, 95),
        });
        console.log(
          `${clients} clients: ${(latencies.length / THROUGHPUT_SECONDS).toFixed(2)} predictions/s`,
        );
      }
      const row = (name: string, values: number[]) =>
        `| ${name} | ${percentile(values, 50).toFixed(1)} | ${percentile(values, 95).toFixed(1)} |`;
      const report = `# Prediction latency and throughput

Command: \`npm run bench:predict\` (bench/predict.ts), ${new Date().toISOString().slice(0, 10)}; ${cpus().length} x ${cpus()[0]?.model ?? 'CPU'};
backend ${backend.name}; ${config.PREDICT_CONCURRENCY} predictor threads (PREDICT_CONCURRENCY), queue ${config.PREDICT_QUEUE_SIZE}.

Model: width 16, input 128x256, all three heads (trained for one epoch on 16 synthetic scenes: the weights do not
change the cost). Request: one ${IMAGE.width}x${IMAGE.height} PNG street scene, JSON answer with every output (label map,
instance id map and disparity map as PNGs, instance list), over HTTP on loopback.

## Single image (${LATENCY_REQUESTS} sequential requests)

| part (ms) | p50 | p95 |
|---|---:|---:|
${row('decode (sharp, in the predictor thread)', parts['decodeMs']!)}
${row('resize to the input size (anti-aliased, as in training)', parts['preprocessMs']!)}
${row('inference (network, outputs back to the image size)', parts['inferenceMs']!)}
${row('post-processing (argmax, clustering, depth)', parts['postprocessMs']!)}
${row('encoding the PNG maps', parts['encodeMs']!)}
${row('total, client side', parts['totalMs']!)}

## Throughput (${THROUGHPUT_SECONDS} s per row, each client sends its next request when the last is answered)

| clients | predictions/s | p50 ms | p95 ms | 503 busy |
|---:|---:|---:|---:|---:|
${throughput.map((t) => `| ${t.clients} | ${t.perSecond.toFixed(2)} | ${t.p50.toFixed(0)} | ${t.p95.toFixed(0)} | ${t.busy} |`).join('\n')}
`;
      await mkdir('bench/results', { recursive: true });
      await writeFile('bench/results/predict.md', report);
      console.log('wrote bench/results/predict.md');
    } finally {
      await app.close();
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

await main();
