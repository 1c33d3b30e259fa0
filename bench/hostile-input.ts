/**
 * What hostile clients cost the API, measured from outside its process.
 *
 *   npx tsx bench/hostile-input.ts        # writes bench/results/hostile-input.md
 *
 * Starts a private redis-server and the API (`src/main.ts api`) as a child process, probes `/health/live`
 * every 10 ms from a thread of this process throughout, samples the API's RSS from /proc every 20 ms, and sends:
 * a training spec with a million unknown fields (11.9 MB), one with 5,000 (within the 64 KiB body limit),
 * 200 half-sent bodies and 200 unfinished headers at once (REQUEST_TIMEOUT_MS and HEADERS_TIMEOUT_MS are
 * set to 5 s here so the run is short).
 */
import { spawn } from 'node:child_process';
import { readFile, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { connect, type Socket } from 'node:net';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { freePort } from '../src/queue/redis-probe.js';
import { LocalRedisServer } from '../src/queue/local-redis-server.js';
import { rawUpload } from '../test/api/helpers/raw-http.js';

/** The timeouts of the benchmarked API, ms. Why 5 s: long enough to see them hold, short enough to wait. */
const TIMEOUT_MS = 5000;
/** Slow connections opened at once. Why 200: the number issue 11's chaos run held from one client. */
const SLOW_CONNECTIONS = 200;
/** Times each spec is sent. */
const REPEATS = 5;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Milliseconds on a clock shared by this thread and the prober thread. */
const now = (): number => performance.timeOrigin + performance.now();

/** One `/health/live` probe: when it started, how long it took, whether it answered 200. */
interface Probe {
  at: number;
  ms: number;
  ok: boolean;
}

/** The prober thread: a `/health/live` request every 10 ms, each result posted back. */
const PROBER = `
const { parentPort, workerData } = require('node:worker_threads');
const now = () => performance.timeOrigin + performance.now();
(async () => {
  for (;;) {
    const at = now();
    const ok = await fetch(workerData.url).then(async (r) => (await r.arrayBuffer(), r.ok), () => false);
    parentPort.postMessage({ at, ms: now() - at, ok });
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
})();
`;

/** `5 x 413` (or `4 x 413, 1 x 0`): how many of each value, most first. */
function countBy(values: number[]): string {
  const counts = new Map<number, number>();
  for (const v of values) counts.set(v, (counts.get(v) ?? 0) + 1);
  return [...counts]
    .sort((a, b) => b[1] - a[1])
    .map(([v, n]) => `${n} x ${v}`)
    .join(', ');
}

/** The median of `values`. */
const median = (values: number[]): number => percentile(values, 50);

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
}

/** The resident set of process `pid`, MB. */
async function rssMb(pid: number): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? NaN) / 1024;
}

/** A spec with `count` unknown top-level fields. */
function specWithUnknownFields(count: number): string {
  const spec = {
    dataset: { kind: 'synthetic', scenes: 4, size: [64, 128] },
    weighting: { strategy: 'equal' },
    model: { width: 4, inputSize: [64, 128] },
    training: { epochs: 1, batchSize: 2 },
  };
  const fields = Array.from({ length: count }, (_, i) => `"f${i}":0`).join(',');
  return `{${JSON.stringify(spec).slice(1, -1)},${fields}}`;
}

/** POSTs a JSON body (stopping as soon as an answer begins); the status, the answer's size, the time. */
async function post(port: number, body: string): Promise<{ status: number; bytes: number; ms: number }> {
  const bytes = Buffer.from(body);
  const head = `POST /v1/training-jobs HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: ${bytes.length}\r\n\r\n`;
  const answer = await rawUpload(port, head, bytes);
  return { status: answer.status ?? 0, bytes: Buffer.byteLength(answer.body), ms: answer.elapsedMs };
}

/** Opens `count` connections that each send `bytes` and wait: when each closed, and whether it got a 408. */
async function slowConnections(
  port: number,
  count: number,
  bytes: string,
): Promise<{ ms: number; got408: boolean }[]> {
  const started = performance.now();
  const closed = Array.from(
    { length: count },
    () =>
      new Promise<{ ms: number; got408: boolean }>((resolve) => {
        let answer = '';
        const socket: Socket = connect(port, '127.0.0.1', () => socket.write(bytes));
        socket.on('error', () => undefined);
        // Why read: a socket nobody reads never reports the server's close.
        socket.on('data', (chunk: Buffer) => (answer += chunk.toString('latin1')));
        socket.on('close', () =>
          resolve({ ms: performance.now() - started, got408: answer.startsWith('HTTP/1.1 408 ') }),
        );
        setTimeout(() => socket.destroy(), TIMEOUT_MS * 4);
      }),
  );
  return Promise.all(closed);
}

