/**
 * Lets a module that is both importable and runnable (the service, the worker, CLIs) tell whether it is
 * the program being run, so that importing it in a test starts nothing.
 *
 * @packageDocumentation
 */
import { realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/**
 * Whether the module at `moduleUrl` (pass `import.meta.url`) is the script Node was started with.
 * Symlinks (e.g. node_modules/.bin) are resolved on both sides.
 */
export function isEntryPoint(moduleUrl: string): boolean {
  const script = process.argv[1];
  if (script === undefined) return false;
  try {
    return realpathSync(script) === realpathSync(fileURLToPath(moduleUrl));
  } catch {
    return false;
  }
}
