/**
 * The compare page's studies in a real browser (Debian's Chromium through playwright-core) against a
 * service started here (real Redis, API, a worker process): a tiny study finishes, the page lists it and
 * shows its table (one line per method, with the numbers of the API's table), the curves of every method
 * overlaid (read from the charts' data), the per-class IoU, and exports the table as markdown; a long
 * study is cancelled and resumed from its page.
 * Screenshot: docs/images/dashboard-study.png.
 */
import assert from 'node:assert/strict';
import { mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Page } from 'playwright-core';
import type { StudyView } from '../../src/queue/study-producer.js';
import { launchBrowser, type TestBrowser } from '../helpers/browser.js';
import { ServiceHarness, type StartedApi } from '../helpers/service.js';
import { waitFor } from '../helpers/training.js';

const SCREENSHOTS = join(import.meta.dirname, '..', '..', 'docs', 'images');

/** Two methods, two seeds, one short epoch: the smallest study with a spread. */
const STUDY = {
  name: 'browser study',
  dataset: { kind: 'synthetic', train: 8, validation: 4, test: 4, size: [64, 128], seed: 2 },
  methods: ['equal', 'uncertainty'],
  seeds: [1, 2],
  model: { width: 4, inputSize: [64, 128] },
  training: { epochs: 1, batchSize: 2 },
  curveEvery: 1,
};

declare const window: unknown;
interface DashboardWindow {
  __dashboard: { charts: Record<string, { names: string[]; data: (number | null)[][] }> };
}

let harness: ServiceHarness;
let api: StartedApi;
let browser: TestBrowser;
let page: Page;

before(async () => {
  harness = await ServiceHarness.start('study-page');
  const env = harness.environment({ TF_BACKEND: 'wasm', WORKER_CONCURRENCY: '2' });
  api = await harness.startApi(env);
  await harness.startWorker(env);
  browser = await launchBrowser();
  page = await browser.newPage();
  await page.setViewportSize({ width: 1280, height: 800 });
});

after(async () => {
  await browser?.close();
  await harness?.close();
});

describe('the compare page shows studies', { timeout: 240_000 }, () => {
  test("a finished study's table, curves and per-class IoU, and its markdown export", async () => {
    const res = await fetch(`${api.base}/v1/studies`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(STUDY),
    });
    assert.equal(res.status, 202, await res.clone().text());
    const { id } = (await res.json()) as StudyView;
    const study = await waitFor(
      'the study to complete',
      async () => {
        const view = (await (await fetch(`${api.base}/v1/studies/${id}`)).json()) as StudyView;
        return view.status === 'completed' ? view : undefined;
      },
      200_000,
      500,
    );

    await page.goto(`${api.base}/#/compare`);
    await page.locator('#studies a', { hasText: 'browser study' }).click();
    await page.locator('#study-table tbody tr[data-row]').first().waitFor();
    const rows = await page
      .locator('#study-table tbody tr')
      .evaluateAll((trs) => trs.map((tr) => [...tr.children].map((cell) => (cell.textContent ?? '').trim())));
    assert.deepEqual(
      rows.map((r) => [r[0], r[1]]),
      [
        ['unweighted sum (equal)', '2/2'],
        ['uncertainty (Kendall et al.)', '2/2'],
      ],
    );
    // The page's numbers are the API's table's.
    const uncertainty = study.table!.rows.find((r) => r.row.id === 'uncertainty')!;
    const miou = uncertainty.test['meanIoU']!;
    assert.equal(rows[1]![2], `${(miou.mean * 100).toFixed(1)} ± ${(miou.std! * 100).toFixed(1)}`);

    const charts = await page.evaluate(() =>
      Object.fromEntries(
        Object.entries((window as unknown as DashboardWindow).__dashboard.charts)
          .filter(([key]) => key.startsWith('compare-study-'))
          .map(([key, chart]) => [
            key,
            { names: chart.names, points: chart.data[0]!.length, first: chart.data[1] },
          ]),
      ),
    );
    assert.deepEqual(charts['compare-study-sigma-segmentation']?.names, ['uncertainty (Kendall et al.)']);
    assert.deepEqual(charts['compare-study-weight-depth']?.names, [
      'unweighted sum (equal)',
      'uncertainty (Kendall et al.)',
    ]);
    assert.equal(
      charts['compare-study-loss-instances']?.points,
      4,
      'one point per step (curveEvery 1, 4 steps)',
    );
    assert.ok(
      charts['compare-study-weight-depth']!.first!.every((w) => w === 1),
      'the unweighted sum keeps weight 1',
    );
    const classRows = await page.locator('#study-class-iou tbody tr').count();
    assert.equal(classRows, 2);
    assert.ok((await page.locator('#study-class-iou thead th').count()) > 1, 'classes present have columns');

    const download = page.waitForEvent('download');
    await page.locator('#study-export-markdown').click();
    const file = await (await download).path();
    const markdown = await readFile(file!, 'utf8');
    assert.match(markdown, /\| uncertainty \(Kendall et al\.\) \| 2\/2 \|/);

    await mkdir(SCREENSHOTS, { recursive: true });
    await page.screenshot({ path: join(SCREENSHOTS, 'dashboard-study.png'), fullPage: false });
    assert.equal(
      await page.locator('#study-cancel, #study-resume').count(),
      0,
      'a completed study has neither',
    );
  });

  test('cancel from the study page, then resume it there', async () => {
    const res = await fetch(`${api.base}/v1/studies`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ ...STUDY, name: 'long study', training: { epochs: 200, batchSize: 2 } }),
    });
    assert.equal(res.status, 202, await res.clone().text());
    const { id } = (await res.json()) as StudyView;
    const statusOf = async () =>
      ((await (await fetch(`${api.base}/v1/studies/${id}`)).json()) as StudyView).status;
    const badge = page.locator('#study-status [data-status]');

    await page.goto(`${api.base}/#/compare?study=${id}`);
    await page.locator('#study-cancel').click();
    await page
      .locator('#study-status [data-status="cancelling"], #study-status [data-status="cancelled"]')
      .waitFor();
    // The page follows a cancelling study until it is cancelled, without a reload.
    await page.locator('#study-status [data-status="cancelled"]').waitFor({ timeout: 60_000 });
    assert.equal(await statusOf(), 'cancelled');

    await page.locator('#study-resume').click();
    await page.locator('#study-cancel').waitFor();
    assert.ok(['queued', 'running'].includes((await badge.getAttribute('data-status')) ?? ''));
    assert.ok(['queued', 'running'].includes(await statusOf()), 'the API agrees');
    // Stop it again so that the worker is free when the test ends.
    await page.locator('#study-cancel').click();
    await page
      .locator('#study-status [data-status="cancelling"], #study-status [data-status="cancelled"]')
      .waitFor();
  });
});