async function main(): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'bench-hostile-'));
  const redis = await LocalRedisServer.start(join(dir, 'redis'));
  const port = await freePort();
  const api = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts', 'api'], {
    env: {
      ...process.env,
      PORT: String(port),
      HOST: '127.0.0.1',
      REDIS_URL: redis.url,
      DATA_DIR: join(dir, 'data'),
      ARTIFACT_DIR: join(dir, 'artifacts'),
      LOG_LEVEL: 'warn',
      TF_BACKEND: 'cpu',
      REQUEST_TIMEOUT_MS: String(TIMEOUT_MS),
      HEADERS_TIMEOUT_MS: String(TIMEOUT_MS),
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const live = `http://127.0.0.1:${port}/health/live`;
  let running = true;
  try {
    for (let i = 0; ; i++) {
      if (
        await fetch(live).then(
          (r) => r.ok,
          () => false,
        )
      )
        break;
      if (i > 300) throw new Error('the API did not start');
      await sleep(100);
    }
    const pid = api.pid!;
    await sleep(1000);
    const idle = await rssMb(pid);

    // Probes (in a worker thread, so that this process's own work of sending 12 MB does not delay them)
    // and RSS samples, each with its time; phases are time intervals.
    const prober = new Worker(PROBER, { eval: true, workerData: { url: live } });
    const probes: Probe[] = [];
    prober.on('message', (probe: Probe) => probes.push(probe));
    const phases: { name: string; from: number; to: number }[] = [];
    const rss: { at: number; mb: number }[] = [];
    const sampling = (async () => {
      while (running) {
        rss.push({ at: now(), mb: await rssMb(pid) });
        await sleep(20);
      }
    })().catch(() => undefined); // Why: the API is gone when an error ends the run; that error is the news.
    const during = async <T>(name: string, work: () => Promise<T>): Promise<T> => {
      const from = now();
      const result = await work();
      await sleep(200);
      phases.push({ name, from, to: now() });
      return result;
    };
    const summary = (name: string): string => {
      const phase = phases.find((p) => p.name === name)!;
      const inside = <T extends { at: number }>(xs: T[]) =>
        xs.filter((x) => x.at >= phase.from && x.at <= phase.to);
      const ms = inside(probes).map((p) => p.ms);
      const middle = median(ms);
      const failed = inside(probes).filter((p) => !p.ok).length;
      const peak = Math.max(...inside(rss).map((r) => r.mb));
      return (
        `${middle.toFixed(1)} / ${Math.max(...ms).toFixed(1)} ms over ${ms.length} probes` +
        `${failed > 0 ? ` (${failed} failed)` : ''}, ${peak - idle >= 0 ? '+' : ''}${(peak - idle).toFixed(0)} MB`
      );
    };
    await sleep(500);

    const results: string[] = [];
    const huge = specWithUnknownFields(1_000_000);
    const large = specWithUnknownFields(5000);
    for (const [name, body] of [
      ['1M unknown fields', huge],
      ['5,000 unknown fields', large],
    ] as const) {
      const answers = await during(name, async () => {
        const out = [];
        for (let i = 0; i < REPEATS; i++) out.push(await post(port, body));
        return out;
      });
      results.push(
        `| spec with ${name} (${(body.length / 1e6).toFixed(2)} MB) | ${countBy(answers.map((a) => a.status))} | ` +
          `${Math.max(...answers.map((a) => a.bytes))} B at most | ` +
          `${median(answers.map((a) => a.ms)).toFixed(1)} ms | ${summary(name)} |`,
      );
    }
    const half = `POST /v1/training-jobs HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{"dataset":`;
    const unfinished = 'GET /health/live HTTP/1.1\r\nHost: x\r\nX-Slow: ';
    for (const [name, bytes] of [
      [`${SLOW_CONNECTIONS} half-sent bodies`, half],
      [`${SLOW_CONNECTIONS} unfinished headers`, unfinished],
    ] as const) {
      const ends = await during(name, () => slowConnections(port, SLOW_CONNECTIONS, bytes));
      const closedAt = ends.map((e) => e.ms);
      const answered = ends.filter((e) => e.got408).length;
      results.push(
        `| ${name} | ${answered} x 408 | all ${closedAt.length} closed after ${(percentile(closedAt, 0) / 1000).toFixed(2)}-${(Math.max(...closedAt) / 1000).toFixed(2)} s | - | ${summary(name)} |`,
      );
    }
    running = false;
    await sampling;
    await prober.terminate();

    const doc = [
      '# What hostile clients cost the API',
      '',
      'Command: `npx tsx bench/hostile-input.ts` (the API in a child process, `src/main.ts api`, with',
      `REQUEST_TIMEOUT_MS=HEADERS_TIMEOUT_MS=${TIMEOUT_MS}; \`/health/live\` probed every 10 ms from a thread`,
      `of the bench process; RSS of the API from /proc every 20 ms). Machine: ${cpus().length} x ${cpus()[0]?.model ?? 'unknown CPU'},`,
      `Node ${process.version}. Each spec sent ${REPEATS} times; idle RSS ${idle.toFixed(0)} MB.`,
      '',
      '| input | answers (0: none) | size / closed | answer time (p50) | `/health/live` meanwhile (p50 / max), API RSS peak above idle |',
      '| ----- | ----------------- | ------------- | ----------------- | ------------------------------------------------------------ |',
      ...results,
      '',
      'Before (issue 11, same 1M-field spec): a 400 with an 82.8 MB body, `/health/live` blocked 3.6-4.0 s,',
      '758 MB more RSS; half-sent bodies still held after 150 s, 200 of them from one client all held;',
      'unfinished headers answered 408 only after ~90 s.',
      '',
    ].join('\n');
    await writeFile(new URL('./results/hostile-input.md', import.meta.url), doc);
    process.stdout.write(doc);
  } finally {
    running = false;
    api.kill('SIGTERM');
    await new Promise((resolve) => api.once('exit', resolve));
    await redis.stop();
    await rm(dir, { recursive: true, force: true });
  }
}

await main();
