import { Worker, type WorkerOptions } from 'node:worker_threads';

/**
 * Starts a thread on `entry`. Under tsx (development, tests) the entry is TypeScript and threads do not
 * inherit the main thread's loader, so a one-line bootstrap registers tsx in the thread first.
 */
export function spawnThread(entry: URL, options: WorkerOptions): Worker {
  if (!entry.pathname.endsWith('.ts')) return new Worker(entry, options);
  const bootstrap = `import('tsx/esm/api').then(({ register }) => { register(); return import(${JSON.stringify(entry.href)}); })`;
  return new Worker(bootstrap, { ...options, eval: true });
}

/** A sibling module of `from` with the same extension (`.ts` under tsx, `.js` once built). */
export function siblingEntry(from: string, name: string): URL {
  const extension = from.endsWith('.ts') ? '.ts' : '.js';
  return new URL(`./${name}${extension}`, from);
}
