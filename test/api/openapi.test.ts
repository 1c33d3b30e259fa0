/**
 * openapi.yaml is the contract: it must equal what the app serves at /docs/json and be valid OpenAPI 3.
 */
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { after, before, describe, it } from 'node:test';
import SwaggerParser from '@apidevtools/swagger-parser';
import type { App } from '../../src/api/app.js';
import { toOpenApi30 } from '../../src/api/plugins/docs.js';
import { OPENAPI_PATH, renderOpenApiYaml } from '../../src/cli/write-openapi.js';
import { buildTestApp } from '../helpers/app.js';

describe('openapi.yaml', () => {
  let app: App;
  before(async () => {
    app = await buildTestApp();
  });
  after(async () => {
    await app.close();
  });

  it('is what `npm run openapi` generates (run it after changing a route or schema)', async () => {
    assert.equal(
      await readFile(OPENAPI_PATH, 'utf8'),
      await renderOpenApiYaml(),
      'openapi.yaml is stale: run `npm run openapi`',
    );
  });

  it('equals the document the app serves at /docs/json', async () => {
    const res = await app.inject({ method: 'GET', url: '/docs/json' });
    assert.equal(res.statusCode, 200);
    const committed = await SwaggerParser.parse(OPENAPI_PATH);
    assert.deepEqual(JSON.parse(JSON.stringify(committed)), res.json());
  });

  it('passes an OpenAPI 3 validator', async () => {
    const api = await SwaggerParser.validate(OPENAPI_PATH);
    assert.match((api as { openapi: string }).openapi, /^3\./);
  });

  it('documents every route of the HTTP API with its error answers', async () => {
    const doc = (await SwaggerParser.parse(OPENAPI_PATH)) as unknown as {
      paths: Record<string, Record<string, { responses: Record<string, unknown>; security?: unknown }>>;
    };
    const expected: [string, string, string[]][] = [
      ['/v1/training-jobs', 'post', ['202', '400', '401', '409', '422', '503']],
      ['/v1/training-jobs', 'get', ['200', '400', '401']],
      ['/v1/training-jobs/{id}', 'get', ['200', '404']],
      ['/v1/training-jobs/{id}/cancel', 'post', ['200', '202', '404', '409']],
      ['/v1/training-jobs/{id}/events', 'get', ['200', '404']],
      ['/health/live', 'get', ['200']],
      ['/health/ready', 'get', ['200', '503']],
      ['/metrics', 'get', ['200']],
      ['/v1/models', 'get', ['200', '401']],
      ['/v1/models/{id}', 'get', ['200', '400', '401', '404', '409']],
      ['/v1/models/{id}', 'delete', ['204', '400', '401', '404', '409', '503']],
      ['/v1/models/{id}/predict', 'post', ['200', '400', '401', '404', '409', '413', '415', '422', '503']],
    ];
    for (const [path, method, statuses] of expected) {
      const op = doc.paths[path]?.[method];
      assert.ok(op, `${method.toUpperCase()} ${path}`);
      for (const status of statuses) assert.ok(op.responses[status], `${method} ${path} ${status}`);
      if (path.startsWith('/v1')) assert.deepEqual(op.security, [{ bearerAuth: [] }]);
    }
  });
});

