/**
 * The dashboard in a real browser (Debian's Chromium through playwright-core) against a service started
 * here: a real Redis, the API on a port and a real worker process. It submits a job from the form, watches
 * its curves gain points while it trains (read from the charts' data, not from pixels), sees the pictures
 * per epoch, cancels a job from its page, predicts an uploaded PNG in the playground, and checks that with
 * API_KEYS set nothing is shown without the key. Screenshots go to docs/images/dashboard-*.png.
 */
import assert from 'node:assert/strict';
import { mkdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Page } from 'playwright-core';
import { launchBrowser, type TestBrowser } from '../helpers/browser.js';
import { encodePng } from '../../src/data/image-codec.js';
import { generateScene } from '../../src/data/synthetic/index.js';
import { ServiceHarness, submitJob, untilStatus, type StartedApi } from '../helpers/service.js';

/** Where the screenshots go (docs/dashboard.md shows them). */
const SCREENSHOTS = join(import.meta.dirname, '..', '..', 'docs', 'images');

/**
 * A job long enough to stream (4 epochs of 24 steps at 32x64, width 4: a few seconds) and short enough
 * for the suite.
 */
const STREAMING_JOB = {
  dataset: { kind: 'synthetic', scenes: 48, validationScenes: 4, size: [32, 64], seed: 3 },
  tasks: ['segmentation', 'instances', 'depth'],
  weighting: { strategy: 'uncertainty' },
  model: { width: 4, inputSize: [32, 64] },
  training: { epochs: 4, batchSize: 2 },
};

/** A job that runs until cancelled (hundreds of epochs). */
const LONG_JOB = { ...STREAMING_JOB, training: { epochs: 500, batchSize: 2 } };

// Browser globals, as far as the functions run in the page use them (the project compiles without the DOM
// library, whose types would clash with Node's).
declare const window: unknown;
declare const document: {
  querySelector(selector: string): { textContent: string | null } | null;
  querySelectorAll(selector: string): Iterable<{ complete: boolean; naturalWidth: number }>;
};

/** What the pages expose to tests: every chart by id, with the data it draws. */
interface DashboardWindow {
  __dashboard: { charts: Record<string, { length: number; data: (number | null)[][] }> };
}

let harness: ServiceHarness;
let api: StartedApi;
let browser: TestBrowser;
let page: Page;
let env: Record<string, string>;

/** Reads how many points a chart of the page has drawn (undefined when it does not exist yet). */
function chartLength(p: Page, id: string): Promise<number | undefined> {
  return p.evaluate((chart) => {
    const charts = (window as unknown as Partial<DashboardWindow>).__dashboard?.charts;
    return charts?.[chart]?.length;
  }, id);
}

async function screenshot(p: Page, name: string): Promise<void> {
  await mkdir(SCREENSHOTS, { recursive: true });
  await p.screenshot({ path: join(SCREENSHOTS, `dashboard-${name}.png`), fullPage: false });
}

before(async () => {
  harness = await ServiceHarness.start('dashboard');
  env = harness.environment({ TF_BACKEND: 'wasm', WORKER_CONCURRENCY: '2', PROGRESS_INTERVAL_MS: '0' });
  api = await harness.startApi(env);
  await harness.startWorker(env);
  browser = await launchBrowser();
  page = await browser.newPage();
  // Why 1280x800: the size the issue asks the pages to be readable at.
  await page.setViewportSize({ width: 1280, height: 800 });
});

after(async () => {
  await browser?.close();
  await harness?.close();
});

