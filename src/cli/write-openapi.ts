/**
 * Writes openapi.yaml: the OpenAPI document the app serves at `/docs/json`, generated from the routes'
 * TypeBox schemas.
 *
 * Usage: `npm run openapi` writes it; `npm run openapi -- --check` exits 1 when the committed file is stale.
 * A test keeps the committed file equal to what the app serves.
 *
 * @packageDocumentation
 */
import { readFile, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { buildApp } from '../api/app.js';
import { loadConfig } from '../config.js';

/** Path of the committed document. */
export const OPENAPI_PATH = fileURLToPath(new URL('../../openapi.yaml', import.meta.url));

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

/** Runs the command; returns the exit status. */
async function run(args: readonly string[]): Promise<number> {
  const fresh = await renderOpenApiYaml();
  if (args.includes('--check')) {
    const current = await readFile(OPENAPI_PATH, 'utf8').catch(() => '');
    if (current === fresh) return 0;
    process.stderr.write(`${OPENAPI_PATH} is stale; run: npm run openapi\n`);
    return 1;
  }
  await writeFile(OPENAPI_PATH, fresh);
  process.stdout.write(`wrote ${OPENAPI_PATH}\n`);
  return 0;
}

if (process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1]) {
  process.exitCode = await run(process.argv.slice(2));
}
