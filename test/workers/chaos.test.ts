/**
 * Chaos: the API, two worker processes and a private Redis with an append-only file, tiny jobs submitted
 * one after another, and meanwhile: training children killed with SIGKILL (one during its start-up, one
 * while training), a worker parent killed with SIGKILL, one worker stopped with SIGTERM, and one Redis
 * restart. Workers that die are replaced, as a supervisor would. Every job must complete with a whole
 * model and each epoch exactly once, in order, in its history.
 *
 * Bounded in time: short locks (a killed worker's job is free within seconds) and one retry back-off
 * (10 s) per killed child; the whole test takes about a minute.
 */
import assert from 'node:assert/strict';
import { access, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { TrainingJob } from '../../src/queue/job-schemas.js';
import { childPids, signalProcess } from '../helpers/processes.js';
import { FINAL_STATUSES, ServiceHarness, submitJob } from '../helpers/service.js';
import { tinySpec, waitFor, type SpawnedWorker } from '../helpers/training.js';

/** Jobs in the run. Why 6: enough that every fault meets a job in some phase, few enough for a minute. */
const JOBS = 6;

/** Epochs per job. Why 3: a fault between two epochs must not repeat or drop one. */
const EPOCHS = 3;

/** Time between two submissions. Why 700 ms: jobs overlap the faults in different phases. */
const SUBMIT_INTERVAL_MS = 700;

/**
 * Lock of a job. Why 4 s: a killed worker's job is free again within seconds, and the Redis outage
 * below (about 1 s) is well inside half of it, which is what the service promises to ride through.
 */
const LOCK_MS = 4_000;

/** How long Redis stays down on its restart. Why 800 ms: an outage the service must ride through. */
const REDIS_DOWN_MS = 800;

/** How long the run may take in all. */
const RUN_TIMEOUT_MS = 150_000;

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

describe('chaos: kill -9 of children and workers, SIGTERM, a Redis restart', () => {
  let service: ServiceHarness;

  before(async () => {
    service = await ServiceHarness.start('chaos', { appendOnly: true });
  });
  after(async () => {
    await service.close();
  });

  it('every job completes with a whole model and each epoch once, in order', async () => {
    const env = service.environment({
      WORKER_LOCK_DURATION_MS: String(LOCK_MS),
      WORKER_STALLED_INTERVAL_MS: '1000',
      WORKER_MAX_STALLED_COUNT: '5',
      JOB_ATTEMPTS: '5',
      PROGRESS_INTERVAL_MS: '200',
    });
    const { base } = await service.startApi(env);

    // Two worker slots, each refilled when its worker dies (as compose's restart policy or npm start would).
    const slots: (SpawnedWorker | undefined)[] = [undefined, undefined];
    let stopping = false;
    const fill = async (slot: number): Promise<SpawnedWorker> => {
      const worker = await service.startWorker(env);
      slots[slot] = worker;
      void worker.exited.then(() => {
        if (!stopping) void sleep(300).then(() => (stopping ? undefined : fill(slot)));
      });
      return worker;
    };
    await Promise.all([fill(0), fill(1)]);
    const live = (): SpawnedWorker[] =>
      slots.filter(
        (w): w is SpawnedWorker =>
          w !== undefined && w.child.exitCode === null && w.child.signalCode === null,
      );

    /** A live worker with a training child, if any (a fault there hits a job mid-way), else any live one. */
    const busiest = async (): Promise<SpawnedWorker | undefined> => {
      for (const w of live()) if ((await childPids(w.child.pid!)).length > 0) return w;
      return live()[0];
    };

    let done: TrainingJob[];
    try {
      const jobs: TrainingJob[] = [];
      const submitting = (async () => {
        for (let i = 0; i < JOBS; i++) {
          jobs.push(await submitJob(base, tinySpec({ epochs: EPOCHS, scenes: 8, seed: 1 + (i % 2) })));
          await sleep(SUBMIT_INTERVAL_MS);
        }
      })();

      const faults: string[] = [];
      /** Waits for a child of any live worker that satisfies `pick`, then SIGKILLs it. */
      const killChild = async (what: string, newerThan: Set<number>): Promise<void> => {
        const pid = await waitFor(
          what,
          async () => {
            for (const w of live()) {
              const fresh = (await childPids(w.child.pid!)).find((p) => !newerThan.has(p));
              if (fresh !== undefined) return fresh;
            }
            return undefined;
          },
          30_000,
          5,
        );
        await sleep(150);
        if (signalProcess(pid, 'SIGKILL')) faults.push(what);
      };
      const allChildren = async (): Promise<Set<number>> =>
        new Set((await Promise.all(live().map((w) => childPids(w.child.pid!)))).flat());

      // 1. A child killed during its start-up: the first one forked.
      await killChild('kill -9 of a starting child', new Set());
      // 2. A child killed while training: wait until some job has taken steps, then kill a running child.
      await waitFor(
        'steps',
        async () =>
          (await readJobs(base, jobs)).some((j) => (j.progress?.step ?? 0) >= 2) ? true : undefined,
        60_000,
        100,
      );
      const training = [...(await allChildren())];
      if (training[0] !== undefined && signalProcess(training[0], 'SIGKILL'))
        faults.push('kill -9 of a training child');
      // 3. A worker parent killed: its child exits on disconnect; the job is recovered as stalled.
      await sleep(1_500);
      const victim = await busiest();
      if (victim !== undefined) {
        victim.child.kill('SIGKILL');
        faults.push('kill -9 of a worker');
      }
      // 4. A Redis restart (AOF kept): everyone reconnects.
      await sleep(1_500);
      await service.redis.restart(REDIS_DOWN_MS);
      faults.push('Redis restart');
      // 5. One SIGTERM: the worker checkpoints, requeues its job and exits 0.
      await sleep(1_500);
      const stopped = await busiest();
      if (stopped !== undefined) {
        stopped.child.kill('SIGTERM');
        const exit = await stopped.exited;
        assert.deepEqual(exit, { code: 0, signal: null }, stopped.output().slice(-3000));
        faults.push('SIGTERM of a worker');
      }
      await submitting;

      done = await waitFor(
        'every job to end',
        async () => {
          const all = await readJobs(base, jobs);
          return all.length === JOBS &&
            all.every((j) => (FINAL_STATUSES as readonly string[]).includes(j.status))
            ? all
            : undefined;
        },
        RUN_TIMEOUT_MS,
        250,
      );
      process.stdout.write(`# chaos faults: ${faults.join(', ')}\n`);
      process.stdout.write(
        `# attempts finished per job: ${done.map((j) => j.attempts.made).join(' ')}; resumed from: ${done.map((j) => j.resumedFrom ?? '-').join(' ')}\n`,
      );
      assert.deepEqual(faults.length, 5, `every fault happened: ${faults.join(', ')}`);
    } finally {
      // Why in finally: a failed assertion must not leave the slots respawning workers after the test.
      stopping = true;
    }

    for (const job of done) {
      assert.equal(job.status, 'completed', `${job.id}: ${JSON.stringify(job.error)}`);
      assert.deepEqual(
        job.history.map((e) => e.epoch),
        [1, 2, 3],
        `${job.id}: each epoch once, in order`,
      );
      const modelDir = join(service.artifactDir, 'models', job.id);
      for (const file of ['model.json', 'weights.bin', 'manifest.json']) await access(join(modelDir, file));
      const manifest = JSON.parse(await readFile(join(modelDir, 'manifest.json'), 'utf8')) as {
        history: { epoch: number }[];
      };
      assert.deepEqual(
        manifest.history.map((e) => e.epoch),
        [1, 2, 3],
      );
    }
  });
});

/** The jobs as the API shows them; during a Redis outage it answers 503, so the last good read is kept. */
const lastRead = new Map<string, TrainingJob>();
async function readJobs(base: string, jobs: readonly TrainingJob[]): Promise<TrainingJob[]> {
  return Promise.all(
    jobs.map(async (job) => {
      try {
        const res = await fetch(`${base}/v1/training-jobs/${job.id}`);
        if (res.status === 200) lastRead.set(job.id, (await res.json()) as TrainingJob);
        else await res.body?.cancel();
      } catch {
        // The API is briefly unreachable; keep the last read.
      }
      return lastRead.get(job.id) ?? job;
    }),
  );
}
