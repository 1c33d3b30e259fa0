/**
 * Entry point of the service.
 *
 * - `npm start` (`tsx src/main.ts`): the whole service on one machine: the HTTP API, one training worker
 *   process, and, when `REDIS_URL` is unset, a local redis-server (AOF on, `noeviction`, data under
 *   `ARTIFACT_DIR/redis`). Ctrl-C (SIGINT) or SIGTERM stops all of it cleanly: the API stops taking
 *   requests, the worker checkpoints its job and puts it back in the queue, then Redis shuts down.
 * - `npm run start:api` (`tsx src/main.ts api`): the API only, against `REDIS_URL` (for deployments that run
 *   workers elsewhere; `npm run start:worker` runs one).
 *
 * The configuration is loaded first: when it is invalid, the problems are printed to stderr (no stack
 * trace) and the process exits with status 1 before anything else starts.
 *
 * @packageDocumentation
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { extname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { App } from './api/app.js';
import { SHUTDOWN_TIMEOUT_MS, startServer } from './api/server.js';
import { loadConfig, redactConfig, type Config } from './config.js';
import { ConfigError } from './errors.js';
import { createLogger, setLogLevel } from './logger.js';
import { LocalRedisServer, RedisServerMissingError } from './queue/local-redis-server.js';
import { selectBackend } from './tf/index.js';
import { isEntryPoint } from './entry-point.js';

/** Prefix of the lines this entry point writes to stderr. Why: tells them apart from other tools' output in CI logs. */
const STDERR_PREFIX = 'scene-mtl:';

/** Delay before forcing the exit after a failed start-up. Why 1 s: long enough to flush output, short for scripts. */
const FORCED_EXIT_DELAY_MS = 1_000;

/**
 * Longest wait for the worker to checkpoint and exit after SIGTERM. Why 60 s: one training step of a large
 * model on a CPU takes seconds; beyond a minute something is stuck, and the job is resumed as stalled anyway.
 */
const WORKER_STOP_TIMEOUT_MS = 60_000;

/** Wait before restarting a worker that died. Why 2 s: no busy loop when it dies at start (e.g. bad backend). */
const WORKER_RESTART_DELAY_MS = 2_000;

/** The worker entry, beside this tree with the same extension (`.ts` under tsx, `.js` once built). */
const WORKER_ENTRY = fileURLToPath(
  new URL(`../workers/training-worker${extname(fileURLToPath(import.meta.url))}`, import.meta.url),
);

/** What to run: everything (`npm start`) or the API only (`npm run start:api`). */
export type ServiceMode = 'all' | 'api';

/** The running service, as returned by {@link startService}. */
export interface RunningService {
  /** The HTTP API, listening. */
  app: App;
  /** Stops everything the service started (the same as what SIGINT/SIGTERM trigger). */
  close(): Promise<void>;
}

/** Spawns the worker process and restarts it if it dies; `stop()` ends it with SIGTERM (SIGKILL after the timeout). */
function superviseWorker(env: NodeJS.ProcessEnv): { stop(force?: boolean): Promise<void> } {
  const log = createLogger('main');
  let child: ChildProcess | undefined;
  let stopping = false;
  const launch = (): void => {
    // Why the parent's execArgv: under tsx it carries the TypeScript loader the worker needs too.
    const proc = spawn(process.execPath, [...process.execArgv, WORKER_ENTRY], { env, stdio: 'inherit' });
    child = proc;
    proc.once('exit', (code, signal) => {
      if (stopping) return;
      log.error(
        { code, signal },
        `training worker exited unexpectedly; restarting in ${WORKER_RESTART_DELAY_MS} ms`,
      );
      setTimeout(() => {
        if (!stopping) launch();
      }, WORKER_RESTART_DELAY_MS);
    });
  };
  launch();
  return {
    async stop(force = false) {
      stopping = true;
      const proc = child;
      if (proc === undefined || proc.exitCode !== null || proc.signalCode !== null) return;
      const exited = new Promise<void>((resolve) => proc.once('exit', () => resolve()));
      proc.kill(force ? 'SIGKILL' : 'SIGTERM');
      const timer = setTimeout(() => proc.kill('SIGKILL'), WORKER_STOP_TIMEOUT_MS);
      await exited;
      clearTimeout(timer);
    },
  };
}

