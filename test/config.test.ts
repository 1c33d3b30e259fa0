import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, it } from 'node:test';
import {
  ConfigSchema,
  getConfig,
  loadConfig,
  redactConfig,
  renderConfigTable,
  withConfigTable,
  type Config,
  type ConfigKey,
} from '../src/config.js';
import { ConfigError } from '../src/errors.js';

/** Loads `env` and returns the ConfigError it must throw. */
function configError(env: NodeJS.ProcessEnv): ConfigError {
  try {
    loadConfig(env);
  } catch (err) {
    assert.ok(err instanceof ConfigError, `expected ConfigError, got ${String(err)}`);
    return err;
  }
  assert.fail(`expected ${JSON.stringify(env)} to be rejected`);
}

describe('loadConfig', () => {
  it('applies every default to an empty environment', () => {
    const expected: Config = {
      PORT: 3000,
      HOST: '0.0.0.0',
      DATA_DIR: path.resolve('data'),
      ARTIFACT_DIR: path.resolve('artifacts'),
      TF_BACKEND: 'auto',
      LOG_LEVEL: 'info',
      API_KEYS: [],
      CORS_ORIGINS: [],
      MAX_BODY_BYTES: 16 * 1024 * 1024,
      MAX_IMAGE_PIXELS: 4096 * 4096,
      MAX_JOB_GENERATED_PIXELS: 1_000_000_000,
      MAX_JOB_DATASET_BYTES: 20 * 1024 * 1024 * 1024,
      MAX_JOB_TRAINING_STEPS: 1_000_000,
      DISK_RESERVE_BYTES: 1024 * 1024 * 1024,
      MAX_QUEUED_JOBS: 100,
      QUEUE_NAME: 'training',
      JOB_ATTEMPTS: 3,
      WORKER_LOCK_DURATION_MS: 30_000,
      WORKER_STALLED_INTERVAL_MS: 30_000,
      WORKER_MAX_STALLED_COUNT: 3,
      WORKER_CHILD_STARTUP_TIMEOUT_MS: 60_000,
      WORKER_CHILD_HEARTBEAT_TIMEOUT_MS: 120_000,
      WORKER_CONCURRENCY: 'auto',
      PROGRESS_INTERVAL_MS: 1000,
      SSE_HEARTBEAT_MS: 15_000,
      REQUEST_TIMEOUT_MS: 60_000,
      HEADERS_TIMEOUT_MS: 10_000,
      MAX_CONNECTIONS: 512,
      PREDICT_CONCURRENCY: 2,
      PREDICT_QUEUE_SIZE: 16,
      PREDICT_BATCH_SIZE: 4,
      PREDICT_BATCH_WAIT_MS: 2,
      PREDICT_SHARE_HEADS: 'on',
      MODEL_CACHE_SIZE: 4,
      TARGET_CACHE_MAX_BYTES: 16 * 1024 * 1024 * 1024,
      LOG_FORMAT: 'json',
    };
    assert.deepEqual(loadConfig({}), expected);
    assert.equal(loadConfig({}).REDIS_URL, undefined);
  });

  it('converts and keeps valid values', () => {
    const config = loadConfig({
      PORT: ' 8080 ',
      HOST: '127.0.0.1',
      REDIS_URL: 'redis://localhost:6380/2',
      DATA_DIR: '/srv/data',
      ARTIFACT_DIR: 'out/artifacts',
      TF_BACKEND: 'wasm',
      LOG_LEVEL: 'debug',
      MAX_BODY_BYTES: '1024',
      MAX_IMAGE_PIXELS: '65536',
      MAX_QUEUED_JOBS: '5',
      PREDICT_CONCURRENCY: '1',
      PREDICT_QUEUE_SIZE: '0',
      MODEL_CACHE_SIZE: '10',
      WORKER_CONCURRENCY: '4',
    });
    assert.equal(config.PORT, 8080);
    assert.equal(config.HOST, '127.0.0.1');
    assert.equal(config.REDIS_URL, 'redis://localhost:6380/2');
    assert.equal(config.DATA_DIR, '/srv/data');
    assert.equal(config.ARTIFACT_DIR, path.resolve('out/artifacts'));
    assert.equal(config.TF_BACKEND, 'wasm');
    assert.equal(config.LOG_LEVEL, 'debug');
    assert.equal(config.MAX_BODY_BYTES, 1024);
    assert.equal(config.MAX_IMAGE_PIXELS, 65536);
    assert.equal(config.MAX_QUEUED_JOBS, 5);
    assert.equal(config.PREDICT_CONCURRENCY, 1);
    assert.equal(config.PREDICT_QUEUE_SIZE, 0);
    assert.equal(config.MODEL_CACHE_SIZE, 10);
    assert.equal(config.WORKER_CONCURRENCY, 4);
    assert.equal(loadConfig({ WORKER_CONCURRENCY: 'auto' }).WORKER_CONCURRENCY, 'auto');
  });

  it('treats empty and blank values as unset and ignores unknown variables', () => {
    const config = loadConfig({ PORT: '', HOST: '   ', REDIS_URL: '', SOMETHING_ELSE: 'x', PATH: '/bin' });
    assert.equal(config.PORT, 3000);
    assert.equal(config.HOST, '0.0.0.0');
    assert.equal(config.REDIS_URL, undefined);
    assert.equal('SOMETHING_ELSE' in config, false);
    assert.equal('PATH' in config, false);
  });

  it('parses API_KEYS as a comma-separated list', () => {
    assert.deepEqual(loadConfig({ API_KEYS: 'alpha' }).API_KEYS, ['alpha']);
    assert.deepEqual(loadConfig({ API_KEYS: ' alpha, beta ,gamma,, ' }).API_KEYS, ['alpha', 'beta', 'gamma']);
    assert.deepEqual(loadConfig({ API_KEYS: '' }).API_KEYS, []);
    assert.deepEqual(loadConfig({ API_KEYS: ' , ' }).API_KEYS, []);
    assert.deepEqual(loadConfig({}).API_KEYS, []);
  });

  it('parses CORS_ORIGINS as a comma-separated list of origins', () => {
    assert.deepEqual(
      loadConfig({ CORS_ORIGINS: 'http://localhost:5173, https://app.example.com' }).CORS_ORIGINS,
      ['http://localhost:5173', 'https://app.example.com'],
    );
    assert.deepEqual(loadConfig({}).CORS_ORIGINS, []);
  });

  it('does not share the default API_KEYS array between loads', () => {
    loadConfig({}).API_KEYS.push('mutated');
    assert.deepEqual(loadConfig({}).API_KEYS, []);
  });

  /** An invalid value for each variable and words its error message must contain. */
  const invalidCases: Record<string, { value: string; expected: string }[]> = {
    PORT: [
      { value: 'abc', expected: 'an integer from 1 to 65535' },
      { value: '0', expected: 'an integer from 1 to 65535' },
      { value: '65536', expected: 'an integer from 1 to 65535' },
      { value: '3000.5', expected: 'an integer' },
      { value: '1e3', expected: 'an integer' },
      { value: '3000abc', expected: 'an integer' },
    ],
    HOST: [{ value: 'my host', expected: 'a host name or IP address' }],
    REDIS_URL: [{ value: 'localhost:6379', expected: 'a redis:// or rediss:// URL' }],
    TF_BACKEND: [{ value: 'gpu', expected: 'one of auto, tensorflow, wasm, cpu' }],
    LOG_LEVEL: [{ value: 'verbose', expected: 'one of fatal, error, warn, info, debug, trace, silent' }],
    MAX_BODY_BYTES: [{ value: '16MiB', expected: 'an integer from 1024 to 1073741824' }],
    MAX_IMAGE_PIXELS: [{ value: '-1', expected: 'an integer from 1 to 268402689' }],
    MAX_QUEUED_JOBS: [{ value: '0', expected: 'an integer from 1 to 100000' }],
    MAX_JOB_GENERATED_PIXELS: [{ value: '0', expected: 'an integer from 1 to 9007199254740991' }],
    MAX_JOB_DATASET_BYTES: [{ value: '1e9', expected: 'an integer from 1 to 9007199254740991' }],
    MAX_JOB_TRAINING_STEPS: [{ value: '-1', expected: 'an integer from 1 to 9007199254740991' }],
    DISK_RESERVE_BYTES: [{ value: 'lots', expected: 'an integer from 0 to 9007199254740991' }],
    QUEUE_NAME: [{ value: 'my:queue', expected: 'letters, digits, _ and -, at most 64 characters' }],
    JOB_ATTEMPTS: [{ value: '0', expected: 'an integer from 1 to 20' }],
    WORKER_LOCK_DURATION_MS: [{ value: '500', expected: 'an integer from 1000 to 3600000' }],
    WORKER_STALLED_INTERVAL_MS: [{ value: 'soon', expected: 'an integer from 500 to 3600000' }],
    WORKER_MAX_STALLED_COUNT: [{ value: '-1', expected: 'an integer from 0 to 100' }],
    WORKER_CHILD_STARTUP_TIMEOUT_MS: [{ value: '999', expected: 'an integer from 1000 to 600000' }],
    WORKER_CHILD_HEARTBEAT_TIMEOUT_MS: [{ value: 'soon', expected: 'an integer from 1000 to 3600000' }],
    WORKER_CONCURRENCY: [
      { value: '0', expected: 'auto, or an integer from 1 to 256' },
      { value: 'max', expected: 'auto, or an integer from 1 to 256' },
      { value: '2.5', expected: 'auto, or an integer from 1 to 256' },
    ],
    PROGRESS_INTERVAL_MS: [{ value: '1s', expected: 'an integer from 0 to 600000' }],
    SSE_HEARTBEAT_MS: [{ value: '50', expected: 'an integer from 100 to 300000' }],
    REQUEST_TIMEOUT_MS: [
      { value: '999', expected: 'an integer from 1000 to 3600000' },
      { value: 'Infinity', expected: 'an integer from 1000 to 3600000' },
    ],
    HEADERS_TIMEOUT_MS: [
      { value: '0', expected: 'an integer from 1000 to 600000' },
      { value: '10s', expected: 'an integer from 1000 to 600000' },
    ],
    MAX_CONNECTIONS: [
      { value: '0', expected: 'an integer from 1 to 1000000' },
      { value: '1e3', expected: 'an integer from 1 to 1000000' },
    ],
    PREDICT_CONCURRENCY: [{ value: 'two', expected: 'an integer from 1 to 64' }],
    PREDICT_QUEUE_SIZE: [{ value: '-5', expected: 'an integer from 0 to 10000' }],
    MODEL_CACHE_SIZE: [{ value: '0', expected: 'an integer from 1 to 1000' }],
    CORS_ORIGINS: [
      { value: 'example.com', expected: 'a comma-separated list of origins' },
      { value: 'https://a.test/path', expected: 'a comma-separated list of origins' },
    ],
    TARGET_CACHE_MAX_BYTES: [
      { value: '-1', expected: 'an integer from 0 to' },
      { value: '8GiB', expected: 'an integer from 0 to' },
    ],
    LOG_FORMAT: [{ value: 'text', expected: 'one of json, pretty' }],
    PREDICT_BATCH_SIZE: [{ value: '0', expected: 'an integer from 1 to 64' }],
    PREDICT_BATCH_WAIT_MS: [{ value: '1.5', expected: 'an integer from 0 to 1000' }],
    PREDICT_SHARE_HEADS: [{ value: 'yes', expected: 'one of on, off' }],
  };
  /** Variables for which every non-empty value is valid. */
  const acceptsAnything = new Set(['DATA_DIR', 'ARTIFACT_DIR']);

  it('has an invalid-value case for every variable that can be invalid', () => {
    for (const key of Object.keys(ConfigSchema.properties)) {
      if (key === 'API_KEYS' || acceptsAnything.has(key)) continue;
      assert.ok(invalidCases[key], `add an invalid value for ${key} to invalidCases`);
    }
  });

  for (const [variable, cases] of Object.entries(invalidCases)) {
    for (const { value, expected } of cases) {
      it(`names ${variable} when it is ${JSON.stringify(value)}`, () => {
        const err = configError({ [variable]: value });
        assert.match(err.message, new RegExp(`${variable}=${JSON.stringify(value)} is invalid: expected `));
        assert.ok(err.message.includes(expected), err.message);
        assert.deepEqual(
          err.problems.map((p) => p.variable),
          [variable],
        );
        assert.equal(err.code, 'CONFIG_ERROR');
      });
    }
  }

  it('refuses a HEADERS_TIMEOUT_MS longer than REQUEST_TIMEOUT_MS (given or by default)', () => {
    const given = configError({ REQUEST_TIMEOUT_MS: '5000', HEADERS_TIMEOUT_MS: '6000' });
    assert.equal(
      given.message,
      'Invalid configuration: HEADERS_TIMEOUT_MS="6000" is invalid: expected at most REQUEST_TIMEOUT_MS (5000)',
    );
    const byDefault = configError({ REQUEST_TIMEOUT_MS: '5000' });
    assert.deepEqual(byDefault.problems, [
      {
        variable: 'HEADERS_TIMEOUT_MS',
        value: '"10000 (default)"',
        expected: 'at most REQUEST_TIMEOUT_MS (5000)',
      },
    ]);
    assert.equal(
      loadConfig({ REQUEST_TIMEOUT_MS: '5000', HEADERS_TIMEOUT_MS: '5000' }).HEADERS_TIMEOUT_MS,
      5000,
    );
  });

  it('uses the exact message format for PORT', () => {
    assert.equal(
      configError({ PORT: 'abc' }).message,
      'Invalid configuration: PORT="abc" is invalid: expected an integer from 1 to 65535',
    );
  });

  it('names every invalid variable at once, in schema order', () => {
    const err = configError({ TF_BACKEND: 'gpu', PORT: 'abc', MODEL_CACHE_SIZE: 'many', HOST: 'localhost' });
    assert.deepEqual(
      err.problems.map((p) => p.variable),
      ['PORT', 'TF_BACKEND', 'MODEL_CACHE_SIZE'],
    );
    for (const fragment of ['PORT="abc"', 'TF_BACKEND="gpu"', 'MODEL_CACHE_SIZE="many"']) {
      assert.ok(err.message.includes(fragment), err.message);
    }
    assert.ok(!err.message.includes('HOST'), 'valid variables are not named');
  });

  it('never prints API_KEYS values, even when invalid', () => {
    const err = configError({ API_KEYS: 'good-key,bad key' });
    assert.equal(err.problems[0]?.variable, 'API_KEYS');
    assert.ok(err.message.includes('API_KEYS=<hidden> is invalid'), err.message);
    assert.ok(!err.message.includes('good-key') && !err.message.includes('bad key'), err.message);
  });

  it('masks credentials of an invalid REDIS_URL', () => {
    const err = configError({ REDIS_URL: 'http://user:s3cret@redis:6379' });
    assert.ok(err.message.includes('REDIS_URL="http://<hidden>@redis:6379"'), err.message);
    assert.ok(!err.message.includes('s3cret'));
  });
});

