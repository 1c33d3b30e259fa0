/**
 * Validation messages in words, the same from the library, the API (through `app.inject`, a real
 * redis-server) and the train CLI (a real process): each names the field's path and the reason (a missing
 * property, the valid values, the integer range), unions included; 415 says what the route accepts.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { after, before, describe, it } from 'node:test';
import type { App } from '../../src/api/app.js';
import { ValidationError } from '../../src/errors.js';
import { parseTrainingSpec } from '../../src/model/training-spec.js';
import { STRATEGY_NAMES } from '../../src/model/weighting/index.js';
import { buildTestApp } from '../helpers/app.js';
import { startRedis, type RedisServer } from '../helpers/redis.js';
import { ROOT, tinySpec } from '../helpers/training.js';

type Issue = { path: string; message: string };
type ErrorAnswer = { error: { code: string; message: string; details?: Issue[] } };

/** The spec's issues (paths below the spec). */
function specIssues(body: unknown): Issue[] {
  try {
    parseTrainingSpec(body);
  } catch (err) {
    assert.ok(err instanceof ValidationError, String(err));
    return err.details as Issue[];
  }
  assert.fail('expected the spec to be refused');
}

/** Bodies of issue 14's Why and the one issue each must give (path and message). */
const CASES: { name: string; body: Record<string, unknown>; path: string; message: RegExp }[] = [
  {
    name: 'a synthetic dataset without size',
    body: { ...tinySpec(), dataset: { kind: 'synthetic', scenes: 8 } },
    path: '/dataset/size',
    message: /^is required: missing property "size" \(a list of 2 integers from \d+ to \d+\)$/,
  },
  {
    name: 'an unknown strategy',
    body: { ...tinySpec(), weighting: { strategy: 'kendall' } },
    path: '/weighting/strategy',
    message: new RegExp(`^expected one of ${STRATEGY_NAMES.join(', ')}, got "kendall"$`),
  },
  {
    name: 'an unknown dataset kind',
    body: { ...tinySpec(), dataset: { kind: 'imagenet' } },
    path: '/dataset/kind',
    message: /^expected one of synthetic, cityscapes, got "imagenet"$/,
  },
  {
    name: 'a dataset without kind',
    body: { ...tinySpec(), dataset: { scenes: 8 } },
    path: '/dataset/kind',
    message: /^is required: missing property "kind" \(one of synthetic, cityscapes\)$/,
  },
  {
    name: 'zero epochs',
    body: { ...tinySpec(), training: { epochs: 0 } },
    path: '/training/epochs',
    message: /^expected an integer from 1 to 1000, got 0$/,
  },
  {
    name: 'a fractional batch size',
    body: { ...tinySpec(), training: { batchSize: 2.5 } },
    path: '/training/batchSize',
    message: /^expected an integer from 1 to 64, got 2.5$/,
  },
  {
    name: 'replicas neither a number nor auto',
    body: { ...tinySpec(), training: { replicas: 'many' } },
    path: '/training/replicas',
    message: /^expected an integer from 1 to \d+ or "auto", got "many"$/,
  },
  {
    name: 'an unknown field',
    body: { ...tinySpec(), dataset: { kind: 'synthetic', scenes: 4, size: [64, 128], colour: 'red' } },
    path: '/dataset/colour',
    message: /^is not a known property \(expected one of kind, scenes, validationScenes, size, seed\)$/,
  },
];

describe('validation messages in words', () => {
  let redis: RedisServer;
  let app: App;

  before(async () => {
    redis = await startRedis();
    app = await buildTestApp({ redisUrl: redis.url, label: 'messages' });
  });
  after(async () => {
    await app.close();
    await redis.stop();
  });

  for (const { name, body, path, message } of CASES) {
    it(`${name}: one issue at ${path}, from the library and the API`, async () => {
      const issues = specIssues(body);
      assert.equal(issues.length, 1, JSON.stringify(issues));
      assert.equal(issues[0]!.path, path);
      assert.match(issues[0]!.message, message);

      const res = await app.inject({ method: 'POST', url: '/v1/training-jobs', payload: body });
      assert.equal(res.statusCode, 400);
      const { error } = res.json<ErrorAnswer>();
      assert.equal(error.code, 'VALIDATION_ERROR');
      assert.deepEqual(error.details, [{ path: `/body${path}`, message: issues[0]!.message }]);
      assert.equal(error.message, `invalid training spec: /body${path} ${issues[0]!.message}`);
    });
  }

  it('?view=foo: one line listing the valid views', async () => {
    const res = await app.inject({
      method: 'POST',
      url: '/v1/models/abc/predict?view=foo',
      headers: { 'content-type': 'image/png' },
      payload: Buffer.from('x'),
    });
    assert.equal(res.statusCode, 400);
    const { error } = res.json<ErrorAnswer>();
    assert.deepEqual(error.details, [
      {
        path: '/querystring/view',
        message: 'expected one of segmentation, instances, depth, overlay, got "foo"',
      },
    ]);
  });

  it('?status=foo and ?limit=0 name the valid statuses and the range', async () => {
    const status = (
      await app.inject({ method: 'GET', url: '/v1/training-jobs?status=foo' })
    ).json<ErrorAnswer>();
    assert.match(
      status.error.details![0]!.message,
      /^expected one of queued, running, cancelling, completed, failed, cancelled, got "foo"$/,
    );
    const limit = (await app.inject({ method: 'GET', url: '/v1/training-jobs?limit=0' })).json<ErrorAnswer>();
    assert.equal(limit.error.details![0]!.message, 'expected an integer from 1 to 100, got 0');
  });

  it('415 says what predict accepts, for a type Fastify has no parser for and one the route refuses', async () => {
    for (const type of ['application/octet-stream', 'image/gif', 'text/plain']) {
      const res = await app.inject({
        method: 'POST',
        url: '/v1/models/abc/predict',
        headers: { 'content-type': type },
        payload: Buffer.from('x'),
      });
      assert.equal(res.statusCode, 415, type);
      assert.equal(
        res.json<ErrorAnswer>().error.message,
        `content type "${type}" is not supported: send image/png, image/jpeg or multipart/form-data with field image`,
      );
    }
  });

  it('415 on a JSON route says to send application/json', async () => {
    const res = await app.inject({
      method: 'POST',
      url: '/v1/training-jobs',
      headers: { 'content-type': 'application/xml' },
      payload: '<spec/>',
    });
    assert.equal(res.statusCode, 415);
    assert.equal(
      res.json<ErrorAnswer>().error.message,
      'content type "application/xml" is not supported: send application/json',
    );
  });

  it('the train CLI prints the same message and its usage, and exits 2', async () => {
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', 'src/cli/train.ts', '--synthetic', '8', '--weighting', 'kendall'],
      { cwd: ROOT, env: { ...process.env, TF_BACKEND: 'cpu' }, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
    assert.equal(code, 2, stderr);
    const expected = specIssues({ ...tinySpec(), weighting: { strategy: 'kendall' } })[0]!;
    assert.ok(stderr.includes(`/weighting/strategy ${expected.message}`), stderr);
    assert.match(stderr, /^Usage: npm run train/m);
  });
});
