/**
 * Stopping `npm start` while it trains, as people and orchestrators do: Ctrl-C in a terminal (SIGINT to the
 * whole process group: npm, sh, tsx, main and the worker, with tsx relaying it to main once more) and
 * SIGTERM to main. Each must be one graceful stop: the worker writes one checkpoint and puts its job back in
 * the queue, everything exits cleanly, and on the next `npm start` the job resumes at once from that
 * checkpoint (no wait for stall recovery) and completes.
 */
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { readdir, readFile } from 'node:fs/promises';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import type { TrainingJob } from '../src/queue/job-schemas.js';
import { submitJob } from './helpers/service.js';
import { freePort } from './helpers/ports.js';
import { ROOT, tinySpec, waitFor } from './helpers/training.js';

/**
 * The lock of a job in these runs. Why 60 s: far longer than a resume after restart may take, so a job
 * that waited for stall recovery instead of being requeued would fail the bound below.
 */
const LOCK_MS = 60_000;

/** Longest time from the restarted service's readiness to the job running again. Why: well under {@link LOCK_MS}. */
const RESUME_BOUND_MS = 20_000;

const scratch = mkdtempSync(join(tmpdir(), 'scene-mtl-signals-'));
after(() => rmSync(scratch, { recursive: true, force: true }));

/** Process ids of the live members of process group `pgid` (from /proc). */
async function groupMembers(pgid: number): Promise<number[]> {
  const members: number[] = [];
  for (const name of await readdir('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = await readFile(`/proc/${name}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      // fields[0] is the state, [1] the parent, [2] the process group; a zombie is already gone.
      if (Number(fields[2]) === pgid && fields[0] !== 'Z') members.push(Number(name));
    } catch {
      // The process ended while we looked.
    }
  }
  return members;
}

/** `npm start` in a process group of its own, as a terminal runs a foreground job, with its output. */
interface NpmStart {
  child: ChildProcess;
  output: () => string;
  base: string;
}

