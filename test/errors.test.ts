import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  AppError,
  BackendError,
  ConfigError,
  ConflictError,
  DatasetError,
  ModelBrokenError,
  INTERNAL_ERROR_CODE,
  INTERNAL_ERROR_MESSAGE,
  NotFoundError,
  PayloadTooLargeError,
  ServiceUnavailableError,
  TrainingChildError,
  UnauthorizedError,
  UnsupportedMediaTypeError,
  ValidationError,
  toErrorBody,
} from '../src/errors.js';

/** Every subclass with an example instance and the code and status it must carry. */
const cases: { error: AppError; name: string; code: string; statusCode: number; expose: boolean }[] = [
  {
    error: new ConfigError([{ variable: 'PORT', value: '"abc"', expected: 'an integer' }]),
    name: 'ConfigError',
    code: 'CONFIG_ERROR',
    statusCode: 500,
    expose: false,
  },
  {
    error: new ValidationError('bad'),
    name: 'ValidationError',
    code: 'VALIDATION_ERROR',
    statusCode: 400,
    expose: true,
  },
  {
    error: new NotFoundError('no model'),
    name: 'NotFoundError',
    code: 'NOT_FOUND',
    statusCode: 404,
    expose: true,
  },
  {
    error: new ConflictError('finished'),
    name: 'ConflictError',
    code: 'CONFLICT',
    statusCode: 409,
    expose: true,
  },
  {
    error: new UnauthorizedError(),
    name: 'UnauthorizedError',
    code: 'UNAUTHORIZED',
    statusCode: 401,
    expose: true,
  },
  {
    error: new PayloadTooLargeError('too big'),
    name: 'PayloadTooLargeError',
    code: 'PAYLOAD_TOO_LARGE',
    statusCode: 413,
    expose: true,
  },
  {
    error: new UnsupportedMediaTypeError('gif'),
    name: 'UnsupportedMediaTypeError',
    code: 'UNSUPPORTED_MEDIA_TYPE',
    statusCode: 415,
    expose: true,
  },
  {
    error: new ServiceUnavailableError('queue full', 30),
    name: 'ServiceUnavailableError',
    code: 'SERVICE_UNAVAILABLE',
    statusCode: 503,
    expose: true,
  },
  {
    error: new DatasetError('label file missing', 'gtFine/train/a/x_gtFine_labelIds.png'),
    name: 'DatasetError',
    code: 'DATASET_ERROR',
    statusCode: 422,
    expose: true,
  },
  {
    error: new BackendError('wasm init failed'),
    name: 'BackendError',
    code: 'BACKEND_ERROR',
    statusCode: 500,
    expose: false,
  },
  {
    error: new ModelBrokenError('m1', 'weights.bin is missing'),
    name: 'ModelBrokenError',
    code: 'MODEL_BROKEN',
    statusCode: 409,
    expose: true,
  },
  {
    error: new TrainingChildError('TRAINING_CHILD_EXITED', 'the training child exited while training'),
    name: 'TrainingChildError',
    code: 'TRAINING_CHILD_EXITED',
    statusCode: 500,
    expose: false,
  },
];

describe('error classes', () => {
  for (const c of cases) {
    it(`${c.name} has code ${c.code} and status ${c.statusCode}`, () => {
      assert.ok(c.error instanceof AppError);
      assert.ok(c.error instanceof Error);
      assert.equal(c.error.name, c.name);
      assert.equal(c.error.code, c.code);
      assert.match(c.error.code, /^[A-Z][A-Z0-9]*(_[A-Z0-9]+)*$/);
      assert.equal(c.error.statusCode, c.statusCode);
      assert.equal(c.error.expose, c.expose);
      assert.ok(c.error.stack?.includes(c.name));
    });
  }

  it('ValidationError keeps its details', () => {
    const err = new ValidationError('bad epochs', [{ path: '/training/epochs', message: 'must be >= 1' }]);
    assert.deepEqual(err.details, [{ path: '/training/epochs', message: 'must be >= 1' }]);
    assert.equal(new ValidationError('no details').details, undefined);
  });

  it('ServiceUnavailableError keeps retryAfterSeconds', () => {
    assert.equal(new ServiceUnavailableError('busy', 5).retryAfterSeconds, 5);
    assert.equal(new ServiceUnavailableError('busy').retryAfterSeconds, undefined);
  });

  it('DatasetError names the file in its message and details', () => {
    const err = new DatasetError('does not decode', 'leftImg8bit/train/a/x.png', {
      cause: new Error('zlib'),
    });
    assert.equal(err.file, 'leftImg8bit/train/a/x.png');
    assert.match(err.message, /does not decode \(leftImg8bit\/train\/a\/x\.png\)/);
    assert.deepEqual(err.details, { file: 'leftImg8bit/train/a/x.png' });
    assert.ok(err.cause instanceof Error);
  });

  it('ConfigError lists one line per problem', () => {
    const err = new ConfigError([
      { variable: 'PORT', value: '"abc"', expected: 'an integer from 1 to 65535' },
      { variable: 'TF_BACKEND', value: '"gpu"', expected: 'one of auto, tensorflow, wasm, cpu' },
    ]);
    assert.equal(
      err.message,
      'Invalid configuration (2 variables):\n' +
        '  - PORT="abc" is invalid: expected an integer from 1 to 65535\n' +
        '  - TF_BACKEND="gpu" is invalid: expected one of auto, tensorflow, wasm, cpu',
    );
    assert.equal(err.problems.length, 2);
  });
});

describe('toErrorBody', () => {
  it('shows code, message and details of a 4xx AppError', () => {
    const err = new ValidationError('bad', [{ path: '/a', message: 'x' }]);
    assert.deepEqual(toErrorBody(err), {
      error: { code: 'VALIDATION_ERROR', message: 'bad', details: [{ path: '/a', message: 'x' }] },
    });
    assert.deepEqual(toErrorBody(new NotFoundError('Model "m" not found')), {
      error: { code: 'NOT_FOUND', message: 'Model "m" not found' },
    });
  });

  it('shows the message of a ServiceUnavailableError (written for clients)', () => {
    assert.deepEqual(toErrorBody(new ServiceUnavailableError('queue full', 10)), {
      error: { code: 'SERVICE_UNAVAILABLE', message: 'queue full' },
    });
  });

  it('hides the message and details of a 5xx AppError', () => {
    const err = new AppError('SOMETHING', 500, 'failed at /srv/secret/path', { details: { path: '/srv' } });
    assert.deepEqual(toErrorBody(err), { error: { code: 'SOMETHING', message: INTERNAL_ERROR_MESSAGE } });
    assert.deepEqual(toErrorBody(new BackendError('kernel Conv2D failed: tensor 0x1234')), {
      error: { code: 'BACKEND_ERROR', message: INTERNAL_ERROR_MESSAGE },
    });
  });

  it('never leaks anything from errors it does not know', () => {
    const generic = { error: { code: INTERNAL_ERROR_CODE, message: INTERNAL_ERROR_MESSAGE } };
    assert.deepEqual(toErrorBody(new Error('ENOENT: /srv/artifacts/models/x')), generic);
    assert.deepEqual(toErrorBody('a string'), generic);
    assert.deepEqual(toErrorBody(undefined), generic);
    assert.deepEqual(toErrorBody({ code: 'FAKE', statusCode: 400, message: 'spoof' }), generic);
    assert.equal(INTERNAL_ERROR_CODE, 'INTERNAL_ERROR');
  });
});
