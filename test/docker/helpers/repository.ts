/**
 * The repository as the images see it: its root is the build context of every image in docker/.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Repository root: the build context of every image. */
export const ROOT = fileURLToPath(new URL('../../..', import.meta.url));

/** The text of a file, by its path relative to the repository root. */
export function readRepoFile(path: string): string {
  return readFileSync(join(ROOT, path), 'utf8');
}