/**
 * Starts the service for a validated configuration: sets the log level, logs the (redacted)
 * configuration, starts a local Redis if needed (mode `all`), chooses the compute backend (`TF_BACKEND`),
 * starts the HTTP API on `HOST:PORT` and (mode `all`) one worker process. Installs SIGINT/SIGTERM handlers
 * that call {@link RunningService.close}; a second signal exits at once with status 1.
 *
 * @param config - The validated configuration.
 * @param mode - What to run.
 * @returns The running service.
 * @throws {@link RedisServerMissingError} when mode is `all`, `REDIS_URL` is unset and redis-server is missing.
 */
export async function startService(config: Config, mode: ServiceMode = 'all'): Promise<RunningService> {
  setLogLevel(config.LOG_LEVEL);
  const log = createLogger('main');
  log.info({ config: redactConfig(config), mode }, 'starting scene-mtl');

  let redis: LocalRedisServer | undefined;
  let effective = config;
  if (mode === 'all' && config.REDIS_URL === undefined) {
    redis = await LocalRedisServer.start(join(config.ARTIFACT_DIR, 'redis'));
    effective = { ...config, REDIS_URL: redis.url };
    log.info({ url: redis.url, dir: redis.dir }, 'local redis-server started (AOF on, noeviction)');
  }
  let app: App;
  try {
    const backend = await selectBackend(config.TF_BACKEND);
    log.info({ backend }, `compute backend: ${backend.name} (${backend.reason})`);
    app = await startServer(effective, { handleSignals: false });
  } catch (err) {
    await redis?.stop();
    throw err;
  }
  const worker =
    mode === 'all' ? superviseWorker({ ...process.env, REDIS_URL: effective.REDIS_URL }) : undefined;

  let closing: Promise<void> | undefined;
  const close = (): Promise<void> => {
    closing ??= (async () => {
      const apiClosed = app.close().catch((err: unknown) => log.error({ err }, 'API close failed'));
      await worker?.stop();
      await apiClosed;
      await redis?.stop();
      for (const signal of ['SIGINT', 'SIGTERM'] as const) process.off(signal, onSignal);
      log.info('shut down');
    })();
    return closing;
  };
  const onSignal = (signal: NodeJS.Signals): void => {
    if (closing !== undefined) {
      log.warn({ signal }, 'second signal during shutdown, exiting now');
      void worker?.stop(true);
      void redis?.stop();
      process.exit(1);
    }
    log.info({ signal }, 'shutting down');
    // Why a timer only for the API part: the worker has its own budget to checkpoint.
    const timer = setTimeout(
      () => {
        log.error('shutdown timed out, exiting');
        process.exit(1);
      },
      SHUTDOWN_TIMEOUT_MS + (worker ? WORKER_STOP_TIMEOUT_MS : 0),
    );
    timer.unref();
    close().then(
      () => clearTimeout(timer),
      (err: unknown) => {
        log.error({ err }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, onSignal);
  return { app, close };
}

/**
 * Runs the service from the environment.
 *
 * @param env - The environment to read the configuration from.
 * @param args - Command-line arguments: `api` runs the API only.
 * @returns The exit status to use if start-up failed (1), or undefined when the service is running.
 */
export async function main(
  env: NodeJS.ProcessEnv = process.env,
  args: readonly string[] = process.argv.slice(2),
): Promise<number | undefined> {
  const mode: ServiceMode = args[0] === 'api' ? 'api' : 'all';
  let config: Config;
  try {
    config = loadConfig(env);
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    process.stderr.write(`${STDERR_PREFIX} ${err.message}\n`);
    return 1;
  }
  if (mode === 'api' && config.REDIS_URL === undefined) {
    process.stderr.write(
      `${STDERR_PREFIX} REDIS_URL is not set. \`npm run start:api\` serves a shared queue: set REDIS_URL=redis://host:6379 (or use \`npm start\`, which runs a local Redis and a worker).\n`,
    );
    return 1;
  }
  try {
    await startService(config, mode);
    return undefined;
  } catch (err) {
    if (err instanceof RedisServerMissingError) {
      process.stderr.write(`${STDERR_PREFIX} ${err.message}\n`);
      return 1;
    }
    createLogger('main').fatal({ err }, 'start-up failed');
    process.stderr.write(
      `${STDERR_PREFIX} start-up failed: ${err instanceof Error ? err.message : String(err)}\n`,
    );
    return 1;
  }
}

if (isEntryPoint(import.meta.url)) {
  const status = await main();
  if (status !== undefined) {
    process.exitCode = status;
    // Why: stderr is flushed by a natural exit; the timer only ends a process that something half-started keeps alive.
    setTimeout(() => process.exit(status), FORCED_EXIT_DELAY_MS).unref();
  }
}
