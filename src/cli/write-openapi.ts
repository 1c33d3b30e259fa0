/**
 * Writes openapi.yaml: the OpenAPI document the app serves at `/docs/json`, generated from the routes'
 * TypeBox schemas; and from it, with openapi-typescript, the TypeScript types of a generated client
 * (`test/generated/api.d.ts`, which the generated-client test drives the service with through openapi-fetch).
 *
 * Usage: `npm run openapi` writes both; `npm run openapi -- --check` exits 1 when a committed file is stale.
 * Tests keep the committed files equal to what the app serves and what openapi-typescript generates.
 *
 * @packageDocumentation
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildApp } from '../api/app.js';
import { loadConfig } from '../config.js';

/** Path of the committed document. */
export const OPENAPI_PATH = fileURLToPath(new URL('../../openapi.yaml', import.meta.url));

/** Path of the committed client types generated from the document. */
export const CLIENT_TYPES_PATH = fileURLToPath(new URL('../../test/generated/api.d.ts', import.meta.url));

/** First lines of the file. Why: whoever opens it must know not to edit it by hand. */
const HEADER =
  "# The HTTP contract of scene-mtl, generated from the routes' schemas by `npm run openapi`; do not edit.\n" +
  '# A test fails when it differs from what the app serves at /docs/json.\n';

/** Renders the document as YAML, with the header. */
export async function renderOpenApiYaml(): Promise<string> {
  // Why an empty environment: the document must not depend on the machine (paths, keys, Redis).
  const app = await buildApp({ config: loadConfig({}), logger: false });
  try {
    await app.ready();
    return HEADER + app.swagger({ yaml: true });
  } finally {
    await app.close();
  }
}

/** First line of the client types. */
const CLIENT_TYPES_HEADER =
  '// Generated from openapi.yaml by `npm run openapi` (openapi-typescript; binary bodies as Blob); do not edit.\n';

/**
 * Renders the TypeScript types of a client of `yaml` (openapi-typescript's `paths`, `components`,
 * `operations`), with `format: binary` as `Blob` so that a generated client sends and receives files.
 * Why loaded on call: openapi-typescript and the compiler are development tools, never needed by the service.
 *
 * @param yaml - An OpenAPI document.
 */
export async function renderClientTypes(yaml: string): Promise<string> {
  const [{ default: openapiTS, astToString }, { default: ts }] = await Promise.all([
    import('openapi-typescript'),
    import('typescript'),
  ]);
  const blob = ts.factory.createTypeReferenceNode(ts.factory.createIdentifier('Blob'));
  const ast = await openapiTS(yaml, {
    transform: (schema) => (schema.format === 'binary' ? blob : undefined),
  });
  return CLIENT_TYPES_HEADER + astToString(ast);
}

/** Runs the command; returns the exit status. */
async function run(args: readonly string[]): Promise<number> {
  const yaml = await renderOpenApiYaml();
  const files: [string, string][] = [
    [OPENAPI_PATH, yaml],
    [CLIENT_TYPES_PATH, await renderClientTypes(yaml)],
  ];
  if (args.includes('--check')) {
    let status = 0;
    for (const [path, fresh] of files) {
      if ((await readFile(path, 'utf8').catch(() => '')) === fresh) continue;
      process.stderr.write(`${path} is stale; run: npm run openapi\n`);
      status = 1;
    }
    return status;
  }
  for (const [path, fresh] of files) {
    await mkdir(dirname(path), { recursive: true });
    await writeFile(path, fresh);
    process.stdout.write(`wrote ${path}\n`);
  }
  return 0;
}

if (process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1]) {
  process.exitCode = await run(process.argv.slice(2));
}