describe('what a client generated from openapi.yaml needs', () => {
  /** The parts of the document these tests read. */
  interface Doc {
    info: { version: string };
    paths: Record<
      string,
      Record<
        string,
        {
          parameters?: { in: string; name: string; required?: boolean; schema: { default?: unknown } }[];
          requestBody?: { required?: boolean; content: Record<string, { schema: Schema }> };
          responses: Record<string, { content?: Record<string, { schema: Schema }> }>;
        }
      >
    >;
  }
  interface Schema {
    type?: string;
    format?: string;
    required?: string[];
    properties?: Record<string, Schema>;
  }
  let doc: Doc;
  before(async () => {
    doc = (await SwaggerParser.dereference(OPENAPI_PATH)) as unknown as Doc;
  });

  it("says the package's version", async () => {
    const pkg = JSON.parse(await readFile(new URL('../../package.json', import.meta.url), 'utf8')) as {
      version: string;
    };
    assert.equal(doc.info.version, pkg.version);
  });

  it('takes the image of a prediction as PNG, JPEG or the multipart field image, all binary', () => {
    const predict = doc.paths['/v1/models/{id}/predict']!.post!;
    assert.equal(predict.requestBody?.required, true);
    const content = predict.requestBody!.content;
    assert.deepEqual(Object.keys(content).sort(), ['image/jpeg', 'image/png', 'multipart/form-data']);
    for (const type of ['image/png', 'image/jpeg']) {
      assert.deepEqual([content[type]!.schema.type, content[type]!.schema.format], ['string', 'binary']);
    }
    const form = content['multipart/form-data']!.schema;
    assert.deepEqual(form.required, ['image']);
    assert.deepEqual([form.properties!.image!.type, form.properties!.image!.format], ['string', 'binary']);
    const ok = predict.responses['200']!.content!;
    assert.deepEqual(Object.keys(ok).sort(), ['application/json', 'application/octet-stream', 'image/png']);
    assert.equal(ok['image/png']!.schema.format, 'binary');
    assert.equal(ok['application/octet-stream']!.schema.format, 'binary');
    assert.ok(ok['application/json']!.schema.properties!.segmentation);
    for (const [status, response] of Object.entries(predict.responses)) {
      if (status !== '200') assert.deepEqual(Object.keys(response.content!), ['application/json'], status);
    }
  });

  it('requires no query parameter that has a default', () => {
    let defaulted = 0;
    for (const [path, item] of Object.entries(doc.paths)) {
      for (const [method, op] of Object.entries(item)) {
        for (const p of op.parameters ?? []) {
          if (p.in !== 'query' || p.schema.default === undefined) continue;
          defaulted++;
          assert.notEqual(p.required, true, `${method} ${path} ?${p.name}`);
        }
      }
    }
    assert.ok(defaulted >= 2, 'limit and offset have defaults');
  });

  it('requires no body field that has a default, while answers still list them', () => {
    const submit = doc.paths['/v1/training-jobs']!.post!;
    const body = submit.requestBody!.content['application/json']!.schema;
    const training = body.properties!.training!;
    for (const field of ['epochs', 'batchSize', 'seed', 'augment', 'replicas']) {
      assert.ok(!(training.required ?? []).includes(field), `training.${field}`);
    }
    const answered = submit.responses['202']!.content!['application/json']!.schema.properties!.spec!;
    assert.ok(answered.properties!.training!.required!.includes('seed'), 'the job shows the applied default');
  });
});

describe('toOpenApi30', () => {
  it('turns tuples into bounded arrays, numeric exclusive bounds into 3.0 flags, literal unions into enums', () => {
    const schema = {
      type: 'object',
      properties: {
        size: { type: 'array', items: [{ type: 'integer' }, { type: 'integer' }], additionalItems: false },
        pair: { type: 'array', items: [{ type: 'integer' }, { type: 'string' }], additionalItems: false },
        rate: { type: 'number', exclusiveMinimum: 0, exclusiveMaximum: 1 },
        kind: {
          anyOf: [
            { type: 'string', enum: ['a'] },
            { type: 'string', enum: ['b'] },
          ],
          description: 'k',
        },
      },
    };
    assert.deepEqual(toOpenApi30(schema), {
      type: 'object',
      properties: {
        size: { type: 'array', items: { type: 'integer' }, minItems: 2, maxItems: 2 },
        pair: {
          type: 'array',
          items: { anyOf: [{ type: 'integer' }, { type: 'string' }] },
          minItems: 2,
          maxItems: 2,
        },
        rate: { type: 'number', minimum: 0, exclusiveMinimum: true, maximum: 1, exclusiveMaximum: true },
        kind: { type: 'string', enum: ['a', 'b'], description: 'k' },
      },
    });
  });
});
