/**
 * Hostile clients over real HTTP: a huge spec, requests Node's parser refuses, slow and unfinished
 * requests, too many connections. Timings are printed as `#` diagnostics; latency bounds live in bench/.
 */
import assert from 'node:assert/strict';
import type { Socket } from 'node:net';
import { after, before, describe, it, type TestContext } from 'node:test';
import type { App } from '../../src/api/app.js';
import { MAX_LISTED_ISSUES } from '../../src/model/validation-issues.js';
import { buildTestApp } from '../helpers/app.js';
import { startRedis } from '../helpers/redis.js';
import { openSse } from '../helpers/sse.js';
import { tinySpec } from '../helpers/training.js';
import { openConnection, rawExchange, rawUpload, type RawExchange } from './helpers/raw-http.js';

/** Largest error answer allowed, in bytes (issue 11: "a 4xx of at most 64 KB"). */
const MAX_ERROR_BODY_BYTES = 64 * 1024;

/** The timeouts of the slow-client app, ms. Why 1 s: short enough for a test, long enough to be sure. */
const TIMEOUT_MS = 1000;

/** Latest a timed-out request may be answered or closed. Why 4 s: the timeout, Node's sweep, a busy CI box. */
const CUT_OFF_BY_MS = TIMEOUT_MS + 3000;

/** The API over HTTP with a private Redis: its port, and how to stop both. */
interface ListeningApi {
  port: number;
  close(): Promise<void>;
}

/** Starts a private Redis and the app (with `env`) listening on a free loopback port. */
async function startApi(label: string, env: Record<string, string> = {}): Promise<ListeningApi> {
  const redis = await startRedis();
  const app: App = await buildTestApp({ redisUrl: redis.url, label, env });
  await app.listen({ host: '127.0.0.1', port: 0 });
  return {
    port: (app.server.address() as { port: number }).port,
    close: async () => {
      await app.close();
      await redis.stop();
    },
  };
}

/** Asserts `{ error: { code, message } }` with `code`. */
function assertErrorBody(body: string, code: string): void {
  const parsed = JSON.parse(body) as { error?: { code?: unknown; message?: unknown } };
  assert.equal(parsed.error?.code, code, body);
  assert.equal(typeof parsed.error?.message, 'string', body);
}

/** POSTs a JSON `body` over a raw socket ({@link rawUpload}) and resolves with the answer. */
async function postJson(port: number, path: string, body: string): Promise<{ status: number; body: Buffer }> {
  const bytes = Buffer.from(body);
  const head = `POST ${path} HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: ${bytes.length}\r\n\r\n`;
  const answer = await rawUpload(port, head, bytes);
  assert.ok(answer.status !== undefined, `no answer after ${answer.sent} of ${bytes.length} bytes`);
  return { status: answer.status, body: Buffer.from(answer.body) };
}

/** A spec with `count` unknown top-level fields (1M: 11.3 MB). */
function specWithUnknownFields(count: number): string {
  const fields = Array.from({ length: count }, (_, i) => `"f${i}":0`).join(',');
  return `{${JSON.stringify(tinySpec()).slice(1, -1)},${fields}}`;
}

