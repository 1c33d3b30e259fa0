/**
 * The OpenAPI document, generated from the routes' TypeBox schemas (@fastify/swagger), and Swagger UI at
 * `/docs` (`/docs/json`, `/docs/yaml`). `npm run openapi` writes the same document to openapi.yaml.
 *
 * @packageDocumentation
 */
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { FastifyInstance } from 'fastify';

/**
 * Version of the HTTP contract in the document. Why not the package version: the document should change
 * when the contract does, not with every release of the package.
 */
export const API_VERSION = '1.0.0';

/** Where Swagger UI is served. */
export const DOCS_PREFIX = '/docs';

type Json = unknown;

/** Whether `value` is a plain JSON object. */
function isObject(value: Json): value is Record<string, Json> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Rewrites JSON Schema that OpenAPI 3.0 does not accept into its 3.0 equivalent, in place, everywhere in
 * the document:
 * - tuples (`items: [a, b]`, `additionalItems`) become arrays with `minItems`/`maxItems` whose items
 *   match any member (one schema when all members are equal, as for `[height, width]`);
 * - numeric `exclusiveMinimum`/`exclusiveMaximum` (JSON Schema 6+) become `minimum`/`maximum` with the
 *   boolean flag of 3.0;
 * - unions of single-value enums of one type (TypeBox's literal unions) become one `enum`, which
 *   client generators turn into a proper enum type.
 *
 * @param node - A part of the document.
 * @returns The same node, rewritten.
 */
export function toOpenApi30(node: Json): Json {
  if (Array.isArray(node)) {
    for (let i = 0; i < node.length; i++) node[i] = toOpenApi30(node[i]);
    return node;
  }
  if (!isObject(node)) return node;
  for (const key of Object.keys(node)) node[key] = toOpenApi30(node[key]);

  if (Array.isArray(node.items)) {
    const members = node.items;
    const distinct = [...new Set(members.map((m) => JSON.stringify(m)))].map((s) => JSON.parse(s) as Json);
    node.items = distinct.length === 1 ? distinct[0] : { anyOf: distinct };
    node.minItems ??= members.length;
    node.maxItems ??= members.length;
    delete node.additionalItems;
  }
  for (const [bound, limit] of [
    ['exclusiveMinimum', 'minimum'],
    ['exclusiveMaximum', 'maximum'],
  ] as const) {
    if (typeof node[bound] === 'number') {
      node[limit] = node[bound];
      node[bound] = true;
    }
  }
  const anyOf = node.anyOf;
  if (Array.isArray(anyOf) && anyOf.length > 0) {
    const singles = anyOf.every(
      (m) =>
        isObject(m) &&
        Array.isArray(m.enum) &&
        m.enum.length === 1 &&
        Object.keys(m).every((k) => k === 'enum' || k === 'type') &&
        m.type === (anyOf[0] as Record<string, Json>).type,
    );
    if (singles) {
      const type = (anyOf[0] as Record<string, Json>).type;
      delete node.anyOf;
      if (type !== undefined) node.type = type;
      node.enum = anyOf.map((m) => ((m as Record<string, Json>).enum as Json[])[0]);
    }
  }
  return node;
}

/** Registers @fastify/swagger and Swagger UI. Call before any route, so that every route is documented. */
export async function registerDocs(app: FastifyInstance): Promise<void> {
  await app.register(swagger, {
    openapi: {
      openapi: '3.0.3',
      info: {
        title: 'scene-mtl',
        version: API_VERSION,
        description:
          'Trains and serves multi-task scene-understanding models (segmentation, instances, depth) whose task losses are weighted by learned uncertainty. Errors are `{ "error": { "code", "message", "details"? } }`.',
      },
      tags: [
        { name: 'training', description: 'Training jobs: submit, follow, cancel.' },
        { name: 'datasets', description: 'Datasets on disk: sizes, scenes, deleting generated ones.' },
        { name: 'health', description: 'Probes for orchestrators.' },
        { name: 'metrics', description: 'Prometheus metrics.' },
      ],
      components: {
        securitySchemes: {
          bearerAuth: {
            type: 'http',
            scheme: 'bearer',
            description: 'One of the API_KEYS; needed on /v1 routes when API_KEYS is set.',
          },
        },
      },
    },
    transformObject: (documentObject) => {
      const doc =
        'openapiObject' in documentObject ? documentObject.openapiObject : documentObject.swaggerObject;
      return toOpenApi30(doc) as typeof doc;
    },
  });
  await app.register(swaggerUi, { routePrefix: DOCS_PREFIX });
}
