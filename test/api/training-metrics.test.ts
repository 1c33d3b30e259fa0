/**
 * The training gauges of `/metrics` while a tiny job trains, with a real Redis, the API over real HTTP and
 * a real worker process: the steps counter and step histogram move, the loss and sigma of the job's
 * worker slot appear while it runs and are gone once it ends; and the worker logs one info line per epoch
 * with losses, sigmas and validation metrics.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ServiceHarness, submitJob, untilStatus, type StartedApi } from '../helpers/service.js';
import { tinySpec } from '../helpers/training.js';

/** Epochs of the job: 2 steps each (4 scenes, batch 2). */
const EPOCHS = 3;

let harness: ServiceHarness;

before(async () => {
  harness = await ServiceHarness.start('training-metrics');
});
after(() => harness.close());

/** The samples of one scrape: series (name and labels as written) → value. */
async function scrape(api: StartedApi): Promise<Map<string, number>> {
  const text = await (await fetch(`${api.base}/metrics`)).text();
  const samples = new Map<string, number>();
  for (const line of text.split('\n')) {
    if (line.startsWith('#') || line.trim() === '') continue;
    const space = line.lastIndexOf(' ');
    samples.set(line.slice(0, space), Number(line.slice(space + 1)));
  }
  return samples;
}

/** Series of `samples` whose name is `name`. */
function series(samples: Map<string, number>, name: string): [string, number][] {
  return [...samples].filter(([key]) => key === name || key.startsWith(`${name}{`));
}

describe('training gauges in /metrics', () => {
  it('move while a job trains and drop the job’s series when it ends', async () => {
    const env = harness.environment();
    const api = await harness.startApi(env);
    const worker = await harness.startWorker(env);
    const job = await submitJob(api.base, tinySpec({ epochs: EPOCHS }));

    const stepsSeen = new Set<number>();
    let running: Map<string, number> | undefined;
    let done = false;
    const finished = untilStatus(api.base, job.id, ['completed', 'failed', 'cancelled'], 120_000).finally(
      () => (done = true),
    );
    while (!done) {
      const samples = await scrape(api);
      stepsSeen.add(samples.get('scene_mtl_training_steps_total') ?? 0);
      if (series(samples, 'scene_mtl_training_loss').length > 0) running = samples;
      await new Promise((resolve) => setTimeout(resolve, 40));
    }
    const final = await finished;
    assert.equal(final.status, 'completed');
    const totalSteps = EPOCHS * 2;

    // The counter moved through several values while training, and ends at the job's steps.
    const moving = [...stepsSeen].filter((n) => n > 0 && n < totalSteps);
    assert.ok(moving.length >= 1, `steps seen: ${[...stepsSeen].join(', ')}`);
    const end = await scrape(api);
    assert.equal(end.get('scene_mtl_training_steps_total'), totalSteps);
    assert.equal(end.get('scene_mtl_training_step_seconds_count'), totalSteps);
    assert.ok(end.get('scene_mtl_training_step_seconds_sum')! > 0);

    // While it ran: loss per task and total, sigma per task, labelled by the worker slot (not the job id).
    assert.ok(running, 'no scrape saw the job running');
    const slot = `${final.worker!.name}/${final.worker!.slot}`;
    const loss = series(running, 'scene_mtl_training_loss').map(([key]) => key);
    for (const task of ['segmentation', 'instances', 'depth', 'total']) {
      assert.ok(loss.includes(`scene_mtl_training_loss{slot="${slot}",task="${task}"}`), loss.join('\n'));
    }
    const sigma = series(running, 'scene_mtl_training_sigma');
    assert.equal(sigma.length, 3);
    for (const [key, value] of sigma) {
      assert.ok(value > 0 && Number.isFinite(value), `${key} ${value}`);
      assert.ok(!key.includes(job.id));
    }
    // Ended: its series are gone, so label sets stay bounded by the running slots.
    assert.deepEqual(series(end, 'scene_mtl_training_loss'), []);
    assert.deepEqual(series(end, 'scene_mtl_training_sigma'), []);

    // The worker logged one info line per epoch with losses, sigmas and validation metrics.
    const epochLines = worker
      .output()
      .split('\n')
      .filter((l) => l.includes('"msg":"epoch '))
      .map(
        (l) =>
          JSON.parse(l) as { level: string; msg: string; jobId: string; sigmas?: unknown; epoch: number },
      );
    assert.deepEqual(
      epochLines.map((l) => [l.level, l.jobId, l.epoch]),
      Array.from({ length: EPOCHS }, (_, i) => ['info', job.id, i + 1]),
    );
    for (const line of epochLines) {
      assert.match(line.msg, /^epoch \d\/3 done in [\d.]+ s: losses segmentation \d/);
      assert.match(
        line.msg,
        /; sigmas segmentation \d\.\d{4}, instances \d\.\d{4}, depth \d\.\d{4}; validation /,
      );
      assert.equal(Object.keys(line.sigmas as object).length, 3);
    }
  });
});
