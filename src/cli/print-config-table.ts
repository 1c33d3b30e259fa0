/**
 * Prints the configuration table of README.md, generated from the configuration schema in `src/config.ts`.
 *
 * Usage:
 * - `npx tsx src/cli/print-config-table.ts` prints the table to stdout;
 * - `--write` rewrites the table between the config-table markers of README.md;
 * - `--check` exits with status 1 when README.md's table differs from it.
 *
 * @packageDocumentation
 */
import { readFile, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { renderConfigTable, withConfigTable } from '../config.js';

/** Path of the README. Why relative to this file: the script works from any working directory. */
const README_PATH = fileURLToPath(new URL('../../README.md', import.meta.url));

/** Runs the command with the given arguments; returns the process exit status. */
async function run(args: readonly string[]): Promise<number> {
  if (args.includes('--write') || args.includes('--check')) {
    const current = await readFile(README_PATH, 'utf8');
    const fresh = withConfigTable(current);
    if (args.includes('--write')) {
      await writeFile(README_PATH, fresh);
      return 0;
    }
    if (current === fresh) return 0;
    process.stderr.write(
      `${README_PATH}'s configuration table is stale; run: npx tsx src/cli/print-config-table.ts --write\n`,
    );
    return 1;
  }
  process.stdout.write(renderConfigTable());
  return 0;
}

process.exitCode = await run(process.argv.slice(2));