describe('hostile input over HTTP', () => {
  let api: ListeningApi;
  let port: number;

  before(async () => {
    api = await startApi('limits');
    port = api.port;
  });
  after(() => api.close());

  it('refuses a spec with a million unknown fields (413, at most 64 KB) while /health/live answers', async (t) => {
    const spec = specWithUnknownFields(1_000_000);
    const live = `http://127.0.0.1:${port}/health/live`;
    const probe = async () => {
      const started = performance.now();
      const res = await fetch(live);
      await res.arrayBuffer();
      return { status: res.status, ms: performance.now() - started };
    };
    await probe(); // Why: the first fetch of a process sets up its client; that is not the server's time.
    let sending = true;
    const probes: { status: number; ms: number }[] = [];
    const probing = (async () => {
      // At least 20 probes, and until the answer came.
      while (sending || probes.length < 20) {
        probes.push(await probe());
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
    })();
    const res = await postJson(port, '/v1/training-jobs', spec).finally(() => (sending = false));
    await probing;
    const slowest = Math.max(...probes.map((p) => p.ms));
    t.diagnostic(
      `1M-field spec: ${(spec.length / 1e6).toFixed(1)} MB -> ${res.status}, ${res.body.length} bytes; ` +
        `/health/live: ${probes.length} probes, slowest ${slowest.toFixed(1)} ms`,
    );
    assert.equal(res.status, 413);
    assert.ok(res.body.length <= MAX_ERROR_BODY_BYTES, `${res.body.length} bytes`);
    assertErrorBody(res.body.toString(), 'PAYLOAD_TOO_LARGE');
    assert.ok(probes.every((p) => p.status === 200));
  });

  it('refuses the same spec sent chunked (no Content-Length): 413 once 64 KiB have come', async () => {
    const spec = Buffer.from(specWithUnknownFields(1_000_000));
    const pieces: Buffer[] = [];
    for (let at = 0; at < spec.length; at += 16 * 1024) {
      const piece = spec.subarray(at, at + 16 * 1024);
      pieces.push(Buffer.from(`${piece.length.toString(16)}\r\n`), piece, Buffer.from('\r\n'));
    }
    pieces.push(Buffer.from('0\r\n\r\n'));
    const head =
      'POST /v1/training-jobs HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n';
    const answer = await rawUpload(port, head, Buffer.concat(pieces));
    assert.equal(answer.status, 413, JSON.stringify(answer).slice(0, 300));
    assertErrorBody(answer.body, 'PAYLOAD_TOO_LARGE');
  });

  it('reads a refused body to its end, so the 413 is not lost to a reset and the connection goes on', async () => {
    const body = `{"pad":"${'p'.repeat(100_000)}"}`;
    const refused = `POST /v1/training-jobs HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n${body}`;
    const next = 'GET /health/live HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n';
    const res = await rawExchange(port, refused + next);
    assert.equal(res.status, 413);
    assert.notEqual(res.headers.connection, 'close');
    assert.match(
      res.body,
      /HTTP\/1\.1 200 OK[^]*\{"status":"ok"\}$/,
      'the next request on the connection is answered',
    );
  });

  it('lists the first issues of a spec with thousands of unknown fields, and a count of the rest', async () => {
    const count = 5000;
    const res = await postJson(port, '/v1/training-jobs', specWithUnknownFields(count));
    assert.equal(res.status, 400);
    assert.ok(res.body.length < 8 * 1024, `${res.body.length} bytes`);
    const { error } = JSON.parse(res.body.toString()) as {
      error: { code: string; details: { path: string; message: string }[] };
    };
    assert.equal(error.code, 'VALIDATION_ERROR');
    assert.equal(error.details.length, MAX_LISTED_ISSUES + 1);
    assert.equal(error.details[0]?.path, '/body/f0');
    assert.deepEqual(error.details.at(-1), {
      path: '/body',
      message: `${count - MAX_LISTED_ISSUES} more issues not listed (the first ${MAX_LISTED_ISSUES} are)`,
    });
  });

  it('does not echo a field name of 60 KB', async () => {
    const res = await postJson(port, '/v1/training-jobs', `{"${'x'.repeat(60_000)}":1}`);
    assert.equal(res.status, 400);
    assert.ok(res.body.length < 4 * 1024, `${res.body.length} bytes`);
  });

  const unparsable: [string, string, number, string][] = [
    ['a request line that is not HTTP', 'GARBAGE\r\n\r\n', 400, 'BAD_REQUEST'],
    ['an invalid method', 'G@T / HTTP/1.1\r\nHost: x\r\n\r\n', 400, 'BAD_REQUEST'],
    ['an unknown HTTP version', 'GET / HTTP/9.9\r\nHost: x\r\n\r\n', 400, 'BAD_REQUEST'],
    ['a header name with a space', 'GET /health/live HTTP/1.1\r\nHo st: x\r\n\r\n', 400, 'BAD_REQUEST'],
    [
      'headers over 16 KiB',
      `GET /health/live HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(20_000)}\r\n\r\n`,
      431,
      'REQUEST_HEADER_FIELDS_TOO_LARGE',
    ],
    [
      'a chunk size that is not hex',
      'POST /v1/training-jobs HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\nZZ\r\n',
      400,
      'BAD_REQUEST',
    ],
    [
      'both Content-Length and Transfer-Encoding',
      'POST /v1/training-jobs HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n',
      400,
      'BAD_REQUEST',
    ],
  ];
  for (const [what, bytes, status, code] of unparsable) {
    it(`answers ${what} with ${status} and the error body, and closes`, async () => {
      const res = await rawExchange(port, bytes);
      assert.equal(res.status, status, JSON.stringify(res));
      assert.match(res.headers['content-type'] ?? '', /^application\/json/);
      assertErrorBody(res.body, code);
      assert.equal(Buffer.byteLength(res.body), Number(res.headers['content-length']));
      assert.ok(res.closed, 'connection closed');
    });
  }
});

describe('slow clients (REQUEST_TIMEOUT_MS = HEADERS_TIMEOUT_MS = 1 s, MAX_CONNECTIONS = 8)', () => {
  let api: ListeningApi;
  let port: number;

  before(async () => {
    api = await startApi('slow', {
      REQUEST_TIMEOUT_MS: String(TIMEOUT_MS),
      HEADERS_TIMEOUT_MS: String(TIMEOUT_MS),
      MAX_CONNECTIONS: '8',
      SSE_HEARTBEAT_MS: '200',
    });
    port = api.port;
  });
  after(() => api.close());

  /** Asserts a request was answered 408 (with the error body) or closed, after the timeout and in time. */
  function assertCutOff(t: TestContext, what: string, res: RawExchange): void {
    t.diagnostic(`${what}: ${res.status ?? 'no answer'}, closed after ${res.elapsedMs} ms`);
    assert.ok(res.closed, `${what}: still open after ${res.elapsedMs} ms`);
    assert.ok(
      res.elapsedMs >= TIMEOUT_MS * 0.9,
      `${what}: cut after ${res.elapsedMs} ms, before the timeout`,
    );
    assert.ok(res.elapsedMs <= CUT_OFF_BY_MS, `${what}: cut after ${res.elapsedMs} ms`);
    if (res.status !== undefined) {
      assert.equal(res.status, 408);
      assertErrorBody(res.body, 'REQUEST_TIMEOUT');
    }
  }

  it('answers an unfinished header, a half-sent body, an endless chunked body and silence with 408', async (t) => {
    const cases: [string, string][] = [
      ['an unfinished header', 'GET /health/live HTTP/1.1\r\nHost: x\r\nX-Slow: '],
      [
        'a half-sent body',
        'POST /v1/training-jobs HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 400\r\n\r\n{"dataset":',
      ],
      [
        'a half-sent image',
        'POST /v1/models/m/predict HTTP/1.1\r\nHost: x\r\nContent-Type: image/png\r\nContent-Length: 100000\r\n\r\n\x89PNG',
      ],
      [
        'an endless chunked body',
        'POST /v1/training-jobs HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n5\r\n{"a":\r\n',
      ],
      ['a connection that sends nothing', ''],
    ];
    const results = await Promise.all(cases.map(([, bytes]) => rawExchange(port, bytes)));
    cases.forEach(([what], i) => assertCutOff(t, what, results[i]!));
  });

  it('answers a slow request that arrives within the timeout', async () => {
    const res = await rawExchange(port, 'GET /health/live HTTP/1.1\r\nHost: x\r\n', {
      then: { afterMs: TIMEOUT_MS / 2, bytes: 'Connection: close\r\n\r\n' },
    });
    assert.equal(res.status, 200, JSON.stringify(res));
    assert.deepEqual(JSON.parse(res.body), { status: 'ok' });
  });

  it('keeps an event stream open longer than the timeouts (they end when the request is received)', async (t) => {
    const base = `http://127.0.0.1:${port}`;
    const submitted = await fetch(`${base}/v1/training-jobs`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(tinySpec()),
    });
    const job = (await submitted.json()) as { id: string };
    const stream = await openSse(`${base}/v1/training-jobs/${job.id}/events`);
    try {
      assert.equal(stream.status, 200);
      await new Promise((resolve) => setTimeout(resolve, TIMEOUT_MS * 3));
      const heartbeats = stream.comments.filter((c) => c === 'heartbeat').length;
      t.diagnostic(`event stream: open ${TIMEOUT_MS * 3} ms, ${heartbeats} heartbeats`);
      assert.ok(heartbeats >= 5, `${heartbeats} heartbeats`);
      await fetch(`${base}/v1/training-jobs/${job.id}/cancel`, { method: 'POST' });
      assert.deepEqual((await stream.next('cancelled', 5000)).event, 'cancelled', 'still delivering');
    } finally {
      stream.close();
    }
  });

  it('closes connections beyond MAX_CONNECTIONS at once, and takes new ones when some close', async () => {
    const held: Socket[] = [];
    try {
      for (let i = 0; i < 8; i++) held.push(await openConnection(port));
      const beyond = await rawExchange(port, 'GET /health/live HTTP/1.1\r\nHost: x\r\n\r\n', {
        waitMs: TIMEOUT_MS / 2,
      });
      assert.ok(beyond.closed, 'the ninth connection is closed');
      assert.equal(beyond.status, undefined, 'without an answer');
      for (const socket of held.splice(0)) socket.destroy();
      await new Promise((resolve) => setTimeout(resolve, 100));
      const res = await rawExchange(
        port,
        'GET /health/live HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n',
      );
      assert.equal(res.status, 200);
    } finally {
      for (const socket of held) socket.destroy();
    }
  });
});
