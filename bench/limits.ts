/**
 * Memory and latency of the API under the largest requests a client may send.
 *
 *   npm run bench:limits         # writes bench/results/limits.md
 *
 * Starts a private redis-server, trains a tiny model with the project's own training job, then starts the
 * API as a separate process (`node --import tsx src/main.ts api`, default settings but for the paths) and
 * samples that process's RSS (VmRSS, every 20 ms, from a thread of this process) at idle, during and after:
 * (a) one prediction of a MAX_IMAGE_PIXELS PNG, (b) two at once, (c) a 16384x1024 JPEG (the same pixels
 * in a long strip) and (c') the same as progressive JPEG (whose decoder holds every DCT coefficient),
 * (e) a 16-bit RGBA PNG (the costliest decode), (f) (a) again, to show that nothing accumulates, and last
 * (d) a training spec with 1M unknown fields, while /health/live is polled every 20 ms. Each row reports
 * the level before, the peak growth and the level after a settle, against the targets of issue 11.
 * `BENCH_API_ENV='A=1 B=2'` adds variables to the API's environment (for experiments).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { cpus, loadavg, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { loadConfig } from '../src/config.js';
import { generateScene } from '../src/data/synthetic/index.js';
import { setLogLevel } from '../src/logger.js';
import { runTrainingJob } from '../src/model/training-job.js';
import { parseTrainingSpec } from '../src/model/training-spec.js';
import { LocalRedisServer } from '../src/queue/local-redis-server.js';
import { freePort, LOCAL_HOST } from '../src/queue/redis-probe.js';
import { selectBackend } from '../src/tf/index.js';
import { RssSampler } from './rss-sampler.js';

const MB = 1024 * 1024;
/** Issue 11's bounds: one max-size prediction adds at most 1 GB at its peak and leaves at most 100 MB. */
const PEAK_BOUND = 1024 * MB;
const AFTER_BOUND = 100 * MB;
/** Issue 11's bounds for the 1M-field spec: a 4xx of at most 64 KB, /health/live under 200 ms. */
const SPEC_ANSWER_BOUND = 64 * 1024;
const LIVE_LATENCY_BOUND_MS = 200;
/** Unknown fields in the hostile training spec (about 11 MB of JSON). */
const UNKNOWN_FIELDS = 1_000_000;
/** Wait after an answer before "after" is read. Why 5 s: a settle, not a long idle that hides a leak. */
const SETTLE_MS = 5_000;
/** How long a level is averaged over (idle, after). */
const LEVEL_MS = 1_000;
/** /health/live polling period during (d). */
const LIVE_POLL_MS = 20;
/** Longest wait for the API to answer /health/live after its start. */
const START_TIMEOUT_MS = 60_000;

