/**
 * A model's files over HTTP: ETag and 304, content types, API keys, and CORS, the last in a real headless
 * Chromium. Pages are served by tiny HTTP servers of their own (other origins than the API's); tfjs comes
 * to them from node_modules, never from a CDN.
 */
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { dirname, join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import sharp from 'sharp';
import type { App } from '../../src/api/app.js';
import { loadModel } from '../../src/model/artifacts.js';
import { selectBackend, tf } from '../../src/tf/index.js';
import { buildTestApp } from '../helpers/app.js';
import { launchBrowser, type TestBrowser } from '../helpers/browser.js';
import { randomImage, saveTinyModel } from '../helpers/tiny-model.js';

const KEY = 'browser-test-key';
const MODEL = 'browser-model';
/** The tiny model's input: [1, 32, 64, 3]. */
const INPUT_SHAPE: [number, number, number, number] = [1, 32, 64, 3];
/** Largest difference allowed between the browser's outputs (cpu backend) and Node's (wasm). */
const TOLERANCE = 1e-4;

/** A deterministic input both sides compute the same way. */
function inputValues(): number[] {
  const n = INPUT_SHAPE.reduce((a, b) => a * b, 1);
  return Array.from({ length: n }, (_, i) => ((i * 7919) % 255) / 255 - 0.5);
}

/** Path of tfjs' browser bundle. */
const TFJS_BUNDLE = join(
  dirname(createRequire(import.meta.url).resolve('@tensorflow/tfjs/package.json')),
  'dist',
  'tf.min.js',
);

/** A page server: `/` (a page that loads tfjs), `/tf.min.js` from node_modules, and `pages` by path. */
interface PageServer {
  server: Server;
  origin: string;
  /** More pages, by path (e.g. `/snippet.html`), served as HTML. */
  pages: Map<string, string>;
}

/** Starts a {@link PageServer} on a free loopback port: an origin of its own. */
async function startPageServer(): Promise<PageServer> {
  const bundle = await readFile(TFJS_BUNDLE);
  const pages = new Map([
    ['/', '<!doctype html><html><head><script src="/tf.min.js"></script></head><body>page</body></html>'],
  ]);
  const server = createServer((request, response) => {
    const page = pages.get(request.url ?? '');
    if (request.url === '/tf.min.js') {
      response.writeHead(200, { 'content-type': 'text/javascript' }).end(bundle);
    } else if (page !== undefined) {
      response.writeHead(200, { 'content-type': 'text/html' }).end(page);
    } else {
      response.writeHead(404).end();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, pages };
}

/** What the page reports after trying to load and run the model. */
type PageResult = { ok: true; outputs: number[][]; shapes: number[][] } | { ok: false; error: string };

let app: App;
let api: string;
let allowed: PageServer;
let refused: PageServer;
let browser: TestBrowser;

before(async () => {
  await selectBackend('wasm');
  allowed = await startPageServer();
  refused = await startPageServer();
  app = await buildTestApp({
    env: { TF_BACKEND: 'wasm', LOG_LEVEL: 'silent', API_KEYS: KEY, CORS_ORIGINS: allowed.origin },
  });
  await saveTinyModel(app.config.ARTIFACT_DIR, MODEL);
  await app.listen({ host: '127.0.0.1', port: 0 });
  api = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await app?.close();
  allowed?.server.close();
  refused?.server.close();
});

const fileUrl = (file: string) => `${api}/v1/models/${MODEL}/files/${file}`;
const auth = { authorization: `Bearer ${KEY}` };

describe('GET /v1/models/{id}/files/{file}', () => {
  it('serves model.json and weights.bin with their content types and an ETag; If-None-Match answers 304', async () => {
    const json = await fetch(fileUrl('model.json'), { headers: auth });
    assert.equal(json.status, 200);
    assert.match(json.headers.get('content-type') ?? '', /^application\/json/);
    const topology = (await json.json()) as { weightsManifest: { paths: string[] }[] };
    assert.deepEqual(topology.weightsManifest[0]?.paths, ['weights.bin']);

    const weights = await fetch(fileUrl('weights.bin'), { headers: auth });
    assert.equal(weights.status, 200);
    assert.equal(weights.headers.get('content-type'), 'application/octet-stream');
    const bytes = Buffer.from(await weights.arrayBuffer());
    const onDisk = await readFile(join(app.config.ARTIFACT_DIR, 'models', MODEL, 'weights.bin'));
    assert.ok(bytes.equals(onDisk), 'the bytes on disk');
    assert.equal(weights.headers.get('content-length'), String(onDisk.length));
    const etag = weights.headers.get('etag');
    assert.match(etag ?? '', /^"[0-9a-f]+-[0-9a-f]+"$/);
    assert.notEqual(etag, json.headers.get('etag'));

    for (const header of [etag!, `W/${etag!}`, `"other", ${etag!}`, '*']) {
      const again = await fetch(fileUrl('weights.bin'), { headers: { ...auth, 'if-none-match': header } });
      assert.equal(again.status, 304, header);
      assert.equal((await again.arrayBuffer()).byteLength, 0);
      assert.equal(again.headers.get('etag'), etag);
    }
    const stale = await fetch(fileUrl('weights.bin'), { headers: { ...auth, 'if-none-match': '"stale"' } });
    assert.equal(stale.status, 200);
    await stale.arrayBuffer();
  });

  it('needs the API key; unknown models and files are 404 and 400', async () => {
    const none = await fetch(fileUrl('model.json'));
    assert.equal(none.status, 401);
    assert.equal(((await none.json()) as { error: { code: string } }).error.code, 'UNAUTHORIZED');
    assert.equal((await fetch(`${api}/v1/models/nope/files/model.json`, { headers: auth })).status, 404);
    assert.equal((await fetch(fileUrl('manifest.json'), { headers: auth })).status, 400);
    assert.equal((await fetch(fileUrl('..%2Fmanifest.json'), { headers: auth })).status, 400);
  });

  it('sends CORS headers to the listed origin only, and none at all without CORS_ORIGINS', async () => {
    const listed = await fetch(fileUrl('model.json'), { headers: { ...auth, origin: allowed.origin } });
    assert.equal(listed.headers.get('access-control-allow-origin'), allowed.origin);
    await listed.arrayBuffer();
    const other = await fetch(fileUrl('model.json'), { headers: { ...auth, origin: refused.origin } });
    assert.equal(other.headers.get('access-control-allow-origin'), null);
    await other.arrayBuffer();
    const plain = await buildTestApp({ env: { LOG_LEVEL: 'silent' } });
    try {
      const res = await plain.inject({ url: '/health/live', headers: { origin: allowed.origin } });
      assert.equal(res.headers['access-control-allow-origin'], undefined);
    } finally {
      await plain.close();
    }
  });
});

describe('a browser page of another origin (headless Chromium)', () => {
  /** Opens `origin`'s page and runs tf.loadLayersModel on the model's URL there, with or without the key. */
  async function loadInPage(origin: string, key: string | undefined): Promise<PageResult> {
    const page = await browser.newPage();
    try {
      await page.goto(`${origin}/`);
      return await page.evaluate(
        async ({ url, key, shape, values }): Promise<PageResult> => {
          const tfjs = (globalThis as unknown as { tf: typeof tf }).tf;
          await tfjs.setBackend('cpu');
          try {
            const init =
              key === undefined ? {} : { requestInit: { headers: { Authorization: `Bearer ${key}` } } };
            const model = await tfjs.loadLayersModel(url, init);
            const input = tfjs.tensor4d(values, shape);
            const out = model.predict(input);
            const list = Array.isArray(out) ? out : [out];
            const outputs = list.map((t) => Array.from(t.dataSync()));
            const shapes = list.map((t) => t.shape);
            return { ok: true, outputs, shapes };
          } catch (err) {
            return { ok: false, error: String(err) };
          }
        },
        { url: fileUrl('model.json'), key, shape: INPUT_SHAPE, values: inputValues() },
      );
    } finally {
      await page.close();
    }
  }

  it('loads the model with tf.loadLayersModel from a listed origin, and its outputs equal Node’s', async () => {
    const result = await loadInPage(allowed.origin, KEY);
    assert.ok(result.ok, `${result.ok ? '' : result.error}\n${browser.console.join('\n')}`);
    const tensorsBefore = tf.memory().numTensors;
    const { model } = await loadModel(app.config.ARTIFACT_DIR, MODEL);
    const expected = tf.tidy(() => {
      const out = model.predict(tf.tensor4d(inputValues(), INPUT_SHAPE));
      return (Array.isArray(out) ? out : [out]).map((t) => ({
        shape: t.shape,
        values: Array.from(t.dataSync()),
      }));
    });
    model.dispose();
    assert.equal(tf.memory().numTensors, tensorsBefore, 'no tensor left behind');
    assert.deepEqual(
      result.shapes,
      expected.map((e) => e.shape),
    );
    result.outputs.forEach((values, i) => {
      const want = expected[i]!.values;
      const worst = values.reduce((m, v, j) => Math.max(m, Math.abs(v - want[j]!)), 0);
      assert.ok(worst < TOLERANCE, `output ${i} differs by ${worst}`);
    });
  });

  it('fails for an origin not in CORS_ORIGINS (the same request from Node succeeds)', async () => {
    const result = await loadInPage(refused.origin, KEY);
    assert.equal(result.ok, false);
    assert.match(result.ok ? '' : result.error, /fetch|CORS|network/i);
    const direct = await fetch(fileUrl('model.json'), { headers: { ...auth, origin: refused.origin } });
    assert.equal(direct.status, 200, 'refused by the browser (CORS), not by the API');
    await direct.arrayBuffer();
  });

  it('fails from the listed origin without the API key (401)', async () => {
    const result = await loadInPage(allowed.origin, undefined);
    assert.equal(result.ok, false);
    assert.match(result.ok ? '' : result.error, /401/);
  });
});

/**
 * The README's browser snippet, made to run here: tfjs from the page server instead of the CDN, and this
 * test's API, model and key. Each replacement must apply, so a README change that breaks it fails here.
 */
async function readmeSnippet(): Promise<string> {
  const readme = await readFile(new URL('../../README.md', import.meta.url), 'utf8');
  const block = /<!-- browser-snippet:start -->\s*```html\n([\s\S]*?)```\s*<!-- browser-snippet:end -->/.exec(
    readme,
  );
  assert.ok(block, 'README has the browser snippet between its markers');
  let html = block[1]!;
  const replacements: [RegExp, string][] = [
    [/https:\/\/cdn\.jsdelivr\.net\/npm\/@tensorflow\/tfjs@[\d.]+\/dist\/tf\.min\.js/, '/tf.min.js'],
    [/'http:\/\/localhost:3000'/, `'${api}'`],
    [/'<model id>'/, `'${MODEL}'`],
    [/const KEY = '';/, `const KEY = '${KEY}';`],
  ];
  for (const [pattern, value] of replacements) {
    assert.match(html, pattern);
    html = html.replace(pattern, value);
  }
  return html;
}

describe("the README's browser snippet (headless Chromium)", () => {
  it('loads the model, normalises an image as the manifest says and draws the segmentation Node predicts', async () => {
    allowed.pages.set('/snippet.html', await readmeSnippet());
    // At the model's input size, so drawing it on the canvas does not resample it.
    const [height, width] = [32, 64];
    const png = await randomImage(width, height, 'png');
    const page = await browser.newPage();
    let drawn: number[];
    try {
      await page.goto(`${allowed.origin}/snippet.html`);
      // Page code as strings: this project compiles without the DOM's types.
      const status = page.locator('#status');
      await page
        .waitForFunction("document.getElementById('status').textContent.startsWith('ready')", null, {
          timeout: 30_000,
        })
        .catch(async (err: unknown) => {
          throw new Error(`${String(err)}: ${await status.textContent()}\n${browser.console.join('\n')}`);
        });
      await page.setInputFiles('#file', { name: 'scene.png', mimeType: 'image/png', buffer: png });
      await page.waitForFunction("document.getElementById('status').textContent === 'done'", null, {
        timeout: 30_000,
      });
      drawn = (await page.evaluate(
        "(() => { const c = document.getElementById('out'); return Array.from(c.getContext('2d').getImageData(0, 0, c.width, c.height).data); })()",
      )) as number[];
    } finally {
      await page.close();
    }

    // Node: the same normalisation, the segmentation head's argmax, the manifest's colours.
    const { model, manifest } = await loadModel(app.config.ARTIFACT_DIR, MODEL);
    const rgb = await sharp(png).removeAlpha().raw().toBuffer();
    const ids = tf.tidy(() => {
      const { mean, std } = manifest.normalisation;
      const input = tf.tensor4d(Float32Array.from(rgb), [1, height, width, 3]).div(255).sub(mean).div(std);
      const out = model.predict(input);
      const heads = Array.isArray(out) ? out : [out];
      return Array.from(heads[manifest.tasks.indexOf('segmentation')]!.argMax(-1).dataSync());
    });
    model.dispose();
    assert.equal(drawn.length, width * height * 4);
    const colours = new Map(manifest.classes.map((c) => [c.trainId, c.color]));
    let same = 0;
    ids.forEach((id, i) => {
      const [r, g, b] = colours.get(id)!;
      if (drawn[i * 4] === r && drawn[i * 4 + 1] === g && drawn[i * 4 + 2] === b) same += 1;
    });
    assert.ok(new Set(ids).size > 1, 'several classes, so the colours are compared, not one fill');
    // Why not all: an untrained network has near-ties between classes that float rounding may flip.
    assert.ok(same / ids.length >= 0.98, `${same} of ${ids.length} pixels as Node draws them`);
  });
});
