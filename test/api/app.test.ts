import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { after, before, describe, it } from 'node:test';
import { Type } from '@sinclair/typebox';
import type { App } from '../../src/api/app.js';
import { toHttpError } from '../../src/api/plugins/error-handler.js';
import {
  BackendError,
  ConflictError,
  INTERNAL_ERROR_MESSAGE,
  ServiceUnavailableError,
  ValidationError,
} from '../../src/errors.js';
import { createRootLogger } from '../../src/logger.js';
import { buildTestApp, type TestAppOptions } from '../helpers/app.js';

/** Something an error message must never show to a client. */
const SECRET = '/srv/scene-mtl/secret-internal-path';

/** Builds the app with small limits and extra routes that fail in every way the handler must cover. */
async function buildAppWithFailingRoutes(logger: TestAppOptions['logger'] = false): Promise<App> {
  const app = await buildTestApp({ env: { MAX_BODY_BYTES: '1024' }, logger });
  app.get('/test/validation-error', async () => {
    throw new ValidationError('epochs must not exceed the dataset size', [
      { path: '/training/epochs', message: 'too many' },
    ]);
  });
  app.get('/test/conflict', async () => {
    throw new ConflictError('job already finished');
  });
  app.get('/test/unavailable', async () => {
    throw new ServiceUnavailableError('training queue is full', 30);
  });
  app.get('/test/backend', async () => {
    throw new BackendError(`kernel failed at ${SECRET}`);
  });
  app.get('/test/crash', async () => {
    throw new Error(`ENOENT: ${SECRET}`);
  });
  app.post(
    '/test/echo',
    { schema: { body: Type.Object({ epochs: Type.Integer({ minimum: 1 }), name: Type.String() }) } },
    async (request) => ({ epochs: request.body.epochs }),
  );
  return app;
}