/** One measured scenario. */
interface Row {
  name: string;
  status: string;
  answerBytes: number;
  wallMs: number;
  /** Levels: before the request (after the previous row's settle), highest during it, after its settle. */
  before: number;
  peak: number;
  after: number;
  /** Bound on peak minus idle, and on after minus idle. */
  peakBound: number;
  afterBound: number;
  extra?: string;
  extraOk?: boolean;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const mb = (bytes: number) => (bytes / MB).toFixed(0);

async function trainTinyModel(dir: string): Promise<void> {
  const spec = parseTrainingSpec({
    dataset: { kind: 'synthetic', scenes: 8, size: [64, 128], seed: 3 },
    weighting: { strategy: 'uncertainty' },
    model: { width: 8, inputSize: [64, 128] },
    training: { epochs: 1, batchSize: 4 },
  });
  await runTrainingJob(spec, { jobId: 'bench', dataDir: dir, artifactDir: dir });
}

/** A street scene blown up to width x height: what a camera gives, compressible as a real upload is. */
async function sceneImage(
  width: number,
  height: number,
  format: 'png' | 'png16-rgba' | 'jpeg' | 'progressive-jpeg',
): Promise<Buffer> {
  const scene = generateScene({ width: 512, height: 256, seed: 5, index: 0 });
  const image = sharp(scene.rgb, { raw: { width: 512, height: 256, channels: 3 } }).resize(width, height, {
    fit: 'fill',
    kernel: 'nearest',
  });
  if (format === 'png') return image.png().toBuffer();
  // The costliest decode a PNG allows: 16 bits by 4 channels, 8 bytes a pixel.
  if (format === 'png16-rgba') return image.ensureAlpha().toColourspace('rgb16').png().toBuffer();
  // Progressive JPEG is the costly kind to decode: libjpeg holds every DCT coefficient of the image.
  return image.jpeg({ progressive: format === 'progressive-jpeg' }).toBuffer();
}

/** A spec of a tiny job plus {@link UNKNOWN_FIELDS} fields no schema knows. */
function hostileSpec(): string {
  const spec: Record<string, unknown> = {
    dataset: { kind: 'synthetic', scenes: 4, size: [32, 64], seed: 1 },
    model: { width: 4, inputSize: [32, 64] },
    training: { epochs: 1, batchSize: 2 },
  };
  for (let i = 0; i < UNKNOWN_FIELDS; i++) spec[`f${i}`] = 0;
  return JSON.stringify(spec);
}

/** BENCH_API_ENV='A=1 B=2': variables added to the API's environment, for experiments (e.g. allocator settings). */
function extraEnv(): Record<string, string> {
  return Object.fromEntries(
    (process.env['BENCH_API_ENV'] ?? '')
      .split(' ')
      .filter(Boolean)
      .map((kv) => kv.split('=') as [string, string]),
  );
}

async function startApi(env: Record<string, string>, base: string): Promise<ChildProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts', 'api'], {
    env: { ...process.env, ...env, ...extraEnv() },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  const deadline = Date.now() + START_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`the API exited with ${child.exitCode}`);
    const ok = await fetch(`${base}/health/live`).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) return child;
    await sleep(200);
  }
  child.kill('SIGKILL');
  throw new Error('the API did not start');
}

/** POSTs and reads the whole answer; returns status, bytes and wall time. */
async function post(
  url: string,
  body: Buffer | string,
  type: string,
): Promise<{ status: number; bytes: number; ms: number }> {
  const started = performance.now();
  const res = await fetch(url, { method: 'POST', headers: { 'content-type': type }, body });
  const bytes = (await res.arrayBuffer()).byteLength;
  return { status: res.status, bytes, ms: performance.now() - started };
}

/** Runs `work` with the peak reset before it, then settles and reads the level after. */
async function measure(
  sampler: RssSampler,
  work: () => Promise<{
    status: string;
    answerBytes: number;
    wallMs: number;
    extra?: string;
    extraOk?: boolean;
  }>,
): Promise<Omit<Row, 'name' | 'peakBound' | 'afterBound'>> {
  const before = await sampler.mean(LEVEL_MS);
  sampler.resetPeak();
  const result = await work();
  const peak = sampler.peak();
  await sleep(SETTLE_MS);
  const after = await sampler.mean(LEVEL_MS);
  return { ...result, before, peak, after };
}

/** Polls /health/live until `done` settles; returns the worst latency. */
async function worstLiveLatency(base: string, done: Promise<unknown>): Promise<number> {
  let finished = false;
  void done.finally(() => (finished = true));
  let worst = 0;
  while (!finished) {
    const started = performance.now();
    await fetch(`${base}/health/live`).then((r) => r.arrayBuffer());
    worst = Math.max(worst, performance.now() - started);
    await sleep(LIVE_POLL_MS);
  }
  return worst;
}

