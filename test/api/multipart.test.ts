/**
 * Multipart bodies on `POST /v1/models/{id}/predict`: a malformed one is a 400 with the standard body,
 * logged as a refused request (info), never as the service's own failure.
 */
import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { after, before, describe, it } from 'node:test';
import type { App } from '../../src/api/app.js';
import { createRootLogger } from '../../src/logger.js';
import { buildTestApp } from '../helpers/app.js';
import { randomImage, saveTinyModel } from '../helpers/tiny-model.js';
import { multipartOf } from './fuzz/broken-images.js';

/** Log lines the app wrote, parsed. */
const lines: Record<string, unknown>[] = [];

describe('multipart prediction bodies', () => {
  let app: App;
  let png: Buffer;

  before(async () => {
    const sink = new Writable({
      write(chunk: Buffer, _encoding, done) {
        for (const line of chunk.toString().split('\n')) if (line.trim() !== '') lines.push(JSON.parse(line));
        done();
      },
    });
    const logger = createRootLogger({ level: 'info', destination: sink }).child({ module: 'api' });
    app = await buildTestApp({ env: { TF_BACKEND: 'wasm' }, logger });
    await saveTinyModel(app.config.ARTIFACT_DIR, 'tiny');
    png = await randomImage(64, 32, 'png');
  });
  after(async () => {
    await app.close();
  });

  const predict = (contentType: string, payload: Buffer) =>
    app.inject({
      method: 'POST',
      url: '/v1/models/tiny/predict',
      headers: { 'content-type': contentType },
      payload,
    });

  it('predicts from a well-formed multipart body', async () => {
    const body = multipartOf('b0undary', { name: 'image', filename: 'a.png', type: 'image/png', data: png });
    const res = await predict('multipart/form-data; boundary=b0undary', body);
    assert.equal(res.statusCode, 200, res.body);
    assert.deepEqual([res.json().width, res.json().height], [64, 32]);
  });

  const good = () => multipartOf('XX', { name: 'image', filename: 'a.png', data: png });
  const malformed: [string, string, () => Buffer, RegExp][] = [
    ['no boundary', 'multipart/form-data', good, /^the multipart body is malformed: /],
    ['an empty boundary', 'multipart/form-data; boundary=', good, /^the multipart body is malformed: /],
    ['another boundary', 'multipart/form-data; boundary=YY', good, /^the multipart body is malformed: /],
    [
      'no closing boundary',
      'multipart/form-data; boundary=XX',
      () => good().subarray(0, good().length - 8),
      /^the multipart body is malformed: /,
    ],
    [
      'a body cut inside a part header',
      'multipart/form-data; boundary=XX',
      () => Buffer.from('--XX\r\nContent-Disposition: form-da'),
      /^the multipart body is malformed: /,
    ],
    [
      'garbage',
      'multipart/form-data; boundary=XX',
      () => Buffer.from('\x00\x01garbage', 'latin1'),
      /^the multipart body is malformed: /,
    ],
    [
      'no parts',
      'multipart/form-data; boundary=XX',
      () => Buffer.from('--XX--\r\n'),
      /file part named "image"/,
    ],
    [
      'a text field instead of a file',
      'multipart/form-data; boundary=XX',
      () => multipartOf('XX', { name: 'image', data: png }),
      /file part named "image"/,
    ],
    [
      'a file under another name',
      'multipart/form-data; boundary=XX',
      () => multipartOf('XX', { name: 'picture', filename: 'a.png', data: png }),
      /file part named "image"/,
    ],
  ];
  for (const [what, contentType, body, message] of malformed) {
    it(`answers ${what} with 400 VALIDATION_ERROR`, async () => {
      const res = await predict(contentType, body());
      assert.equal(res.statusCode, 400, res.body);
      const { error } = res.json() as { error: { code: string; message: string } };
      assert.equal(error.code, 'VALIDATION_ERROR');
      assert.match(error.message, message);
    });
  }

  it('logs malformed bodies as refused requests (info), none as a failure', () => {
    const refused = lines.filter((l) => l.msg === 'request refused');
    assert.ok(refused.length >= malformed.length, `${refused.length} refused`);
    assert.ok(refused.every((l) => l.level === 'info'));
    assert.deepEqual(
      lines.filter((l) => l.level === 'error' || l.level === 'fatal'),
      [],
    );
  });
});
