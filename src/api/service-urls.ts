/**
 * The URLs people open once the service is up, for the start-up log line: the API, Swagger UI and (once it
 * exists) the dashboard.
 *
 * @packageDocumentation
 */
import { DOCS_PREFIX } from './plugins/docs.js';

/** Path of the dashboard (served by `src/api/plugins/dashboard.ts`), shown in the start-up line. */
export const DASHBOARD_PATH: string | undefined = '/';

/** The URLs of a listening service. */
export interface ServiceUrls {
  /** Base URL of the HTTP API. */
  api: string;
  /** Swagger UI. */
  docs: string;
  /** The dashboard, when the service has one. */
  dashboard?: string;
}

/** Bind-all addresses, which no browser can open: shown as `localhost`. */
const WILDCARD_HOSTS = new Set(['0.0.0.0', '::', '']);

/**
 * The URLs of a service listening on `host:port`.
 *
 * @param host - `HOST` (a bind-all address is shown as `localhost`; an IPv6 address in brackets).
 * @param port - The port it listens on.
 * @param dashboardPath - The dashboard's path, if any.
 */
export function serviceUrls(
  host: string,
  port: number,
  dashboardPath: string | undefined = DASHBOARD_PATH,
): ServiceUrls {
  const name = WILDCARD_HOSTS.has(host) ? 'localhost' : host.includes(':') ? `[${host}]` : host;
  const api = `http://${name}:${port}`;
  return {
    api,
    docs: `${api}${DOCS_PREFIX}`,
    ...(dashboardPath ? { dashboard: `${api}${dashboardPath}` } : {}),
  };
}

/** The start-up line: `scene-mtl is up: API http://localhost:3000, docs http://localhost:3000/docs`. */
export function startupMessage(urls: ServiceUrls): string {
  const parts = [`API ${urls.api}`, `docs ${urls.docs}`];
  if (urls.dashboard !== undefined) parts.push(`dashboard ${urls.dashboard}`);
  return `scene-mtl is up: ${parts.join(', ')}`;
}
