/**
 * The temporary directories a job writes under `ARTIFACT_DIR` before renaming them into place: a synthetic
 * dataset being generated (`datasets/.{name}.tmp-{pid}-{ms}`), a target cache being built
 * (`cache/{key}.tmp-{pid}-{hex}`) and a model being saved (`models/.{id}.tmp-{pid}`). A job that stops
 * cleanly removes its own; these functions find the ones a killed process left behind.
 *
 * @packageDocumentation
 */
import { readdir, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';

/** What names a temporary directory, followed by the writing process's id. */
export const TEMPORARY_MARK = '.tmp-';

/** `{anything}.tmp-{pid}` or `{anything}.tmp-{pid}-{suffix}`: the pid is the writer's. */
const TEMPORARY_NAME = /\.tmp-(\d+)(?:-[^/]*)?$/;

/** A temporary directory found under `ARTIFACT_DIR`. */
export interface TemporaryDir {
  /** Absolute path. */
  path: string;
  /** The process that wrote it. */
  pid: number;
  /** Last modification (ms since the epoch). */
  mtimeMs: number;
}

/** The process id in a temporary directory's name, or undefined when `name` is not one. */
export function temporaryDirPid(name: string): number | undefined {
  const match = TEMPORARY_NAME.exec(name);
  return match === null ? undefined : Number(match[1]);
}

/**
 * The folders of `ARTIFACT_DIR` that temporary directories are written in: those of `training-dataset.ts`,
 * `data/target-cache.ts` (`CACHE_DIR_NAME`) and `artifacts.ts` (`modelsRoot`). Why names and not those
 * imports: a worker process uses this module, and they would load sharp and tfjs into it (a test checks
 * that the names agree).
 */
export const TEMPORARY_ROOTS = ['datasets', 'cache', 'models'] as const;

/** The folders of `ARTIFACT_DIR` that temporary directories are written in. */
function temporaryRoots(artifactDir: string): string[] {
  return TEMPORARY_ROOTS.map((name) => join(artifactDir, name));
}

/** Every temporary directory under `artifactDir` (a missing folder has none). */
export async function listTemporaryDirs(artifactDir: string): Promise<TemporaryDir[]> {
  const found: TemporaryDir[] = [];
  for (const root of temporaryRoots(artifactDir)) {
    const names = await readdir(root).catch(() => [] as string[]);
    for (const name of names) {
      const pid = temporaryDirPid(name);
      if (pid === undefined) continue;
      const info = await stat(join(root, name)).catch(() => undefined);
      if (info !== undefined) found.push({ path: join(root, name), pid, mtimeMs: info.mtimeMs });
    }
  }
  return found;
}

/**
 * Removes the temporary directories under `artifactDir` that `select` picks.
 *
 * @returns The paths removed.
 */
export async function removeTemporaryDirs(
  artifactDir: string,
  select: (dir: TemporaryDir) => boolean,
): Promise<string[]> {
  const chosen = (await listTemporaryDirs(artifactDir)).filter(select);
  await Promise.all(chosen.map((dir) => rm(dir.path, { recursive: true, force: true })));
  return chosen.map((dir) => dir.path);
}

/** Whether a process with this id runs on this machine (the writer of a temporary directory may). */
export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: it exists but belongs to someone else.
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Removes the leftovers of processes that are gone: temporary directories last modified before
 * `cutoffMs` (the start of the oldest job running now, or now when none runs) whose writer does not run on
 * this machine. Why both: a directory older than every running job belongs to none of them; the process
 * check spares one whose writer still runs here (another queue's worker sharing `ARTIFACT_DIR`).
 *
 * @returns The paths removed.
 */
export function removeStaleTemporaryDirs(artifactDir: string, cutoffMs: number): Promise<string[]> {
  return removeTemporaryDirs(artifactDir, (dir) => dir.mtimeMs < cutoffMs && !processAlive(dir.pid));
}
