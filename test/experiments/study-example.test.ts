/**
 * The study committed in docs/studies.md: every result file is the result of a run its request plans
 * (same id and spec hash), every planned run has one, and the table the page quotes is the summary of them.
 */
import assert from 'node:assert/strict';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import {
  readStoredResult,
  renderSummaryTable,
  resolveStudyRequest,
  studyPlan,
} from '../../src/experiments/index.js';
import type { RunResult } from '../../src/experiments/index.js';
import { ROOT } from '../helpers/training.js';

const STUDY = join(ROOT, 'docs', 'studies', 'synthetic-200');

test("the committed study's results are its request's runs, and docs/studies.md quotes their table", async () => {
  const request = JSON.parse(await readFile(join(STUDY, 'request.json'), 'utf8'));
  const { plan, runs } = studyPlan(resolveStudyRequest(request));
  const files = (await readdir(join(STUDY, 'results'))).filter((f) => f.endsWith('.json'));
  assert.equal(files.length, runs.length);
  const results: RunResult[] = [];
  for (const run of runs) {
    const stored = await readStoredResult(join(STUDY, 'results'), run);
    assert.equal(
      stored.state,
      'done',
      `run ${run.id}: ${stored.state === 'stale' ? stored.reason : stored.state}`,
    );
    if (stored.state === 'done') results.push(stored.result);
  }
  const page = await readFile(join(ROOT, 'docs', 'studies.md'), 'utf8');
  const { summariseExperiment } = await import('../../src/experiments/summary.js');
  // Compared cell by cell: prettier pads the page's table columns.
  const cells = (markdown: string) =>
    markdown
      .split('\n')
      .filter((line) => line.startsWith('|') && !/^\|[\s:|-]+\|$/.test(line))
      .map((line) =>
        line
          .split('|')
          .map((cell) => cell.trim())
          .join('|'),
      );
  const table = cells(renderSummaryTable(summariseExperiment(plan, results)));
  const quoted = cells(page);
  for (const line of table) assert.ok(quoted.includes(line), `the page quotes: ${line}`);
});
