/**
 * Helpers for training-service tests: tiny specs, temporary directories, polling, spawned workers.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Repository root. */
export const ROOT = fileURLToPath(new URL('../..', import.meta.url));

/**
 * A spec that trains in seconds on wasm: 4 synthetic scenes of 64x128, width 4, batch 2 (2 steps/epoch).
 * Why these numbers: the smallest that exercise every task, validation and a checkpoint per epoch.
 */
export function tinySpec(
  overrides: { epochs?: number; scenes?: number; seed?: number } = {},
): Record<string, unknown> {
  return {
    dataset: { kind: 'synthetic', scenes: overrides.scenes ?? 4, size: [64, 128], seed: overrides.seed ?? 1 },
    tasks: ['segmentation', 'instances', 'depth'],
    weighting: { strategy: 'uncertainty' },
    model: { width: 4, inputSize: [64, 128] },
    training: { epochs: overrides.epochs ?? 1, batchSize: 2 },
  };
}

/** A fresh temporary directory, removed by the returned function. */
export async function tempDir(prefix: string): Promise<{ path: string; remove: () => Promise<void> }> {
  const path = await mkdtemp(join(tmpdir(), `scene-mtl-${prefix}-`));
  return { path, remove: () => rm(path, { recursive: true, force: true }) };
}

/** Unique queue name for one test. Why: tests never see each other's jobs, even on one Redis. */
export function uniqueQueueName(label: string): string {
  return `test-${label}-${process.pid}-${Math.random().toString(36).slice(2, 8)}`;
}

/** Polls `probe` until it returns a value other than undefined, or fails after `timeoutMs`. */
export async function waitFor<T>(
  what: string,
  probe: () => Promise<T | undefined> | T | undefined,
  timeoutMs = 30_000,
  intervalMs = 50,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      const value = await probe();
      if (value !== undefined) return value;
    } catch (err) {
      lastError = err;
    }
    if (Date.now() > deadline) {
      throw new Error(
        `timed out after ${timeoutMs} ms waiting for ${what}${lastError ? `: ${String(lastError)}` : ''}`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}

/** A spawned worker process. */
export interface SpawnedWorker {
  child: ChildProcess;
  /** Everything it printed so far. */
  output: () => string;
  /** Resolves when the worker logged that it is ready. */
  ready: Promise<void>;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** Kills it (SIGKILL) if still running. */
  kill: () => void;
}

/** Spawns `node --import tsx workers/training-worker.ts` with `env` added to this environment. */
export function spawnWorker(env: NodeJS.ProcessEnv): SpawnedWorker {
  const child = spawn(process.execPath, ['--import', 'tsx', 'workers/training-worker.ts'], {
    cwd: ROOT,
    env: { ...process.env, LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let resolveReady: () => void = () => undefined;
  const ready = new Promise<void>((resolve) => (resolveReady = resolve));
  const onData = (chunk: Buffer): void => {
    out += chunk.toString();
    if (out.includes('training worker ready')) resolveReady();
  };
  child.stdout?.on('data', onData);
  child.stderr?.on('data', onData);
  const exited = once(child, 'exit').then(([code, signal]) => ({
    code: code as number | null,
    signal: signal as NodeJS.Signals | null,
  }));
  const kill = (): void => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  };
  process.once('exit', kill);
  const readyOrExit = Promise.race([
    ready,
    exited.then(({ code, signal }) => {
      throw new Error(`worker exited (${String(code ?? signal)}) before it was ready:\n${out}`);
    }),
  ]);
  // Why: a test that expects the worker to fail never awaits `ready`.
  readyOrExit.catch(() => undefined);
  return {
    child,
    output: () => out,
    ready: readyOrExit,
    exited,
    kill,
  };
}
