/**
 * The dashboard: the browser pages in `src/web/` (plain ES modules, no build step) served at `/`, and
 * uPlot's ES module and stylesheet from its npm package at `/vendor/uplot/`, so nothing is fetched from a
 * CDN. The pages hold no data: they call the API like any client, with the bearer key when API_KEYS is set.
 *
 * @packageDocumentation
 */
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance } from 'fastify';

/** The folder of the pages, `src/web/` (this file is `src/api/plugins/dashboard.ts`). */
export const DASHBOARD_ROOT = fileURLToPath(new URL('../../web/', import.meta.url));

/** uPlot's `dist/` folder, found the way Node resolves the package. */
function uplotDist(): string {
  return dirname(createRequire(import.meta.url).resolve('uplot'));
}

/**
 * Registers the pages. Why `no-cache`: the files are small and change with the service; a browser
 * revalidates (ETag) instead of running a stale page against a newer API.
 */
export async function registerDashboard(app: FastifyInstance): Promise<void> {
  await app.register(fastifyStatic, {
    root: DASHBOARD_ROOT,
    prefix: '/',
    index: ['index.html'],
    cacheControl: false,
    setHeaders: (reply) => reply.header('cache-control', 'no-cache'),
    schemaHide: true,
  });
  await app.register(fastifyStatic, {
    root: uplotDist(),
    prefix: '/vendor/uplot/',
    decorateReply: false,
    allowedPath: (path) => path === '/uPlot.esm.js' || path === '/uPlot.min.css',
    schemaHide: true,
  });
}
