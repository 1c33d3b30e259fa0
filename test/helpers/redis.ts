/**
 * A private, throw-away `redis-server` for integration tests.
 *
 * Every test that needs Redis starts its own server on a port the OS hands out, with persistence off and a
 * fresh data directory, so tests never touch a developer's Redis on 6379, never see each other's keys and
 * leave nothing behind. Children are killed when the test process exits, even if a test forgot `stop()`.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { rmSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findOnPath, freePort, LOCAL_HOST, pingRedis } from '../../src/queue/redis-probe.js';

/** A running private Redis server. */
export interface RedisServer {
  /** Connection URL, e.g. `redis://127.0.0.1:41234`; pass it to ioredis or BullMQ. */
  readonly url: string;
  /** Host the server is bound to (always the loopback address). */
  readonly host: string;
  /** TCP port the server listens on; never 6379. */
  readonly port: number;
  /** The server's private working directory, removed by {@link RedisServer.stop}. */
  readonly dir: string;
  /**
   * Shuts the server down (SIGTERM, which Redis handles as a shutdown; with `--save ""` nothing is
   * written), waits for the process to exit, escalating to SIGKILL if it does not, and removes its
   * directory. Safe to call more than once.
   */
  stop(): Promise<void>;
  /**
   * Shuts the server down (with `appendOnly`, it flushes its AOF first, as a managed Redis does on a
   * restart), waits `downMs`, and starts it again on the same port and directory: clients see an outage
   * and reconnect. Resolves once it answers PING again.
   */
  restart(downMs: number): Promise<void>;
}

/** Options of {@link startRedis}. */
export interface RedisOptions {
  /** Keep an append-only file (`--appendonly yes`), so a {@link RedisServer.restart} loses nothing. */
  appendOnly?: boolean;
}

/** Why loopback: tests must never expose a password-less Redis to the network. */
const HOST = LOCAL_HOST;

/** Why: a free port can be taken by someone else between probing it and Redis binding it; retry that race. */
const MAX_START_ATTEMPTS = 5;

/** Why 10 s: Redis starts in milliseconds; a slow CI box under load still fits, a hang still fails fast. */
const READY_TIMEOUT_MS = 10_000;

/** Why 25 ms: short enough that tests don't wait noticeably, long enough not to spin the CPU. */
const PING_INTERVAL_MS = 25;

/** Why 5 s: SIGTERM shutdown of an empty non-persistent Redis is instant; beyond this it is stuck. */
const STOP_TIMEOUT_MS = 5_000;

/** Why: keep enough of Redis' own log to explain a failed start, without buffering unbounded output. */
const MAX_LOG_CHARS = 8_192;

/** Children still running, killed synchronously if the test process exits without stopping them. */
const liveChildren = new Map<ChildProcess, string>();
let exitHooksInstalled = false;

function killAllChildrenSync(): void {
  for (const [child, dir] of liveChildren) {
    try {
      child.kill('SIGKILL');
    } catch {
      // Already gone.
    }
    try {
      rmSync(dir, { recursive: true, force: true });
    } catch {
      // Best effort: the process is exiting.
    }
  }
  liveChildren.clear();
}

/**
 * Makes sure no redis-server outlives the test process: on normal exit, and on SIGINT/SIGTERM/SIGHUP
 * (for which Node would otherwise exit without running 'exit' listeners). Signal handlers re-raise the
 * signal after cleanup so the process still dies with the expected status.
 */
function installExitHooks(): void {
  if (exitHooksInstalled) return;
  exitHooksInstalled = true;
  process.on('exit', killAllChildrenSync);
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    const onSignal = (): void => {
      killAllChildrenSync();
      // Only take over the default behaviour if nobody else handles this signal.
      if (process.listenerCount(signal) === 1) {
        process.removeListener(signal, onSignal);
        process.kill(process.pid, signal);
      }
    };
    process.on(signal, onSignal);
  }
}

/**
 * Resolves the redis-server binary: `REDIS_SERVER_BIN` if set, else `redis-server` on PATH.
 *
 * @throws Error saying how to install redis-server when it cannot be found.
 */
