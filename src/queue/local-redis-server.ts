/**
 * A local redis-server for `npm start` when `REDIS_URL` is unset: persistent (AOF), `noeviction`, bound
 * to the loopback address, with its data under `ARTIFACT_DIR/redis`, so that queued jobs survive a restart.
 *
 * @packageDocumentation
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdir, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { findOnPath, freePort, LOCAL_HOST, pingRedis } from './redis-probe.js';

/** Loopback only: the local Redis has no password and must not be reachable from elsewhere. */
const HOST = LOCAL_HOST;

/** Longest wait for the server to answer PING. Why 15 s: replaying a large AOF on start takes a while. */
const READY_TIMEOUT_MS = 15_000;

/** Longest wait for a clean shutdown (AOF flushed) before SIGKILL. */
const STOP_TIMEOUT_MS = 10_000;

/** The install instructions printed when redis-server is missing. */
export const REDIS_INSTALL_HINT = [
  'redis-server was not found on PATH. `npm start` runs a local Redis for the job queue when REDIS_URL is unset.',
  'Install it:',
  '  Debian/Ubuntu:  sudo apt-get install -y redis-server',
  '  Fedora/RHEL:    sudo dnf install -y redis',
  '  macOS:          brew install redis',
  'or use an existing Redis (6.2+, maxmemory-policy noeviction): REDIS_URL=redis://host:6379 npm start',
].join('\n');

/** Thrown when redis-server is not installed; its message says how to install it. */
export class RedisServerMissingError extends Error {
  constructor() {
    super(REDIS_INSTALL_HINT);
    this.name = 'RedisServerMissingError';
  }
}

/** Whether process `pid` runs and is a redis-server (Linux: by its command line; elsewhere: alive). */
function isRedisProcess(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('redis-server');
  } catch {
    return true;
  }
}

/** A redis-server started by {@link LocalRedisServer.start}. */
export class LocalRedisServer {
  private stopping: Promise<void> | undefined;

  private constructor(
    /** `redis://127.0.0.1:{port}`. */
    readonly url: string,
    /** The data directory. */
    readonly dir: string,
    private readonly child: ChildProcess,
    private readonly exited: Promise<void>,
  ) {}

  /**
   * Starts redis-server with its data in `dir` (AOF on, `noeviction`, loopback, a free port) and waits
   * until it answers.
   *
   * @throws {@link RedisServerMissingError} when redis-server is not installed; Error when another
   *   redis-server uses `dir` or it does not start (with the end of its log).
   */
  static async start(dir: string): Promise<LocalRedisServer> {
    const binary = findOnPath('redis-server');
    if (binary === undefined) throw new RedisServerMissingError();
    await mkdir(dir, { recursive: true });
    const pidFile = join(dir, 'redis.pid');
    const stalePid = Number.parseInt(await readFile(pidFile, 'utf8').catch(() => ''), 10);
    if (Number.isInteger(stalePid) && stalePid > 0 && isRedisProcess(stalePid)) {
      throw new Error(
        `another redis-server (pid ${stalePid}) uses ${dir}: is another \`npm start\` running? Stop it, or end that process (kill ${stalePid}).`,
      );
    }
    const port = await freePort();
    const logFile = join(dir, 'redis.log');
    const args = [
      '--port',
      String(port),
      '--bind',
      HOST,
      '--dir',
      dir,
      '--appendonly',
      'yes',
      '--appendfsync',
      'everysec',
      '--save',
      '',
      '--maxmemory-policy',
      'noeviction',
      '--pidfile',
      pidFile,
      '--logfile',
      logFile,
      '--daemonize',
      'no',
    ];
    // Why detached: Ctrl-C reaches the whole foreground process group; Redis must outlive the worker's
    // last writes (moving its job back to the queue) and is stopped last, by us.
    const child = spawn(binary, args, { cwd: dir, detached: true, stdio: 'ignore' });
    let exitedEarly = false;
    const exited = new Promise<void>((resolve) => {
      child.once('exit', () => {
        exitedEarly = true;
        resolve();
      });
      child.once('error', () => {
        exitedEarly = true;
        resolve();
      });
    });
    const server = new LocalRedisServer(`redis://${HOST}:${port}`, dir, child, exited);
    // Why: a crash of this process must not leave the server running.
    process.once('exit', () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    });
    const deadline = Date.now() + READY_TIMEOUT_MS;
    while (!(await pingRedis(port))) {
      if (exitedEarly || Date.now() > deadline) {
        await server.stop();
        const log = await readFile(logFile, 'utf8').catch(() => '');
        throw new Error(
          `local redis-server did not start on port ${port}:\n${log.split('\n').slice(-15).join('\n')}`,
        );
      }
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    return server;
  }

  /** Shuts the server down (SIGTERM: Redis flushes its AOF), escalating to SIGKILL after 10 s. */
  stop(): Promise<void> {
    this.stopping ??= (async () => {
      if (this.child.exitCode === null && this.child.signalCode === null) {
        this.child.kill('SIGTERM');
        const timer = setTimeout(() => this.child.kill('SIGKILL'), STOP_TIMEOUT_MS);
        await this.exited;
        clearTimeout(timer);
      }
      await rm(join(this.dir, 'redis.pid'), { force: true });
    })();
    return this.stopping;
  }
}
