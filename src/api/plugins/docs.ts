/**
 * The OpenAPI document, generated from the routes' TypeBox schemas (@fastify/swagger), and Swagger UI at
 * `/docs` (`/docs/json`, `/docs/yaml`). `npm run openapi` writes the same document to openapi.yaml.
 *
 * @packageDocumentation
 */
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { FastifyInstance } from 'fastify';
import packageJson from '../../../package.json' with { type: 'json' };

/**
 * Version in the document: the package's. Why: one number for a release of the service and its contract,
 * so a client generated from openapi.yaml says which service it was generated from (the paths carry the
 * API's major version, `/v1`).
 */
export const API_VERSION: string = packageJson.version;

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
 *   client generators turn into a proper enum type;
 * - a schema's `examples` list (JSON Schema) becomes its first `example` (3.0 has no `examples` in a
 *   schema; a media type's `examples` is a map, not a list, and stays).
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
  if (Array.isArray(node.examples)) {
    if (node.examples.length > 0) node.example ??= node.examples[0];
    delete node.examples;
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

/** One parameter of an operation, as @fastify/swagger writes it. */
interface ParameterObject {
  in?: string;
  required?: boolean;
  schema?: { default?: unknown };
}

/** The operations (`get`, `post`, ...) of a document's `paths`. */
function operationsOf(paths: Json): Record<string, Json>[] {
  if (!isObject(paths)) return [];
  return Object.values(paths)
    .filter(isObject)
    .flatMap((item) => Object.values(item).filter(isObject));
}

/**
 * A copy of a request body schema in which no property that has a default is required, at any depth.
 * Why a copy: the document shares schema objects between requests and answers (the job view holds the
 * spec), and in an answer every defaulted field is present, so it stays required there.
 */
export function optionalDefaultedProperties(schema: Json): Json {
  if (Array.isArray(schema)) return schema.map(optionalDefaultedProperties);
  if (!isObject(schema)) return schema;
  const copy = Object.fromEntries(
    Object.entries(schema).map(([key, value]) => [key, optionalDefaultedProperties(value)]),
  );
  const properties = copy.properties;
  if (Array.isArray(copy.required) && isObject(properties)) {
    const hasDefault = (name: Json) => {
      const property = properties[String(name)];
      return isObject(property) && 'default' in property;
    };
    const required = copy.required.filter((name) => !hasDefault(name));
    if (required.length > 0) copy.required = required;
    else delete copy.required;
  }
  return copy;
}

/**
 * Makes what has a default optional for clients, in place: every query parameter with a default is not
 * required, and no request body field with a default is. Why: the route schemas require them so that
 * handlers always see a value (the validator fills the default in), but a client may leave them out, and a
 * client generated from the document must not demand them.
 *
 * @param paths - The document's `paths`.
 */
export function optionalDefaults(paths: Json): void {
  for (const operation of operationsOf(paths)) {
    const parameters = Array.isArray(operation.parameters) ? (operation.parameters as ParameterObject[]) : [];
    for (const parameter of parameters) {
      if (parameter.in === 'query' && parameter.schema?.default !== undefined) parameter.required = false;
    }
    const content = isObject(operation.requestBody) ? operation.requestBody.content : undefined;
    for (const media of isObject(content) ? Object.values(content) : []) {
      if (isObject(media) && media.schema !== undefined)
        media.schema = optionalDefaultedProperties(media.schema);
    }
  }
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
        { name: 'models', description: 'Trained models: list, read, delete, predict.' },
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
      optionalDefaults((doc as { paths?: Json }).paths);
      return toOpenApi30(doc) as typeof doc;
    },
  });
  await app.register(swaggerUi, { routePrefix: DOCS_PREFIX });
}
