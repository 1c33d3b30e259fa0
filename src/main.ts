/**
 * Entry point of the service (`npm start` runs `tsx src/main.ts`).
 *
 * Loads the configuration first: when it is invalid, prints the problems to stderr (no stack trace) and
 * exits with status 1 before anything else starts. Otherwise starts the service with {@link startService}.
 *
 * @packageDocumentation
 */
import { realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { App } from './api/app.js';
import { startServer } from './api/server.js';
import { loadConfig, redactConfig, type Config } from './config.js';
import { ConfigError } from './errors.js';
import { createLogger, setLogLevel } from './logger.js';
import { selectBackend } from './tf/index.js';

/** Prefix of the lines this entry point writes to stderr. Why: tells them apart from other tools' output in CI logs. */
const STDERR_PREFIX = 'scene-mtl:';

/** Delay before forcing the exit after a failed start-up. Why 1 s: long enough to flush output, short for scripts. */
const FORCED_EXIT_DELAY_MS = 1_000;

/** The running service, as returned by {@link startService}. */
export interface RunningService {
  /** The HTTP API, listening. */
  app: App;
  /** Stops everything the service started (the same as what SIGINT/SIGTERM trigger). */
  close(): Promise<void>;
}

/**
 * Starts every part of the service for a validated configuration: sets the log level, logs the (redacted)
 * configuration, chooses the compute backend (`TF_BACKEND`) and logs what it chose and why, then starts the HTTP API on `HOST:PORT`, which closes gracefully on SIGINT/SIGTERM.
 *
 * @param config - The validated configuration.
 * @returns The running service.
 */
export async function startService(config: Config): Promise<RunningService> {
  setLogLevel(config.LOG_LEVEL);
  const log = createLogger('main');
  log.info({ config: redactConfig(config) }, 'starting scene-mtl');
  const backend = await selectBackend(config.TF_BACKEND);
  log.info({ backend }, `compute backend: ${backend.name} (${backend.reason})`);
  const app = await startServer(config);
  return { app, close: () => app.close() };
}

/**
 * Runs the service from the environment.
 *
 * @param env - The environment to read the configuration from.
 * @returns The exit status to use if start-up failed (1), or undefined when the service is running.
 */
export async function main(env: NodeJS.ProcessEnv = process.env): Promise<number | undefined> {
  let config: Config;
  try {
    config = loadConfig(env);
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    process.stderr.write(`${STDERR_PREFIX} ${err.message}\n`);
    return 1;
  }
  try {
    await startService(config);
    return undefined;
  } catch (err) {
    createLogger('main').fatal({ err }, 'start-up failed');
    process.stderr.write(
      `${STDERR_PREFIX} start-up failed: ${err instanceof Error ? err.message : String(err)}\n`,
    );
    return 1;
  }
}

/** Whether this module is the program being run (rather than imported, e.g. by a test). */
function isEntryPoint(): boolean {
  const script = process.argv[1];
  if (script === undefined) return false;
  try {
    return realpathSync(script) === realpathSync(fileURLToPath(import.meta.url));
  } catch {
    return false;
  }
}

if (isEntryPoint()) {
  const status = await main();
  if (status !== undefined) {
    process.exitCode = status;
    // Why: stderr is flushed by a natural exit; the timer only ends a process that something half-started keeps alive.
    setTimeout(() => process.exit(status), FORCED_EXIT_DELAY_MS).unref();
  }
}
