/**
 * Runs one of this repository's TypeScript entry points as a child process (`node --import tsx <script>`,
 * what the npm scripts run) and collects what it prints, for tests that send it signals or read its exit.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';

/** Repository root, where the npm scripts run. */
const ROOT = fileURLToPath(new URL('../..', import.meta.url));

/** A spawned script with its output collected. */
export interface SpawnedScript {
  child: ChildProcess;
  /** Everything it wrote to stdout so far. */
  stdout: () => string;
  /** Everything it wrote to stderr so far. */
  stderr: () => string;
  /** Its exit: a status, or the signal that killed it. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/**
 * Spawns `node --import tsx <script> ...args` in the repository root with `env` as its environment.
 *
 * @param script - Path from the repository root, e.g. `src/main.ts`.
 * @param args - Command-line arguments after the script.
 * @param env - The whole environment of the child.
 * @returns The running child.
 */
export function spawnScript(script: string, args: readonly string[], env: NodeJS.ProcessEnv): SpawnedScript {
  const child = spawn(process.execPath, ['--import', 'tsx', script, ...args], {
    cwd: ROOT,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout?.on('data', (chunk: Buffer) => (out += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (err += chunk.toString()));
  const exited = once(child, 'exit').then(([code, signal]) => ({
    code: code as number | null,
    signal: signal as NodeJS.Signals | null,
  }));
  return { child, stdout: () => out, stderr: () => err, exited };
}