function npmStart(dir: string, port: number): NpmStart {
  const child = spawn('npm', ['start'], {
    cwd: ROOT,
    detached: true,
    env: {
      ...process.env,
      PORT: String(port),
      HOST: '127.0.0.1',
      REDIS_URL: '',
      DATA_DIR: join(dir, 'data'),
      ARTIFACT_DIR: join(dir, 'artifacts'),
      WORKER_LOCK_DURATION_MS: String(LOCK_MS),
      PROGRESS_INTERVAL_MS: '0',
      LOG_LEVEL: 'info',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout?.on('data', (chunk: Buffer) => (out += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (out += chunk.toString()));
  return { child, output: () => out, base: `http://127.0.0.1:${port}` };
}

/** Waits until the service answers /health/ready and its worker is ready. */
async function untilReady(run: NpmStart): Promise<void> {
  await waitFor(
    'the service to be ready',
    async () => {
      const res = await fetch(`${run.base}/health/ready`).catch(() => undefined);
      return res?.status === 200 && run.output().includes('training worker ready') ? true : undefined;
    },
    90_000,
    200,
  ).catch((err: unknown) => {
    throw new Error(`${String(err)}\n${run.output().slice(-3000)}`);
  });
}

async function readJob(base: string, id: string): Promise<TrainingJob> {
  return (await (await fetch(`${base}/v1/training-jobs/${id}`)).json()) as TrainingJob;
}

/** Waits until every process of the run's group has exited. */
async function untilGroupGone(run: NpmStart): Promise<void> {
  await waitFor(
    'every process of npm start to exit',
    async () => ((await groupMembers(run.child.pid!)).length === 0 ? true : undefined),
    60_000,
    100,
  ).catch((err: unknown) => {
    throw new Error(`${String(err)}\n${run.output().slice(-3000)}`);
  });
}

/** Kills whatever is left of a run (after a failed assertion). */
function killGroup(run: NpmStart): void {
  try {
    process.kill(-run.child.pid!, 'SIGKILL');
  } catch {
    // Already gone.
  }
}

describe('stopping npm start while a job trains', () => {
  for (const way of ['Ctrl-C (SIGINT to the process group)', 'SIGTERM to main'] as const) {
    it(`${way}: a checkpoint, a clean exit, and the job resumes at once on restart`, async () => {
      const dir = mkdtempSync(join(scratch, 'run-'));
      const port = await freePort();
      const first = npmStart(dir, port);
      let second: NpmStart | undefined;
      try {
        await untilReady(first);
        const job = await submitJob(first.base, tinySpec({ epochs: 30 }));
        await waitFor(
          'the first epoch',
          async () => ((await readJob(first.base, job.id)).history.length >= 1 ? true : undefined),
          90_000,
          100,
        );
        const newestBefore = (await readJob(first.base, job.id)).checkpoints.at(-1)!.globalStep;
        if (way === 'SIGTERM to main') {
          const mainPid = await mainProcess(first.child.pid!);
          assert.ok(mainPid !== undefined, 'found the main process');
          process.kill(mainPid, 'SIGTERM');
        } else {
          process.kill(-first.child.pid!, 'SIGINT');
        }
        await untilGroupGone(first);
        const log = first.output();
        assert.doesNotMatch(log, /second signal/, 'one stop, not a forced exit');
        assert.match(log, /"msg":"worker stopped"/);
        assert.match(log, /"msg":"shut down"/);
        assert.equal((log.match(/"msg":"shut down"/g) ?? []).length, 1);

        second = npmStart(dir, port);
        await untilReady(second);
        const readyAt = Date.now();
        const parked = await readJob(second.base, job.id);
        assert.ok(['queued', 'running'].includes(parked.status), `after the stop: ${parked.status}`);
        // Why not "one more than before": an epoch of this job is 2 steps, so epochs (each with its
        // checkpoint) may end between the read above and the signal, and a stop that lands on an epoch's
        // end finds its checkpoint already written. What must hold: the newest checkpoint is at least as
        // new as before the stop, and the job resumes from it losing no epoch (below).
        assert.ok(
          parked.checkpoints.at(-1)!.globalStep >= newestBefore,
          `the stop left a checkpoint at step ${newestBefore} or later: ${JSON.stringify(parked.checkpoints)}`,
        );
        const stopCheckpoint = parked.checkpoints.at(-1)!.name;
        await waitFor(
          'the job to run again',
          async () => ((await readJob(second!.base, job.id)).status === 'running' ? true : undefined),
          RESUME_BOUND_MS,
          100,
        );
        assert.ok(Date.now() - readyAt < RESUME_BOUND_MS);
        const done = await waitFor(
          'the job to end',
          async () => {
            const current = await readJob(second!.base, job.id);
            return ['completed', 'failed', 'cancelled'].includes(current.status) ? current : undefined;
          },
          180_000,
          250,
        );
        assert.equal(done.status, 'completed', JSON.stringify(done.error));
        assert.equal(done.resumedFrom, stopCheckpoint, 'resumed from the newest checkpoint after the stop');
        assert.deepEqual(
          done.history.map((e) => e.epoch),
          Array.from({ length: 30 }, (_, i) => i + 1),
        );
        process.kill(-second.child.pid!, 'SIGINT');
        await untilGroupGone(second);
      } finally {
        killGroup(first);
        if (second !== undefined) killGroup(second);
      }
    });
  }
});

/** The pid of main (`src/main.ts` run by tsx) in the group of `npm start`. */
async function mainProcess(pgid: number): Promise<number | undefined> {
  for (const pid of await groupMembers(pgid)) {
    const cmdline = (await readFile(`/proc/${pid}/cmdline`, 'utf8').catch(() => '')).split('\0');
    if (cmdline[0]?.endsWith('node') && cmdline.some((a) => a.endsWith('src/main.ts'))) {
      if (!cmdline.some((a) => a.endsWith('/tsx') || a.endsWith('cli.mjs'))) return pid;
    }
  }
  return undefined;
}