describe('getConfig', () => {
  it('parses the environment once', () => {
    assert.equal(getConfig(), getConfig());
  });
});

describe('redactConfig', () => {
  it('hides API keys and URL credentials', () => {
    const config = loadConfig({ API_KEYS: 'k1,k2', REDIS_URL: 'redis://:pw@localhost:6379' });
    const shown = redactConfig(config);
    assert.equal(shown.API_KEYS, '<hidden> (2)');
    assert.equal(shown.REDIS_URL, 'redis://<hidden>@localhost:6379');
    assert.equal(shown.PORT, 3000);
    assert.ok(!JSON.stringify(shown).includes('pw@') && !JSON.stringify(shown).includes('k1'));
  });
});

describe('configuration docs', () => {
  it('has one table row per variable, with its default', () => {
    const table = renderConfigTable();
    for (const [key, schema] of Object.entries(ConfigSchema.properties)) {
      const row = table.split('\n').find((line) => line.startsWith(`| \`${key}\` `));
      assert.ok(row, `no row for ${key}`);
      assert.ok(row.includes((schema as { description?: string }).description ?? '\0'), `${key} description`);
    }
    assert.match(table, /\| `PORT` +\| `3000` +\|/);
    assert.match(table, /\| `REDIS_URL` +\| _unset_ +\|/);
  });

  it("README.md's configuration table is up to date (run: npx tsx src/cli/print-config-table.ts --write)", async () => {
    const committed = await readFile(new URL('../README.md', import.meta.url), 'utf8');
    assert.equal(committed, withConfigTable(committed));
  });

  it('documents every key of Config', () => {
    const keys: ConfigKey[] = Object.keys(loadConfig({})) as ConfigKey[];
    for (const key of keys) assert.ok(renderConfigTable().includes(`\`${key}\``));
  });
});
