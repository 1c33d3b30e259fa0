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
 * trace) and the process exits with status 1 before anything else starts. Start-up and shutdown follow
 * src/lifecycle.ts, as the worker's do.
 *
 * @packageDocumentation
 */
import { spawn, type ChildProcess } from 'node:child_process';
import type { AddressInfo } from 'node:net';
import { extname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { App } from './api/app.js';
import { startServer } from './api/server.js';
import { serviceUrls, startupMessage } from './api/service-urls.js';
import { redactConfig, type Config } from './config.js';
import {
  API_GRACE_PERIOD_MS,
  closeOnShutdownSignals,
  exitWithMessage,
  loadConfigOrExit,
  WORKER_GRACE_PERIOD_MS,
} from './lifecycle.js';
import { createLogger, setLogLevel } from './logger.js';
import { LocalRedisServer, RedisServerMissingError } from './queue/local-redis-server.js';
import { selectBackend } from './tf/index.js';
import { isEntryPoint } from './entry-point.js';

/** Prefix of the lines this entry point writes to stderr. Why: tells them apart from other tools' output in CI logs. */
const STDERR_PREFIX = 'scene-mtl:';

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

/**
 * Spawns the worker process and restarts it if it dies; `stop()` ends it with SIGTERM (SIGKILL after
 * {@link WORKER_GRACE_PERIOD_MS}).
 */
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
      const timer = setTimeout(() => proc.kill('SIGKILL'), WORKER_GRACE_PERIOD_MS);
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
    app = await startServer(effective);
  } catch (err) {
    await redis?.stop();
    throw err;
  }
  const worker =
    mode === 'all' ? superviseWorker({ ...process.env, REDIS_URL: effective.REDIS_URL }) : undefined;
  const urls = serviceUrls(config.HOST, (app.server.address() as AddressInfo).port);
  log.info({ urls, mode }, startupMessage(urls));

  let closing: Promise<void> | undefined;
  const close = (): Promise<void> => {
    closing ??= (async () => {
      const apiClosed = app.close().catch((err: unknown) => log.error({ err }, 'API close failed'));
      await worker?.stop();
      await apiClosed;
      await redis?.stop();
      removeSignalHandlers();
      log.info('shut down');
    })();
    return closing;
  };
  const removeSignalHandlers = closeOnShutdownSignals({
    log,
    close,
    // Why the sum: the API's budget, plus the worker's own to checkpoint (it stops while the API closes).
    timeoutMs: API_GRACE_PERIOD_MS + (worker ? WORKER_GRACE_PERIOD_MS : 0),
    onForcedExit: () => {
      void worker?.stop(true);
      void redis?.stop();
    },
  });
  return { app, close };
}

/**
 * Runs the service from the environment. When the configuration is invalid or start-up fails, it says why
 * on stderr and exits the process with status 1.
 *
 * @param env - The environment to read the configuration from.
 * @param args - Command-line arguments: `api` runs the API only.
 * @returns The running service.
 */
export async function main(
  env: NodeJS.ProcessEnv = process.env,
  args: readonly string[] = process.argv.slice(2),
): Promise<RunningService> {
  const mode: ServiceMode = args[0] === 'api' ? 'api' : 'all';
  const config = loadConfigOrExit(env, STDERR_PREFIX);
  if (mode === 'api' && config.REDIS_URL === undefined) {
    exitWithMessage(
      STDERR_PREFIX,
      'REDIS_URL is not set. `npm run start:api` serves a shared queue: set REDIS_URL=redis://host:6379 (or use `npm start`, which runs a local Redis and a worker).',
    );
  }
  try {
    return await startService(config, mode);
  } catch (err) {
    if (err instanceof RedisServerMissingError) exitWithMessage(STDERR_PREFIX, err.message);
    createLogger('main').fatal({ err }, 'start-up failed');
    return exitWithMessage(
      STDERR_PREFIX,
      `start-up failed: ${err instanceof Error ? err.message : String(err)}`,
    );
  }
}

if (isEntryPoint(import.meta.url)) await main();