function redisServerBinary(): string {
  const fromEnv = process.env.REDIS_SERVER_BIN;
  if (fromEnv !== undefined && fromEnv !== '') return fromEnv;
  const found = findOnPath('redis-server');
  if (found === undefined) {
    throw new Error(
      'redis-server was not found on PATH. Integration tests start a private Redis; install it ' +
        '(Debian/Ubuntu: `sudo apt-get install -y redis-server`, macOS: `brew install redis`) ' +
        'or set REDIS_SERVER_BIN to its path.',
    );
  }
  return found;
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Outcome of one start attempt. */
type Attempt = { ok: true; server: RedisServer } | { ok: false; portInUse: boolean; reason: string };

/** A started redis-server process, before it is wrapped as a {@link RedisServer}. */
interface RedisProcess {
  child: ChildProcess;
  exited: () => boolean;
  exitPromise: Promise<void>;
}

/** Starts redis-server on `port` in `dir`; resolves once it answers PING, or with why it did not. */
async function spawnRedis(
  binary: string,
  port: number,
  dir: string,
  options: RedisOptions,
): Promise<{ ok: true; process: RedisProcess } | { ok: false; portInUse: boolean; reason: string }> {
  const args = [
    '--port',
    String(port),
    '--bind',
    HOST,
    '--save',
    '',
    '--appendonly',
    options.appendOnly === true ? 'yes' : 'no',
    '--maxmemory-policy',
    'noeviction',
    '--dir',
    dir,
    '--daemonize',
    'no',
    '--logfile',
    '',
  ];
  const child = spawn(binary, args, { stdio: ['ignore', 'pipe', 'pipe'], cwd: dir });
  liveChildren.set(child, dir);

  let log = '';
  const append = (chunk: Buffer): void => {
    log = (log + chunk.toString('utf8')).slice(-MAX_LOG_CHARS);
  };
  child.stdout?.on('data', append);
  child.stderr?.on('data', append);

  let exited = false;
  let exitDescription = '';
  let spawnError: Error | undefined;
  const exitPromise = new Promise<void>((resolve) => {
    child.once('exit', (code, signal) => {
      exited = true;
      exitDescription = signal !== null ? `signal ${signal}` : `code ${String(code)}`;
      liveChildren.delete(child);
      resolve();
    });
    child.once('error', (err) => {
      spawnError = err;
      exited = true;
      liveChildren.delete(child);
      resolve();
    });
  });

  const fail = async (reason: string, portInUse: boolean) => {
    if (!exited) {
      child.kill('SIGKILL');
      await exitPromise;
    }
    return { ok: false as const, portInUse, reason };
  };

  const deadline = Date.now() + READY_TIMEOUT_MS;
  for (;;) {
    if (exited) {
      const portInUse = /address already in use/i.test(log);
      const why = spawnError ? spawnError.message : `exited with ${exitDescription}`;
      return fail(`redis-server on port ${port} ${why} before answering PING.\n${log}`, portInUse);
    }
    if (await pingRedis(port)) break;
    if (Date.now() > deadline) {
      return fail(
        `redis-server on port ${port} did not answer PING within ${READY_TIMEOUT_MS} ms.\n${log}`,
        false,
      );
    }
    await sleep(PING_INTERVAL_MS);
  }

  // A forgotten stop() must not keep the test process alive; the exit hook kills the child then.
  child.unref();
  (child.stdout as unknown as { unref?: () => void } | null)?.unref?.();
  (child.stderr as unknown as { unref?: () => void } | null)?.unref?.();
  return { ok: true, process: { child, exited: () => exited, exitPromise } };
}

/** Shuts a redis-server down (SIGTERM), escalating to SIGKILL after {@link STOP_TIMEOUT_MS}. */
async function shutDown(proc: RedisProcess): Promise<void> {
  if (proc.exited()) return;
  // Keep the event loop alive while we wait for the exit event.
  proc.child.ref();
  proc.child.kill('SIGTERM');
  const timer = setTimeout(() => proc.child.kill('SIGKILL'), STOP_TIMEOUT_MS);
  await proc.exitPromise;
  clearTimeout(timer);
}

async function attemptStart(binary: string, options: RedisOptions): Promise<Attempt> {
  const port = await freePort();
  const dir = await mkdtemp(join(tmpdir(), 'scene-mtl-redis-'));
  const started = await spawnRedis(binary, port, dir, options);
  if (!started.ok) {
    await rm(dir, { recursive: true, force: true });
    return started;
  }
  let current = started.process;

  let stopping: Promise<void> | undefined;
  const stop = (): Promise<void> => {
    stopping ??= (async () => {
      await shutDown(current);
      await rm(dir, { recursive: true, force: true });
    })();
    return stopping;
  };
  const restart = async (downMs: number): Promise<void> => {
    await shutDown(current);
    await sleep(downMs);
    const again = await spawnRedis(binary, port, dir, options);
    if (!again.ok) throw new Error(`could not restart redis-server: ${again.reason}`);
    current = again.process;
  };

  return { ok: true, server: { url: `redis://${HOST}:${port}`, host: HOST, port, dir, stop, restart } };
}

/**
 * Starts a private `redis-server` on a free loopback port (never 6379) with persistence off
 * (`--save "" --appendonly no`; `appendOnly` turns the AOF on), `--maxmemory-policy noeviction` (what BullMQ requires) and a fresh
 * temporary `--dir`, and resolves once it answers PING.
 *
 * @example
 * ```ts
 * const redis = await startRedis();
 * after(() => redis.stop());
 * const connection = new Redis(redis.url, { maxRetriesPerRequest: null });
 * ```
 * @throws Error if redis-server is not installed, or does not start after a few attempts (the message
 *   includes Redis' own log).
 */
export async function startRedis(options: RedisOptions = {}): Promise<RedisServer> {
  const binary = redisServerBinary();
  installExitHooks();
  let lastReason = '';
  for (let attempt = 1; attempt <= MAX_START_ATTEMPTS; attempt++) {
    const result = await attemptStart(binary, options);
    if (result.ok) return result.server;
    lastReason = result.reason;
    if (!result.portInUse) break;
  }
  throw new Error(`Could not start redis-server: ${lastReason}`);
}
