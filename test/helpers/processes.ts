/**
 * Process-tree helpers for fault tests: find a worker's training children by reading /proc (Linux), so
 * tests can kill or freeze them at chosen moments.
 */
import { readdir, readFile } from 'node:fs/promises';

/** The entry file name of a training child, as it appears on its command line. */
export const TRAINING_CHILD_MARK = 'training-child-main';

/** Parent pid of `pid`, or undefined when it is gone. */
async function parentOf(pid: number): Promise<number | undefined> {
  try {
    const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
    // Why after the last ')': the command name in field 2 may itself contain spaces or parentheses.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return Number(fields[1]);
  } catch {
    return undefined;
  }
}

/** Command line of `pid` joined by spaces, or '' when it is gone. */
async function commandLine(pid: number): Promise<string> {
  try {
    return (await readFile(`/proc/${pid}/cmdline`, 'utf8')).split('\0').join(' ');
  } catch {
    return '';
  }
}

/**
 * Live children of `parentPid` whose command line contains `mark`.
 *
 * @param parentPid - The parent (e.g. a spawned worker).
 * @param mark - A substring of the children's command line.
 */
export async function childPids(parentPid: number, mark: string = TRAINING_CHILD_MARK): Promise<number[]> {
  const pids = (await readdir('/proc')).filter((name) => /^\d+$/.test(name)).map(Number);
  const found: number[] = [];
  for (const pid of pids) {
    if ((await parentOf(pid)) !== parentPid) continue;
    if ((await commandLine(pid)).includes(mark)) found.push(pid);
  }
  return found;
}

/** Sends `signal` to `pid`; false when it is already gone. */
export function signalProcess(pid: number, signal: NodeJS.Signals): boolean {
  try {
    process.kill(pid, signal);
    return true;
  } catch {
    return false;
  }
}
