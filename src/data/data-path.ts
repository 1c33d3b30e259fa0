/**
 * Resolution of dataset paths inside `DATA_DIR`: the one place that decides whether a path a client or job
 * names may be read. Nothing in the data library opens a dataset file except through a path that came from
 * here (or from a directory listing below one).
 *
 * @packageDocumentation
 */
import { realpath } from 'node:fs/promises';
import { isAbsolute, posix, relative, resolve, sep } from 'node:path';
import { DatasetError } from '../errors.js';

/** A dataset location: its absolute path on disk and its path relative to `DATA_DIR` (for messages). */
export interface DataPath {
  /** Absolute path on disk (symlinks not expanded: messages and listings keep the user's names). */
  absolute: string;
  /** The same path relative to `DATA_DIR`, with `/` separators; `.` for `DATA_DIR` itself. */
  relative: string;
}

/** Whether `child` is `parent` or lies below it (both absolute, normalised). */
function isInside(parent: string, child: string): boolean {
  const rel = relative(parent, child);
  return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel));
}

/** `rel` (platform separators) with `/` separators, as messages and cache keys use. */
export function toPosix(rel: string): string {
  return rel.split(sep).join(posix.sep);
}

/**
 * Resolves `relativePath` against `dataDir` and checks that it stays inside: an absolute path, a `..` that
 * climbs out, or a symlink (anywhere along the path) whose target lies outside `DATA_DIR` is refused.
 *
 * @param dataDir - `DATA_DIR` (absolute or relative to the working directory).
 * @param relativePath - A path inside it, as a client or job gave it (e.g. `cityscapes`).
 * @returns The resolved location.
 * @throws {@link DatasetError} (422) naming `relativePath` when it is empty, absolute, escapes `DATA_DIR`,
 *   does not exist, or resolves through a symlink to a place outside `DATA_DIR`.
 */
export async function resolveDataPath(dataDir: string, relativePath: string): Promise<DataPath> {
  const shown = relativePath;
  if (relativePath.trim() === '' || relativePath.includes('\0')) {
    throw new DatasetError('dataset path must be a non-empty path inside DATA_DIR', shown);
  }
  if (isAbsolute(relativePath) || /^[a-zA-Z]:[\\/]/.test(relativePath)) {
    throw new DatasetError('dataset path must be relative to DATA_DIR, not absolute', shown);
  }
  const root = resolve(dataDir);
  const absolute = resolve(root, relativePath);
  if (!isInside(root, absolute)) {
    throw new DatasetError('dataset path leaves DATA_DIR', shown);
  }
  const rel = toPosix(relative(root, absolute)) || '.';
  await assertRealPathInside(root, absolute, rel);
  return { absolute, relative: rel };
}

/**
 * Checks that `absolute` exists and that its real path (all symlinks expanded) lies inside the real path of
 * `dataDir`.
 *
 * @param dataDir - `DATA_DIR`.
 * @param absolute - An absolute path below it.
 * @param shown - How to name it in errors (relative to `DATA_DIR`).
 * @throws {@link DatasetError} naming `shown` when it does not exist or its real path is outside.
 */
export async function assertRealPathInside(dataDir: string, absolute: string, shown: string): Promise<void> {
  let realRoot: string;
  try {
    realRoot = await realpath(resolve(dataDir));
  } catch (error) {
    throw new DatasetError('DATA_DIR does not exist', '.', { cause: error });
  }
  let real: string;
  try {
    real = await realpath(absolute);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const what = code === 'ENOENT' ? 'does not exist' : `cannot be opened (${code ?? 'error'})`;
    throw new DatasetError(`dataset path ${what}`, shown, { cause: error });
  }
  if (!isInside(realRoot, real)) {
    throw new DatasetError('dataset path is a symlink to a place outside DATA_DIR', shown);
  }
}
