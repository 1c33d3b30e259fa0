/**
 * The results store: one JSON file per finished run, `<dir>/<row>-seed<k>.json`, written atomically
 * (temporary file, then rename), so a file that exists is a whole result. Committed with the table, it is
 * what lets a stopped experiment continue on another machine.
 *
 * @packageDocumentation
 */
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { PlannedRun } from './plan.js';
import { RUN_RESULT_FORMAT, type RunResult } from './run-result.js';

/** The file of run `id` in the store `dir`. */
export function resultPath(dir: string, id: string): string {
  return join(dir, `${id}.json`);
}

/** Writes a run's result (pretty JSON, so that diffs of committed results are readable). */
export async function writeRunResult(dir: string, result: RunResult): Promise<string> {
  await mkdir(dir, { recursive: true });
  const file = resultPath(dir, result.id);
  const tmp = `${file}.tmp-${process.pid}`;
  await writeFile(tmp, `${JSON.stringify(result, null, 1)}\n`);
  await rename(tmp, file);
  return file;
}

/** A stored result as found: usable for the run, stale (another spec or format), or none. */
export type StoredResult =
  { state: 'done'; result: RunResult } | { state: 'stale'; reason: string } | { state: 'missing' };

/**
 * Reads the stored result of a planned run and checks that it is the result of this very run (same
 * format, id and spec hash); an unreadable file counts as stale.
 */
export async function readStoredResult(dir: string, run: PlannedRun): Promise<StoredResult> {
  let text: string;
  try {
    text = await readFile(resultPath(dir, run.id), 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { state: 'missing' };
    throw error;
  }
  let result: RunResult;
  try {
    result = JSON.parse(text) as RunResult;
  } catch {
    return { state: 'stale', reason: 'not valid JSON' };
  }
  const reason = staleness(result, run);
  return reason === undefined ? { state: 'done', result } : { state: 'stale', reason };
}

/** Why `result` is not a usable result of `run` (another format, run or spec), or undefined when it is. */
export function staleness(result: RunResult, run: PlannedRun): string | undefined {
  if (result.format !== RUN_RESULT_FORMAT) return `format ${String(result.format)}`;
  if (result.id !== run.id) return `holds run ${String(result.id)}`;
  if (result.specHash !== run.specHash) return 'spec hash differs from the plan';
  return undefined;
}

/** The results among `results` that are usable for one of `runs` ({@link staleness}), in plan order. */
export function matchingResults(runs: readonly PlannedRun[], results: readonly RunResult[]): RunResult[] {
  return runs.flatMap((run) => {
    const result = results.find((r) => r.id === run.id && staleness(r, run) === undefined);
    return result === undefined ? [] : [result];
  });
}

/** The stored results of a plan's runs that match it (stale and missing ones left out), in plan order. */
export async function loadPlanResults(dir: string, runs: readonly PlannedRun[]): Promise<RunResult[]> {
  const stored = await Promise.all(runs.map((run) => readStoredResult(dir, run)));
  return stored.flatMap((s) => (s.state === 'done' ? [s.result] : []));
}