describe('dashboard', { timeout: 240_000 }, () => {
  let jobId = '';

  test('the jobs page shows the API validation errors and submits a job from the form', async () => {
    await page.goto(`${api.base}/#/jobs`);
    await page.locator('#new-job summary').click();
    const spec = page.locator('#spec');
    await spec.fill(JSON.stringify({ ...STREAMING_JOB, weighting: { strategy: 'kendall' } }));
    await page.locator('#submit-job button[type=submit]').click();
    const error = page.locator('#spec-error');
    await error.waitFor({ state: 'visible' });
    await page.waitForFunction(() => (document.querySelector('#spec-error')?.textContent ?? '').length > 0);
    assert.match(await error.innerText(), /strategy/);

    await spec.fill(JSON.stringify(STREAMING_JOB));
    await page.locator('#submit-job button[type=submit]').click();
    await page.waitForURL(/#\/jobs\/[^/]+$/);
    jobId = decodeURIComponent(page.url().split('#/jobs/')[1]!);
    assert.ok(jobId.length > 0);
  });

  test("the job page's loss and sigma curves gain points while it trains", async () => {
    await page.waitForFunction(
      () => ((window as unknown as Partial<DashboardWindow>).__dashboard?.charts.loss?.length ?? 0) > 0,
      null,
      {
        timeout: 120_000,
      },
    );
    const first = (await chartLength(page, 'loss'))!;
    await page.waitForFunction(
      (n) => (window as unknown as DashboardWindow).__dashboard.charts.loss!.length > n,
      first,
      {
        timeout: 120_000,
      },
    );
    const chartsTop = () => page.locator('#metric-charts').evaluate((el) => el.getBoundingClientRect().top);
    const topBefore = await chartsTop();
    const later = (await chartLength(page, 'loss'))!;
    assert.equal(await chartsTop(), topBefore, 'streaming points do not move the page');
    assert.ok(later > first, `loss chart grew from ${first} to ${later} points`);
    assert.ok(((await chartLength(page, 'sigma')) ?? 0) > 0, 'the sigma chart has points');
    const sigmas = await page.evaluate(
      () => (window as unknown as DashboardWindow).__dashboard.charts.sigma!.data[1]!,
    );
    assert.ok(
      sigmas.some((s) => typeof s === 'number' && s > 0),
      'sigma values are positive numbers',
    );
  });

  test('the pictures per epoch appear, beside the ground truth', async () => {
    await page.locator('#sample-pictures img[alt^="epoch"]').first().waitFor({ timeout: 120_000 });
    await page.waitForFunction(() =>
      [...document.querySelectorAll('#sample-pictures img')].every((i) => i.complete && i.naturalWidth > 0),
    );
    const alts = await page
      .locator('#sample-pictures img')
      .evaluateAll((imgs) => imgs.map((i) => i.getAttribute('alt')));
    assert.ok(alts.includes('ground truth: image'), alts.join(', '));
    assert.ok(
      alts.some((a) => a?.endsWith(': overlay')),
      alts.join(', '),
    );
    await untilStatus(api.base, jobId, ['completed'], 180_000);
    const index = (await (await fetch(`${api.base}/v1/training-jobs/${jobId}/samples`)).json()) as {
      samples: number;
      epochs: number[];
    };
    assert.equal(index.samples, 3);
    assert.deepEqual(index.epochs, [1, 2, 3, 4]);
    const picture = await fetch(`${api.base}/v1/training-jobs/${jobId}/samples/4/0/overlay.png`);
    assert.equal(picture.headers.get('content-type'), 'image/png');
    assert.equal((await fetch(`${api.base}/v1/training-jobs/${jobId}/samples/9/0/overlay.png`)).status, 404);
    assert.equal((await fetch(`${api.base}/v1/training-jobs/${jobId}/samples/4/0/..%2Fx.png`)).status, 400);
    assert.equal((await fetch(`${api.base}/v1/training-jobs/no-such-job/samples`)).status, 404);
    await page.locator('#job-state [data-status="completed"]').waitFor({ timeout: 30_000 });
    await page.locator('#model-link a').waitFor();
    await screenshot(page, 'job');
  });

  test('cancel from the job page stops a running job', async () => {
    const job = await submitJob(api.base, LONG_JOB);
    await untilStatus(api.base, job.id, ['running'], 60_000);
    await page.goto(`${api.base}/#/jobs/${job.id}`);
    await page.locator('#cancel-job').click();
    await page.locator('#job-state [data-status="cancelled"]').waitFor({ timeout: 60_000 });
    const res = await fetch(`${api.base}/v1/training-jobs/${job.id}`);
    assert.equal(((await res.json()) as { status: string }).status, 'cancelled');
  });

  test('the playground predicts an uploaded PNG and shows every output', async () => {
    const png = join(tmpdir(), `dashboard-${process.pid}.png`);
    const scene = generateScene({ width: 256, height: 128, seed: 11, index: 0 });
    await writeFile(
      png,
      await encodePng({ width: 256, height: 128, channels: 3, bitDepth: 8, data: scene.rgb }),
    );
    await page.goto(`${api.base}/#/predict?model=${encodeURIComponent(jobId)}`);
    await page.locator('#predict-file').setInputFiles(png);
    await page.locator('#predict-run').click();
    await page.locator('#predict-views img').nth(3).waitFor({ timeout: 60_000 });
    await page.waitForFunction(() =>
      [...document.querySelectorAll('#predict-views img')].every((i) => i.complete && i.naturalWidth > 0),
    );
    const views = await page
      .locator('#predict-views img')
      .evaluateAll((imgs) => imgs.map((i) => i.dataset.view));
    assert.deepEqual(views, ['segmentation', 'instances', 'depth', 'overlay']);
    assert.ok((await page.locator('#predict-legend li').count()) > 0, 'a class legend');
    await page.locator('#predict-instances').waitFor();
    await page.locator('#instance-boxes').waitFor();
    assert.match(await page.locator('#predict-timings').innerText(), /inferenceMs/);
    const box = (await page.locator('#predict-views img[data-view="depth"]').boundingBox())!;
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    assert.match(await page.locator('#depth-hover').innerText(), /\d+\.\d\d m|No metric depth/);
    await screenshot(page, 'predict');
  });

  test('the models and compare pages show the trained model and the jobs side by side', async () => {
    await page.goto(`${api.base}/#/models`);
    await page.locator(`#models tr[data-model="${jobId}"]`).waitFor();
    await page.goto(`${api.base}/#/models/${encodeURIComponent(jobId)}`);
    await page.locator('#weights tbody tr').first().waitFor();
    assert.ok(((await chartLength(page, 'model-loss')) ?? 0) > 0);
    await screenshot(page, 'model');
    await page.goto(`${api.base}/#/compare?jobs=${encodeURIComponent(jobId)}`);
    await page.locator('#compare-metrics tbody tr').first().waitFor();
    assert.ok(((await chartLength(page, 'compare-sigma')) ?? 0) > 0);
    await page.goto(`${api.base}/#/jobs`);
    await page.locator(`#jobs tr[data-job="${jobId}"]`).waitFor();
    await screenshot(page, 'jobs');
  });

  test('a narrow window gets one column and no sideways scrolling', async () => {
    const narrow = await browser.newPage();
    await narrow.setViewportSize({ width: 420, height: 800 });
    await narrow.goto(`${api.base}/#/jobs/${encodeURIComponent(jobId)}`);
    await narrow.locator('[data-chart="loss"]').waitFor();
    await narrow.screenshot({ path: join(SCREENSHOTS, 'dashboard-narrow.png') });
    const overflow = await narrow.evaluate(() => {
      const doc = document as unknown as {
        documentElement: { scrollWidth: number; clientWidth: number };
        querySelectorAll(s: string): Iterable<{
          tagName: string;
          id: string;
          className: string;
          getBoundingClientRect(): { right: number };
        }>;
      };
      const width = doc.documentElement.clientWidth;
      const wide = [...doc.querySelectorAll('main *')]
        .filter((el) => el.getBoundingClientRect().right > width + 1)
        .slice(0, 5)
        .map((el) => `${el.tagName}#${el.id}.${el.className}`);
      return { by: doc.documentElement.scrollWidth - width, wide };
    });
    assert.ok(
      overflow.by <= 1,
      `the page scrolls sideways by ${overflow.by} px: ${overflow.wide.join(', ')}`,
    );
    await narrow.keyboard.press('Tab');
    assert.equal(
      await narrow.evaluate(
        () => (document as unknown as { activeElement: { textContent: string } }).activeElement.textContent,
      ),
      'Skip to content',
    );
    await narrow.close();
  });

  test('with API_KEYS set the pages show nothing without the key', async () => {
    const guarded = await harness.startApi({ ...env, API_KEYS: 'dashboard-secret' });
    const other = await browser.newPage();
    await other.goto(`${guarded.base}/#/jobs`);
    await other.locator('#key-dialog[open]').waitFor();
    assert.equal(await other.locator('#jobs').count(), 0, 'no job table without a key');
    await other.locator('#key-input').fill('wrong-key');
    await other.locator('#key-form button[type=submit]').click();
    await other.locator('#key-dialog[open]').waitFor();
    assert.match(await other.locator('#key-error').innerText(), /refused/);
    assert.equal(await other.locator('#jobs').count(), 0, 'no job table with a wrong key');
    await other.locator('#key-input').fill('dashboard-secret');
    await other.locator('#key-form button[type=submit]').click();
    await other.locator(`#jobs tr[data-job="${jobId}"]`).waitFor();
    await other.close();
  });
});
