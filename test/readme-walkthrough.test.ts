/**
 * Runs the README's curl walkthrough literally: starts the service with `npm start` (API, worker and a
 * local Redis), then runs every shell block between the walkthrough markers, in order, in one bash session
 * with `API` pointing at the service and `DEMO` at a scratch directory.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import sharp from 'sharp';
import { decodeImage } from '../src/data/image-codec.js';
import { freePort } from '../src/queue/redis-probe.js';
import { TRAIN_CLASSES } from '../src/data/index.js';
import { randomImage } from './helpers/tiny-model.js';
import { ROOT, tempDir, waitFor } from './helpers/training.js';

interface PredictBody {
  width: number;
  height: number;
  segmentation: { labelMap: { data: string } };
  instances: { instances: { bbox: [number, number, number, number] }[]; idMap: { data: string } };
  depth: { disparityMap: { data: string } };
}

let service: ReturnType<typeof spawn> | undefined;
let dir: { path: string; remove: () => Promise<void> };
let api: string;

/** The shell blocks between `<!-- walkthrough:start -->` and `<!-- walkthrough:end -->`. */
function walkthroughBlocks(readme: string): string[] {
  const start = readme.indexOf('<!-- walkthrough:start -->');
  const end = readme.indexOf('<!-- walkthrough:end -->');
  assert.ok(start >= 0 && end > start, 'README has the walkthrough markers');
  return [...readme.slice(start, end).matchAll(/```sh\n([\s\S]*?)```/g)].map((m) => m[1]!);
}

before(async () => {
  dir = await tempDir('walkthrough-');
  const port = await freePort();
  api = `http://127.0.0.1:${port}`;
  service = spawn('npm', ['start'], {
    cwd: ROOT,
    env: {
      ...process.env,
      PORT: String(port),
      HOST: '127.0.0.1',
      REDIS_URL: '',
      ARTIFACT_DIR: join(dir.path, 'artifacts'),
      DATA_DIR: join(dir.path, 'data'),
      TF_BACKEND: 'wasm',
      LOG_LEVEL: 'warn',
    },
    stdio: ['ignore', 'inherit', 'inherit'],
    detached: true,
  });
  await waitFor(
    'the service to be ready',
    async () => {
      const res = await fetch(`${api}/health/ready`).catch(() => undefined);
      return res?.ok ? true : undefined;
    },
    60_000,
  );
});

after(async () => {
  if (service?.pid !== undefined) {
    process.kill(-service.pid, 'SIGINT');
    await new Promise((resolve) => service!.once('exit', resolve));
  }
  await dir.remove();
});

