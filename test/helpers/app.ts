/**
 * Builds the API for a test: a configuration of its own (the test's private Redis when given, DATA_DIR
 * and ARTIFACT_DIR in a temporary directory, a queue name no other test uses), silent unless a logger is
 * given. Drive it with `app.inject` and close it in `after`.
 */
import { join } from 'node:path';
import { buildApp, type App, type BuildAppOptions } from '../../src/api/app.js';
import { loadConfig } from '../../src/config.js';
import { tempDir, uniqueQueueName } from './training.js';

/** Options of {@link buildTestApp}. */
export interface TestAppOptions {
  /** URL of the test's private Redis (`startRedis()`); without it the app has no job queue (503s). */
  redisUrl?: string;
  /**
   * Directory that holds `data/` (DATA_DIR) and `artifacts/` (ARTIFACT_DIR), for a test that prepares
   * them or shares them between apps. Default: a fresh temporary directory, removed when the app closes.
   */
  dir?: string;
  /** More settings, by environment variable; they win over the ones above. */
  env?: Record<string, string>;
  /** Part of the queue name, to tell the test's queues apart in Redis (default `api`). */
  label?: string;
  /** The app's logger (default: none). */
  logger?: BuildAppOptions['logger'];
}

/**
 * Builds the app (not yet listening; `app.inject` readies it). Its directories are `app.config.DATA_DIR`
 * and `app.config.ARTIFACT_DIR`.
 *
 * @param options - Redis, directory, extra settings and logger.
 */
export async function buildTestApp(options: TestAppOptions = {}): Promise<App> {
  const label = options.label ?? 'api';
  const owned = options.dir === undefined ? await tempDir(label) : undefined;
  const dir = options.dir ?? owned!.path;
  try {
    const app = await buildApp({
      config: loadConfig({
        ...(options.redisUrl === undefined ? {} : { REDIS_URL: options.redisUrl }),
        QUEUE_NAME: uniqueQueueName(label),
        DATA_DIR: join(dir, 'data'),
        ARTIFACT_DIR: join(dir, 'artifacts'),
        ...options.env,
      }),
      logger: options.logger ?? false,
    });
    if (owned !== undefined) app.addHook('onClose', owned.remove);
    return app;
  } catch (err) {
    await owned?.remove();
    throw err;
  }
}