function report(rows: Row[], idle: number, context: Record<string, string>): string {
  const verdict = (ok: boolean) => (ok ? 'yes' : '**no**');
  const lines = rows.map((r) => {
    // The growth a request causes, judged from whichever level is lower: idle, or the level just before.
    const growth = r.peak - Math.min(idle, r.before);
    const ok = growth <= r.peakBound && r.after - idle <= r.afterBound && r.extraOk !== false;
    const cells = [
      r.name,
      r.status,
      String(r.answerBytes),
      (r.wallMs / 1000).toFixed(2),
      mb(r.before - idle),
      `${mb(growth)} (<= ${mb(r.peakBound)})`,
      `${mb(r.after - idle)} (<= ${mb(r.afterBound)})`,
      r.extra ?? '',
      verdict(ok),
    ];
    return `| ${cells.join(' | ')} |`;
  });
  return `# Limits: memory and latency under the largest requests

Command: \`npm run bench:limits\` (bench/limits.ts), ${new Date().toISOString().slice(0, 10)}; ${cpus().length} x ${cpus()[0]?.model ?? 'CPU'}, ${mb(totalmem())} MB RAM;
${context['setup']}

The API runs as its own process (\`node --import tsx src/main.ts api\`, default settings but for the paths and the port)
against a private redis-server, with a tiny model (input ${context['input']}, width 8, trained one epoch on 8 synthetic
scenes) in its ARTIFACT_DIR. Its RSS (VmRSS from /proc/<pid>/status) is sampled every 20 ms from a thread of the
bench. Idle: the mean over 1 s after a warm-up prediction on each predictor thread and a ${SETTLE_MS / 1000} s settle:
**${mb(idle)} MB**. Before: the mean over 1 s just before the request. Peak growth: the highest sample from the request
until its answer has been read, minus the lower of idle and before. After: the mean over 1 s, ${SETTLE_MS / 1000} s after the
answer. MB = MiB; negative values: below idle (garbage of the warm-up collected since).

Targets (issue 11): one prediction of a MAX_IMAGE_PIXELS (${context['maxPixels']}) image peaks at most 1 GB above idle
and is back within 100 MB of idle after; two at once stay within twice that; the 1M-field spec gets a 4xx of at most
64 KB while /health/live answers in under 200 ms.

| request | status | answer bytes | wall s | before - idle MB | peak growth MB (bound) | after - idle MB (bound) | other | holds |
|---|---|---:|---:|---:|---:|---:|---|---|
${lines.join('\n')}

Requests: ${context['requests']}
`;
}

