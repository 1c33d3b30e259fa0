/**
 * Listing of directories inside `DATA_DIR` that never leaves it: a symlink is followed only when its target
 * lies inside, and names sort the same on every machine.
 *
 * @packageDocumentation
 */
import { readdir, stat } from 'node:fs/promises';
import { join, posix } from 'node:path';
import { DatasetError } from '../errors.js';
import { assertRealPathInside } from './data-path.js';

/** Compares strings by code unit, so listings sort the same on every machine and locale. */
function byCodeUnit(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Directories and files inside `DATA_DIR`, named by paths relative to it with `/` separators. */
export class DataDirectory {
  /**
   * @param dataDir - `DATA_DIR`.
   */
  constructor(readonly dataDir: string) {}

  /** Absolute path on disk of a path relative to `DATA_DIR`. */
  absolutePath(relativeToDataDir: string): string {
    return join(this.dataDir, ...relativeToDataDir.split('/'));
  }

  /** Kind of the entry at `rel` (following a symlink after checking it stays inside `DATA_DIR`). */
  async entryKind(rel: string): Promise<'dir' | 'file' | 'missing'> {
    const abs = this.absolutePath(rel);
    try {
      const s = await stat(abs);
      await assertRealPathInside(this.dataDir, abs, rel);
      return s.isDirectory() ? 'dir' : 'file';
    } catch (error) {
      if (error instanceof DatasetError) throw error;
      return 'missing';
    }
  }

  /**
   * Names of the entries of kind `kind` in directory `dir` (relative to `DATA_DIR`), sorted. Symlinks are
   * followed only when their target is inside `DATA_DIR`, else they are a {@link DatasetError}.
   * A missing directory is an error when `mustExist`, else it lists as empty.
   */
  async listDir(dir: string, kind: 'dir' | 'file', mustExist: boolean): Promise<string[]> {
    let entries;
    try {
      entries = await readdir(this.absolutePath(dir), { withFileTypes: true });
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (!mustExist && (code === 'ENOENT' || code === 'ENOTDIR')) return [];
      throw new DatasetError(`cannot list directory (${code ?? 'error'})`, dir, { cause: error });
    }
    const names: string[] = [];
    for (const entry of entries) {
      let isDir = entry.isDirectory();
      let isFile = entry.isFile();
      if (entry.isSymbolicLink()) {
        const rel = posix.join(dir, entry.name);
        const k = await this.entryKind(rel);
        isDir = k === 'dir';
        isFile = k === 'file';
      }
      if ((kind === 'dir' && isDir) || (kind === 'file' && isFile)) names.push(entry.name);
    }
    return names.sort(byCodeUnit);
  }

  /** Stems of the files in `dir` that end with `suffix`, sorted. */
  async stems(dir: string, suffix: string, mustExist: boolean): Promise<string[]> {
    const files = await this.listDir(dir, 'file', mustExist);
    return files
      .filter((f) => f.endsWith(suffix) && f.length > suffix.length)
      .map((f) => f.slice(0, -suffix.length));
  }
}
