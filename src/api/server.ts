/**
 * Runs the application as an HTTP server: builds it and listens on `HOST:PORT`. Stopping it is the caller's
 * part: `src/main.ts` closes it on SIGINT/SIGTERM within `API_GRACE_PERIOD_MS` (src/lifecycle.ts).
 *
 * @packageDocumentation
 */
import type { Config } from '../config.js';
import { buildApp, type App } from './app.js';

/**
 * Builds the app and listens on `config.HOST:config.PORT`.
 *
 * @param config - The validated configuration.
 * @returns The listening app; `app.close()` stops accepting connections, finishes in-flight requests and
 *   runs its `onClose` hooks.
 */
export async function startServer(config: Config): Promise<App> {
  const app = await buildApp({ config });
  await app.listen({ host: config.HOST, port: config.PORT });
  return app;
}