test('the README walkthrough runs as written against a started service', async () => {
  const blocks = walkthroughBlocks(await readFile(join(ROOT, 'README.md'), 'utf8'));
  assert.ok(blocks.length >= 6, `found ${blocks.length} blocks`);
  const demo = join(dir.path, 'demo');
  const script = ['set -euo pipefail', ...blocks].join('\n');
  const output = await new Promise<string>((resolve, reject) => {
    const shell = spawn('bash', ['-c', script], { cwd: ROOT, env: { ...process.env, API: api, DEMO: demo } });
    let text = '';
    shell.stdout.on('data', (chunk: Buffer) => (text += chunk.toString()));
    shell.stderr.on('data', (chunk: Buffer) => (text += chunk.toString()));
    shell.on('exit', (code) =>
      code === 0 ? resolve(text) : reject(new Error(`walkthrough exited ${code}:\n${text}`)),
    );
  });
  assert.match(output, /^job [A-Za-z0-9_-]+$/m);
  assert.match(output, /event: completed/);
  const id = /^job ([A-Za-z0-9_-]+)$/m.exec(output)![1]!;
  const summaries = output
    .split('\n')
    .filter((line) => line.startsWith(`{"id":"${id}"`))
    .map((line) => JSON.parse(line) as Record<string, unknown>);
  assert.equal(summaries.length, 2, 'the job polled twice with ?view=summary');
  for (const summary of summaries) {
    assert.deepEqual(Object.keys(summary).slice(0, 4), ['id', 'name', 'labels', 'status']);
    for (const long of ['spec', 'history', 'checkpoints']) assert.ok(!(long in summary), long);
  }
  const finished = summaries[1] as { status: string; progress: Record<string, unknown>; modelId: string };
  assert.equal(finished.status, 'completed');
  assert.deepEqual(Object.keys(finished).slice(3, 6), ['status', 'progress', 'modelId']);
  assert.equal(finished.progress.percent, 100);
  assert.ok(!('phase' in finished.progress), 'a completed job has no phase');
  assert.equal(finished.modelId, id);
  assert.match(output, /^192x96 \d+ instances disparity [\d.]+\.\.[\d.]+ px$/m);
  const overlay = await sharp(join(demo, 'overlay.png')).metadata();
  assert.deepEqual([overlay.format, overlay.width, overlay.height], ['png', 192, 96]);
  assert.match(output, /^\{"items":\[\{"id":"[^\n]*"name":"walkthrough","labels":\{"demo":"readme"\}/m);
  jobId = /^job ([A-Za-z0-9_-]+)$/m.exec(output)![1]!;
});

let jobId = '';

test('the model a real worker trained predicts JPEG and PNG of other sizes, all outputs at the image size', async () => {
  assert.ok(jobId, 'the walkthrough ran first');
  for (const [width, height, format] of [
    [100, 70, 'jpeg'],
    [200, 40, 'png'],
  ] as const) {
    const res = await fetch(`${api}/v1/models/${jobId}/predict`, {
      method: 'POST',
      headers: { 'content-type': `image/${format}` },
      body: await randomImage(width, height, format),
    });
    assert.equal(res.status, 200);
    const body = (await res.json()) as PredictBody;
    assert.deepEqual([body.width, body.height], [width, height]);
    const labels = await decodeImage(Buffer.from(body.segmentation.labelMap.data, 'base64'));
    assert.deepEqual([labels.width, labels.height], [width, height]);
    const known = new Set(TRAIN_CLASSES.map((c) => c.trainId));
    assert.ok(
      labels.data.every((v) => known.has(v)),
      'only known class ids',
    );
    const ids = await decodeImage(Buffer.from(body.instances.idMap.data, 'base64'));
    assert.deepEqual([ids.width, ids.height], [width, height]);
    for (const { bbox } of body.instances.instances) {
      assert.ok(
        bbox[0] >= 0 && bbox[1] >= 0 && bbox[2] <= width && bbox[3] <= height,
        'bbox inside the image',
      );
    }
    const disparity = await decodeImage(Buffer.from(body.depth.disparityMap.data, 'base64'));
    assert.deepEqual([disparity.width, disparity.height], [width, height]);
  }
});

test('while 8 clients send predictions, /health/live and job status answer well under a second', async (t) => {
  const image = await randomImage(256, 128, 'png');
  let sending = true;
  const clients = Array.from({ length: 8 }, async () => {
    const statuses: number[] = [];
    while (sending) {
      const res = await fetch(`${api}/v1/models/${jobId}/predict`, {
        method: 'POST',
        headers: { 'content-type': 'image/png' },
        body: image,
      });
      statuses.push(res.status);
      await res.arrayBuffer();
    }
    return statuses;
  });
  const latencies: number[] = [];
  for (let i = 0; i < 20; i++) {
    for (const path of ['/health/live', `/v1/training-jobs/${jobId}`]) {
      const started = performance.now();
      const res = await fetch(`${api}${path}`);
      await res.arrayBuffer();
      latencies.push(performance.now() - started);
      assert.equal(res.status, 200);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  sending = false;
  const statuses = (await Promise.all(clients)).flat();
  assert.ok(statuses.filter((s) => s === 200).length >= 8, `predictions answered: ${statuses.length}`);
  assert.ok(
    statuses.every((s) => s === 200 || s === 503),
    'busy means 503 with Retry-After, never an error',
  );
  const busy = statuses.filter((x) => x === 503).length;
  t.diagnostic(
    `${statuses.length} predictions (${busy} busy), health/status max ${Math.max(...latencies).toFixed(0)} ms`,
  );
  assert.ok(
    Math.max(...latencies) < 1000,
    `slowest health/status answer ${Math.max(...latencies).toFixed(0)} ms`,
  );
});