async function main(): Promise<void> {
  setLogLevel('warn');
  const backend = await selectBackend((process.env['TF_BACKEND'] as 'auto' | undefined) ?? 'auto');
  const dir = await mkdtemp(join(tmpdir(), 'bench-limits-'));
  const redis = await LocalRedisServer.start(join(dir, 'redis'));
  let api: ChildProcess | undefined;
  let sampler: RssSampler | undefined;
  try {
    console.log('training a tiny model...');
    await trainTinyModel(dir);
    const port = await freePort();
    const base = `http://${LOCAL_HOST}:${port}`;
    const env = {
      REDIS_URL: redis.url,
      ARTIFACT_DIR: dir,
      DATA_DIR: dir,
      HOST: LOCAL_HOST,
      PORT: String(port),
      TF_BACKEND: backend.name,
      LOG_LEVEL: 'warn',
    };
    const config = loadConfig(env);
    const side = Math.floor(Math.sqrt(config.MAX_IMAGE_PIXELS));
    const strip = { width: Math.min(16384, config.MAX_IMAGE_PIXELS), height: 0 };
    strip.height = Math.max(1, Math.floor(config.MAX_IMAGE_PIXELS / strip.width));
    const png = await sceneImage(side, side, 'png');
    const png16 = await sceneImage(side, side, 'png16-rgba');
    const jpeg = await sceneImage(strip.width, strip.height, 'jpeg');
    const progressive = await sceneImage(strip.width, strip.height, 'progressive-jpeg');
    const small = await sceneImage(256, 128, 'png');
    const spec = hostileSpec();

    api = await startApi(env, base);
    sampler = new RssSampler(api.pid!);
    const predictUrl = `${base}/v1/models/bench/predict`;
    // Warm-up: both predictor threads start, load the backend and the model.
    await Promise.all([post(predictUrl, small, 'image/png'), post(predictUrl, small, 'image/png')]);
    await sleep(SETTLE_MS);
    const idle = await sampler.mean(LEVEL_MS);
    console.log(`idle ${mb(idle)} MB`);

    const one = (image: Buffer, type: string) => async () => {
      const r = await post(predictUrl, image, type);
      return { status: String(r.status), answerBytes: r.bytes, wallMs: r.ms };
    };
    const rows: Row[] = [];
    const add = async (name: string, bound: number, work: Parameters<typeof measure>[1]) => {
      const row = {
        name,
        peakBound: bound * PEAK_BOUND,
        afterBound: bound * AFTER_BOUND,
        ...(await measure(sampler!, work)),
      };
      console.log(
        `${name}: ${row.status}, peak +${mb(row.peak - idle)} MB, after +${mb(row.after - idle)} MB`,
      );
      rows.push(row);
    };
    await add(`(a) one ${side}x${side} PNG`, 1, one(png, 'image/png'));
    await add('(b) two of (a) at once', 2, async () => {
      const started = performance.now();
      const both = await Promise.all([
        post(predictUrl, png, 'image/png'),
        post(predictUrl, png, 'image/png'),
      ]);
      return {
        status: both.map((r) => r.status).join(', '),
        answerBytes: both[0]!.bytes + both[1]!.bytes,
        wallMs: performance.now() - started,
      };
    });
    await add(`(c) one ${strip.width}x${strip.height} JPEG`, 1, one(jpeg, 'image/jpeg'));
    await add(`(c') the same, progressive JPEG`, 1, one(progressive, 'image/jpeg'));
    await add(`(e) one ${side}x${side} 16-bit RGBA PNG`, 1, one(png16, 'image/png'));
    await add('(f) (a) again, after the others', 1, one(png, 'image/png'));
    await add(`(d) training spec with ${UNKNOWN_FIELDS} unknown fields`, 1, async () => {
      const request = post(`${base}/v1/training-jobs`, spec, 'application/json');
      const worst = await worstLiveLatency(base, request);
      const r = await request;
      return {
        status: String(r.status),
        answerBytes: r.bytes,
        wallMs: r.ms,
        extra: `worst /health/live ${worst.toFixed(0)} ms`,
        extraOk:
          r.status >= 400 && r.status < 500 && r.bytes <= SPEC_ANSWER_BOUND && worst < LIVE_LATENCY_BOUND_MS,
      };
    });

    const text = report(rows, idle, {
      setup: `load average ${loadavg()[0]!.toFixed(1)} at the start (the machine is shared: wall times vary with it, memory does not); backend ${backend.name}; ${config.PREDICT_CONCURRENCY} predictor threads (PREDICT_CONCURRENCY); MAX_IMAGE_PIXELS ${config.MAX_IMAGE_PIXELS}; ${sampler.samples()} RSS samples.`,
      input: '64x128',
      maxPixels: String(config.MAX_IMAGE_PIXELS),
      requests: `the PNG is a synthetic street scene (512x256) enlarged to ${side}x${side} (${png.length} bytes; ${png16.length} as 16-bit RGBA); the JPEG the same scene at ${strip.width}x${strip.height} (${jpeg.length} bytes baseline, ${progressive.length} progressive); the spec ${spec.length} bytes of JSON. Both images answer JSON with every output (segmentation, instances, depth).`,
    });
    await mkdir('bench/results', { recursive: true });
    await writeFile('bench/results/limits.md', text);
    console.log('wrote bench/results/limits.md');
  } finally {
    await sampler?.stop();
    if (api && api.exitCode === null) {
      const exited = new Promise((resolve) => api!.once('exit', resolve));
      api.kill('SIGTERM');
      await exited;
    }
    await redis.stop();
    await rm(dir, { recursive: true, force: true });
  }
}

await main();
