/**
 * How many jobs a worker runs at once (`WORKER_CONCURRENCY`) and how its CPU cores are shared out among
 * those slots.
 *
 * @packageDocumentation
 */
import { createRequire } from 'node:module';
import type { Config } from '../src/config.js';

/** The native tensorflow packages, in the order the backend selection tries them. */
const NATIVE_PACKAGES = ['@tensorflow/tfjs-node-gpu', '@tensorflow/tfjs-node'] as const;

/** What {@link resolveWorkerConcurrency} needs to know of the machine. */
export interface WorkerMachine {
  /** `os.availableParallelism()`. */
  cores: number;
  /** Whether a native tensorflow package is installed (see {@link nativeBackendInstalled}). */
  nativeBackend: boolean;
}

/**
 * The jobs a worker runs at once. A number is taken as it is. `auto`: one per core when the children will
 * train on wasm or cpu (single-threaded backends under Node), 1 when they will train on the native
 * tensorflow backend (GPU, or a CPU build whose kernels already use every core): that is when
 * `TF_BACKEND` is `tensorflow`, or `auto` with a native package installed.
 */
export function resolveWorkerConcurrency(
  setting: Config['WORKER_CONCURRENCY'],
  backend: Config['TF_BACKEND'],
  machine: WorkerMachine,
): number {
  if (setting !== 'auto') return setting;
  const native = backend === 'tensorflow' || (backend === 'auto' && machine.nativeBackend);
  return native ? 1 : Math.max(1, machine.cores);
}

/**
 * Cores each slot may use: an even share, at least one (more slots than cores share them). A job's
 * `training.replicas: auto` trains with that many replicas.
 */
export function coresPerSlot(cores: number, concurrency: number): number {
  return Math.max(1, Math.floor(cores / concurrency));
}

/**
 * Whether a native tensorflow package is installed (resolvable from here). It may still fail to load
 * (no libtensorflow); the child then falls back to wasm, and `WORKER_CONCURRENCY` should be set.
 */
export function nativeBackendInstalled(): boolean {
  const require = createRequire(import.meta.url);
  return NATIVE_PACKAGES.some((name) => {
    try {
      require.resolve(name);
      return true;
    } catch {
      return false;
    }
  });
}
