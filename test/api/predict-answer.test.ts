import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { Ajv } from 'ajv';
import { collectGarbage } from '../../src/api/predict/collect-garbage.js';
import { jsonBytes } from '../../src/api/predict/json-bytes.js';
import { PredictorPool } from '../../src/api/predict/predictor-pool.js';
import { PredictionSchema } from '../../src/api/schemas/model.js';
import { TASKS } from '../../src/model/tasks.js';
import { selectBackend } from '../../src/tf/index.js';
import { randomImage, saveTinyModel } from '../helpers/tiny-model.js';

describe('jsonBytes', () => {
  test('is JSON.stringify with every Uint8Array as its base64 string', () => {
    const blob = (n: number) => Uint8Array.from({ length: n }, (_, i) => (i * 37 + n) & 255);
    // Sizes around the 3-byte groups and beyond one 48 KiB chunk; text with multi-byte characters.
    const value = {
      name: 'Zürich "quoted" \u2603',
      maps: [0, 1, 2, 3, 4, 49151, 49152, 49153, 100_000].map((n) => ({ n, data: blob(n) })),
      nested: { list: [1.5, null, true], buffer: Buffer.from('kept as a Buffer') },
    };
    const expected = JSON.stringify(value, (_key, v: unknown) =>
      v instanceof Uint8Array && !Buffer.isBuffer(v) ? Buffer.from(v).toString('base64') : v,
    );
    const bytes = jsonBytes(value);
    assert.equal(bytes.toString('utf8'), expected);
    // Its own memory, so it can be transferred to another thread without detaching Node's pool.
    assert.equal(bytes.byteOffset, 0);
    assert.equal(bytes.buffer.byteLength, bytes.length);
  });
});

test('collectGarbage frees typed arrays nothing refers to any more', () => {
  assert.equal(collectGarbage(), true, 'this runtime gives a gc function');
  // Allocated and dropped in a function of its own: nothing here refers to it afterwards.
  const held = (() => {
    const big = new Uint8Array(64 * 1024 * 1024).fill(1);
    assert.equal(big[12345], 1);
    return process.memoryUsage().arrayBuffers;
  })();
  collectGarbage();
  const freed = held - process.memoryUsage().arrayBuffers;
  assert.ok(freed >= 60 * 1024 * 1024, `freed ${freed} bytes`);
});

describe('the JSON answer built in the predictor thread', () => {
  let artifactDir: string;
  let pool: PredictorPool;

  before(async () => {
    await selectBackend('wasm');
    artifactDir = await mkdtemp(join(tmpdir(), 'answer-'));
    await saveTinyModel(artifactDir, 'tiny');
    pool = new PredictorPool({ threads: 1, queueSize: 2, modelCacheSize: 1, artifactDir, backend: 'wasm' });
    await pool.ready();
  });

  after(async () => {
    await pool.close();
    await rm(artifactDir, { recursive: true, force: true });
  });

  test('has the shape of PredictionSchema, for a small image and one above the collection threshold', async () => {
    const validate = new Ajv({ strict: false }).compile(PredictionSchema);
    for (const [width, height] of [
      [48, 30],
      [1400, 800],
    ] as const) {
      const reply = await pool.predict({
        modelId: 'tiny',
        image: await randomImage(width, height, 'png'),
        outputs: [...TASKS],
      });
      assert.equal(reply.kind, 'json');
      if (reply.kind !== 'json') return;
      const body = JSON.parse(reply.json.toString('utf8')) as { width: number; height: number };
      assert.ok(validate(body), JSON.stringify(validate.errors));
      assert.deepEqual([body.width, body.height], [width, height]);
      assert.deepEqual(reply.body, body, 'body parses the same bytes');
    }
  });
});