describe('buildApp', () => {
  let app: App;
  before(async () => {
    app = await buildAppWithFailingRoutes();
  });
  after(async () => {
    await app.close();
  });

  it('GET /health/live answers 200 { status: "ok" }', async () => {
    const res = await app.inject({ method: 'GET', url: '/health/live' });
    assert.equal(res.statusCode, 200);
    assert.match(String(res.headers['content-type']), /^application\/json/);
    assert.deepEqual(res.json(), { status: 'ok' });
  });

  it('decorates the app with the configuration', () => {
    assert.equal(app.config.MAX_BODY_BYTES, 1024);
  });

  it('answers an unknown route with 404 NOT_FOUND in the error shape', async () => {
    const res = await app.inject({ method: 'GET', url: '/v1/nothing-here?x=1' });
    assert.equal(res.statusCode, 404);
    assert.deepEqual(res.json(), {
      error: { code: 'NOT_FOUND', message: 'Route GET /v1/nothing-here not found' },
    });
  });

  it('answers a malformed URL with 400 BAD_REQUEST in the error shape', async () => {
    const res = await app.inject({ method: 'GET', url: '/%zz' });
    assert.equal(res.statusCode, 400);
    assert.equal(res.json().error.code, 'BAD_REQUEST');
    assert.deepEqual(Object.keys(res.json()), ['error']);
  });

  it('answers a wrong method with 404 NOT_FOUND', async () => {
    const res = await app.inject({ method: 'DELETE', url: '/health/live' });
    assert.equal(res.statusCode, 404);
    assert.equal(res.json().error.code, 'NOT_FOUND');
  });

  it('maps a ValidationError to 400 with details', async () => {
    const res = await app.inject({ method: 'GET', url: '/test/validation-error' });
    assert.equal(res.statusCode, 400);
    assert.deepEqual(res.json(), {
      error: {
        code: 'VALIDATION_ERROR',
        message: 'epochs must not exceed the dataset size',
        details: [{ path: '/training/epochs', message: 'too many' }],
      },
    });
  });

  it('maps a ConflictError to 409', async () => {
    const res = await app.inject({ method: 'GET', url: '/test/conflict' });
    assert.equal(res.statusCode, 409);
    assert.deepEqual(res.json(), { error: { code: 'CONFLICT', message: 'job already finished' } });
  });

  it('maps a ServiceUnavailableError to 503 with Retry-After', async () => {
    const res = await app.inject({ method: 'GET', url: '/test/unavailable' });
    assert.equal(res.statusCode, 503);
    assert.equal(res.headers['retry-after'], '30');
    assert.deepEqual(res.json(), {
      error: { code: 'SERVICE_UNAVAILABLE', message: 'training queue is full' },
    });
  });

  it('hides the message of a 5xx AppError', async () => {
    const res = await app.inject({ method: 'GET', url: '/test/backend' });
    assert.equal(res.statusCode, 500);
    assert.deepEqual(res.json(), { error: { code: 'BACKEND_ERROR', message: INTERNAL_ERROR_MESSAGE } });
    assert.ok(!res.body.includes(SECRET));
  });

  it('answers an unexpected error with 500 INTERNAL_ERROR and no internals', async () => {
    const res = await app.inject({ method: 'GET', url: '/test/crash' });
    assert.equal(res.statusCode, 500);
    assert.deepEqual(res.json(), { error: { code: 'INTERNAL_ERROR', message: INTERNAL_ERROR_MESSAGE } });
    assert.ok(!res.body.includes(SECRET) && !res.body.includes('ENOENT') && !res.body.includes('at '));
  });

  it('answers a body that fails the route schema with 400 VALIDATION_ERROR naming the fields', async () => {
    const res = await app.inject({ method: 'POST', url: '/test/echo', payload: { epochs: 0 } });
    assert.equal(res.statusCode, 400);
    const body = res.json();
    assert.equal(body.error.code, 'VALIDATION_ERROR');
    const paths = body.error.details.map((d: { path: string }) => d.path);
    assert.ok(paths.includes('/body/epochs') || paths.includes('/body/name'), JSON.stringify(body));
  });

  it('accepts a body that passes the route schema', async () => {
    const res = await app.inject({ method: 'POST', url: '/test/echo', payload: { epochs: 2, name: 'x' } });
    assert.equal(res.statusCode, 200);
    assert.deepEqual(res.json(), { epochs: 2 });
  });

  it('answers malformed JSON with 400 BAD_REQUEST', async () => {
    const res = await app.inject({
      method: 'POST',
      url: '/test/echo',
      headers: { 'content-type': 'application/json' },
      payload: '{"epochs":',
    });
    assert.equal(res.statusCode, 400);
    assert.equal(res.json().error.code, 'BAD_REQUEST');
  });

  it('answers a body over MAX_BODY_BYTES with 413 PAYLOAD_TOO_LARGE', async () => {
    const res = await app.inject({
      method: 'POST',
      url: '/test/echo',
      payload: { epochs: 1, name: 'x'.repeat(2048) },
    });
    assert.equal(res.statusCode, 413);
    assert.equal(res.json().error.code, 'PAYLOAD_TOO_LARGE');
  });

  it('answers an unsupported content type with 415 UNSUPPORTED_MEDIA_TYPE', async () => {
    const res = await app.inject({
      method: 'POST',
      url: '/test/echo',
      headers: { 'content-type': 'application/x-unknown' },
      payload: 'data',
    });
    assert.equal(res.statusCode, 415);
    assert.equal(res.json().error.code, 'UNSUPPORTED_MEDIA_TYPE');
  });
});

describe('toHttpError', () => {
  it('rounds Retry-After up to whole seconds', () => {
    assert.equal(toHttpError(new ServiceUnavailableError('busy', 1.2)).headers['retry-after'], '2');
    assert.deepEqual(toHttpError(new ServiceUnavailableError('busy')).headers, {});
  });

  it('does not trust a 5xx statusCode on an unknown error', () => {
    const err = Object.assign(new Error(SECRET), { statusCode: 502 });
    assert.deepEqual(toHttpError(err), {
      statusCode: 500,
      body: { error: { code: 'INTERNAL_ERROR', message: INTERNAL_ERROR_MESSAGE } },
      headers: {},
    });
  });
});

describe('request logging', () => {
  it('logs a 5xx with its stack under module "api" and the request id', async () => {
    const lines: Record<string, unknown>[] = [];
    const sink = new Writable({
      write(chunk: Buffer, _encoding, done) {
        for (const line of chunk.toString().split('\n')) if (line.trim() !== '') lines.push(JSON.parse(line));
        done();
      },
    });
    const logger = createRootLogger({ level: 'info', destination: sink }).child({ module: 'api' });
    const app = await buildAppWithFailingRoutes(logger);
    try {
      const res = await app.inject({
        method: 'GET',
        url: '/test/crash',
        headers: { 'x-request-id': 'abc-123' },
      });
      assert.equal(res.statusCode, 500);
    } finally {
      await app.close();
    }
    const failure = lines.find((l) => l.msg === 'request failed');
    assert.ok(failure, JSON.stringify(lines));
    assert.equal(failure.level, 'error');
    assert.equal(failure.module, 'api');
    assert.equal(failure.reqId, 'abc-123');
    assert.match(String((failure.err as { stack?: string }).stack), /ENOENT/);
  });
});
