/**
 * A full garbage collection on demand, for a predictor thread that has just dropped the full-size maps of
 * a large image.
 *
 * Why: those maps are typed arrays outside V8's heap (a 4096x4096 prediction leaves ~120 MB of them), and
 * V8 collects them only when a later allocation pushes it to; an idle thread never allocates, so the
 * memory would stay resident until the next request. Node offers no GC call without `--expose-gc`, which
 * cannot be passed to one thread (V8 flags are per process) and must not be a requirement of `npm start`;
 * so the flag is set at run time and the `gc` function taken from a fresh context, as Jest does for its
 * leak detection. If that is ever refused, collection is left to V8 (only memory is at stake).
 *
 * @packageDocumentation
 */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

let collector: (() => void) | null | undefined;

/** V8's `gc()`, obtained once; null when this runtime does not give it. */
function gcFunction(): (() => void) | null {
  if (collector !== undefined) return collector;
  try {
    setFlagsFromString('--expose-gc');
    const gc: unknown = runInNewContext('gc');
    collector = typeof gc === 'function' ? (gc as () => void) : null;
  } catch {
    collector = null;
  }
  return collector;
}

/** Runs a full collection now; returns whether one ran. */
export function collectGarbage(): boolean {
  const gc = gcFunction();
  if (gc === null) return false;
  gc();
  return true;
}
