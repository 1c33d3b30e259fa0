/**
 * The operations of openapi.yaml, as the fuzz test walks them: method, path template, parameters and the
 * JSON body's field paths.
 */
import { readFile } from 'node:fs/promises';
import { parse } from 'yaml';
import { OPENAPI_PATH } from '../../../src/cli/write-openapi.js';

/** An OpenAPI 3.0 schema, as far as the fuzz reads it. */
export interface OpenApiSchema {
  type?: string;
  properties?: Record<string, OpenApiSchema>;
  items?: OpenApiSchema;
  anyOf?: OpenApiSchema[];
  oneOf?: OpenApiSchema[];
  enum?: unknown[];
}

/** One parameter of an operation. */
export interface OperationParameter {
  in: 'path' | 'query' | 'header';
  name: string;
  required: boolean;
  schema: OpenApiSchema;
}

/** One operation of the contract. */
export interface Operation {
  /** Upper case, e.g. `POST`. */
  method: string;
  /** The path template, e.g. `/v1/models/{id}/predict`. */
  path: string;
  /** `POST /v1/models/{id}/predict`. */
  key: string;
  parameters: OperationParameter[];
  /** Whether the operation declares a security requirement (an API key when API_KEYS is set). */
  secured: boolean;
  /** Media types of the request body, if it declares one. */
  bodyTypes: string[];
  /** The schema of its JSON body, if any. */
  jsonBody?: OpenApiSchema;
}

/** Methods of a path item that are operations. */
const METHODS = ['get', 'put', 'post', 'delete', 'patch', 'head', 'options'];

/** Reads every operation of openapi.yaml, in document order. */
export async function readOperations(): Promise<Operation[]> {
  const doc = parse(await readFile(OPENAPI_PATH, 'utf8')) as {
    paths: Record<string, Record<string, Record<string, unknown>>>;
  };
  const operations: Operation[] = [];
  for (const [path, item] of Object.entries(doc.paths)) {
    for (const [method, op] of Object.entries(item)) {
      if (!METHODS.includes(method)) continue;
      const content = (op.requestBody as { content?: Record<string, { schema?: OpenApiSchema }> })?.content;
      operations.push({
        method: method.toUpperCase(),
        path,
        key: `${method.toUpperCase()} ${path}`,
        parameters: ((op.parameters as OperationParameter[] | undefined) ?? []).map((p) => ({
          in: p.in,
          name: p.name,
          required: p.required === true,
          schema: p.schema ?? {},
        })),
        secured: Array.isArray(op.security) && op.security.length > 0,
        bodyTypes: Object.keys(content ?? {}),
        ...(content?.['application/json']?.schema ? { jsonBody: content['application/json'].schema } : {}),
      });
    }
  }
  return operations;
}

/**
 * Every field path of a JSON schema (`['dataset', 'scenes']`, `['tasks', 0]`), depth first: properties
 * of objects (of every branch of a union) and the first item of arrays.
 *
 * @param schema - An OpenAPI 3.0 schema.
 */
export function fieldPaths(schema: OpenApiSchema): (string | number)[][] {
  const out: (string | number)[][] = [];
  const walk = (node: OpenApiSchema, at: (string | number)[]): void => {
    for (const branch of [...(node.anyOf ?? []), ...(node.oneOf ?? [])]) walk(branch, at);
    for (const [name, child] of Object.entries(node.properties ?? {})) {
      const path = [...at, name];
      if (!out.some((p) => p.join('/') === path.join('/'))) out.push(path);
      walk(child, path);
    }
    if (node.items !== undefined) {
      const path = [...at, 0];
      if (!out.some((p) => p.join('/') === path.join('/'))) out.push(path);
      walk(node.items, path);
    }
  };
  walk(schema, []);
  return out;
}
