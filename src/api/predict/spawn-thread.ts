/**
 * How the pool (predictor-pool.ts) starts a predictor thread: its heap's limits and, under tsx, the loader.
 *
 * @packageDocumentation
 */
import { Worker } from 'node:worker_threads';
import type { PredictThreadData } from './predict-thread.js';

/**
 * Young generation of each predictor thread's heap, in MB (V8 sizes it as three semi-spaces: 64 MB each).
 * Why: one prediction allocates megabytes of short-lived maps, rows and encoder buffers that are still
 * alive across the awaits of its PNG encodings; with V8's default (16 MB semi-spaces) they are promoted
 * and nearly every prediction ends in a full mark-compact (`--trace-gc` on a loop of 512x256 JSON
 * answers); with 64 MB semi-spaces they die young. The space is committed only as far as it is used
 * (bench/results/limits.md: idle RSS 613 MB against 542 MB before, every bound held).
 */
export const PREDICTOR_YOUNG_GENERATION_MB = 192;

/**
 * Starts a thread on `entry`. Under tsx (development, tests) the entry is TypeScript and threads do not
 * inherit the main thread's loader, so a one-line bootstrap registers tsx in the thread first.
 */
export function spawnThread(entry: URL, workerData: PredictThreadData): Worker {
  const resourceLimits = { maxYoungGenerationSizeMb: PREDICTOR_YOUNG_GENERATION_MB };
  if (!entry.pathname.endsWith('.ts')) return new Worker(entry, { workerData, resourceLimits });
  const bootstrap = `import('tsx/esm/api').then(({ register }) => { register(); return import(${JSON.stringify(entry.href)}); })`;
  return new Worker(bootstrap, { eval: true, workerData, resourceLimits });
}
