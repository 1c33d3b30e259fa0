/**
 * How this project's processes start and stop, written once for the service (`src/main.ts`) and the
 * training worker (`workers/training-worker.ts`):
 *
 * - the configuration is loaded first; when it is invalid, its problems are printed to stderr after the
 *   process's prefix (no stack trace) and the process exits with status 1 ({@link loadConfigOrExit});
 * - SIGINT and SIGTERM start one graceful stop with a time budget; the copies of that signal that
 *   launchers and the terminal deliver within {@link SAME_STOP_WINDOW_MS} belong to it, and a later signal
 *   exits at once with status 1 ({@link closeOnShutdownSignals});
 * - how long each part may take to stop ({@link API_GRACE_PERIOD_MS}, {@link WORKER_GRACE_PERIOD_MS}), the
 *   numbers docker-compose.yml and its test use too.
 *
 * ```ts
 * const config = loadConfigOrExit(process.env, 'scene-mtl worker:');
 * const running = await startTrainingWorker(config);
 * closeOnShutdownSignals({ log, close: running.stop, exitWhenClosed: true });
 * ```
 *
 * @packageDocumentation
 */
import { loadConfig, type Config } from './config.js';
import { ConfigError } from './errors.js';
import type { Logger } from './logger.js';

/** Signals that start a graceful stop. Why both: Ctrl-C sends SIGINT, orchestrators (and main.ts to its worker) send SIGTERM. */
export const SHUTDOWN_SIGNALS = ['SIGINT', 'SIGTERM'] as const;

/**
 * Exit status of a process that could not start, or could not stop cleanly. Why 1: the generic failure
 * status that scripts, npm and orchestrators read as "failed" without a meaning of its own.
 */
export const FAILURE_EXIT_STATUS = 1;

/**
 * Longest wait for the API's in-flight requests and `onClose` hooks once a stop began, before the process
 * exits anyway with status 1. Why 8 s: below the 10 s Docker and Kubernetes wait between SIGTERM and SIGKILL,
 * so the API logs and exits first (docker-compose.yml gives the API container 15 s, for npm and tini too).
 */
export const API_GRACE_PERIOD_MS = 8_000;

/**
 * How long a training worker has to stop once sent SIGTERM: finish its training step, write a checkpoint and
 * put its job back in the queue. `src/main.ts` kills its worker with SIGKILL past it, and it is the workers'
 * `stop_grace_period` in docker-compose.yml (test/docker/compose.test.ts checks that they agree).
 *
 * Why 2 minutes: a CPU training step of a large model plus a checkpoint write. A step of width 16 at batch 8
 * takes 1.4 s at 128x256 on the wasm backend (bench/results/train-step.md), so about 20 to 45 s at 512x1024 or
 * 1024x1024 (16 to 32 times the pixels); the checkpoint then writes the weights and the optimizer's state.
 * Two minutes leaves room for wider models and slow disks; past it something is stuck, and the job resumes
 * from its previous checkpoint once its lock expires, losing at most an epoch's work.
 */
export const WORKER_GRACE_PERIOD_MS = 120_000;

/**
 * How soon after the first shutdown signal another one (the same or a different one) still belongs to
 * the same stop. Why 1 s: Ctrl-C in a terminal sends SIGINT to the whole foreground process group, and
 * the launchers relay it too: `npm start` runs npm -> sh -> tsx -> node, and tsx passes the SIGINT it got
 * on to main, which thus gets it twice within milliseconds; main then sends its worker SIGTERM, which the
 * worker gets right after the terminal's SIGINT. None of these is a person asking for a forced exit; a
 * person pressing Ctrl-C again does so later than that, and still forces the exit.
 */
export const SAME_STOP_WINDOW_MS = 1_000;

/**
 * Writes `message` to stderr after `stderrPrefix` and exits with status 1 at once.
 *
 * Why exit here rather than return a status: it is for start-up failures, before anything runs that would
 * need closing; stderr and the logger write synchronously to files, pipes and terminals on Linux, so nothing
 * written before is lost.
 *
 * @param stderrPrefix - The process's prefix, e.g. `scene-mtl:`, which tells its lines apart in CI logs.
 * @param message - What went wrong and how to fix it.
 */
export function exitWithMessage(stderrPrefix: string, message: string): never {
  process.stderr.write(`${stderrPrefix} ${message}\n`);
  process.exit(FAILURE_EXIT_STATUS);
}

/**
 * Loads the configuration from `env`; when it is invalid, writes the problems (each naming its variable,
 * secrets hidden) to stderr after `stderrPrefix`, with no stack trace, and exits with status 1.
 *
 * @param env - The environment to read, usually `process.env`.
 * @param stderrPrefix - The process's prefix on stderr.
 * @returns The validated configuration.
 * @throws Whatever {@link loadConfig} throws that is not a {@link ConfigError} (a bug, not a bad setting).
 */
export function loadConfigOrExit(env: NodeJS.ProcessEnv, stderrPrefix: string): Config {
  try {
    return loadConfig(env);
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    return exitWithMessage(stderrPrefix, err.message);
  }
}

/** Options of {@link closeOnShutdownSignals}. */
export interface CloseOnShutdownSignalsOptions {
  /** Where the lines about the stop go. */
  log: Logger;
  /** Stops what the process runs. Its rejection exits with status 1. */
  close(): Promise<void>;
  /**
   * Longest wait for `close` before exiting with status 1. None by default: then whoever sent the signal
   * (main.ts, Docker) holds the budget and kills the process past it.
   */
  timeoutMs?: number;
  /**
   * Exit with status 0 as soon as `close` resolves (default false: the process ends by itself once nothing
   * keeps it alive, which shows that close released everything).
   */
  exitWhenClosed?: boolean;
  /**
   * A signal that arrives within this many ms of the first is part of the same stop and is only logged
   * (default {@link SAME_STOP_WINDOW_MS}; 0: every later signal forces the exit).
   */
  sameStopWithinMs?: number;
  /** Runs, synchronously, on a forcing signal just before the exit with status 1 (e.g. SIGKILL to children). */
  onForcedExit?(): void;
  /** Logged on the first signal (default "shutting down"). */
  stoppingMessage?: string;
  /** Logged on a forcing signal (default "second signal during shutdown, exiting now"). */
  forcedExitMessage?: string;
  /** Logged once `close` resolved (default: nothing; `close` may log it itself). */
  stoppedMessage?: string;
}

/**
 * Installs the SIGINT and SIGTERM handlers: the first signal calls `close` (once) with a time budget; any
 * signal within `sameStopWithinMs` of it is the same stop; a later one exits at once with status 1, as do a
 * failing `close` and one past its budget. The handlers
 * are removed once `close` resolves.
 *
 * @param options - What to close and how.
 * @returns A function that removes the handlers (for a process that closes without a signal).
 */
export function closeOnShutdownSignals(options: CloseOnShutdownSignalsOptions): () => void {
  const { log, timeoutMs, sameStopWithinMs = SAME_STOP_WINDOW_MS } = options;
  let first: { signal: NodeJS.Signals; at: number } | undefined;
  const remove = (): void => {
    for (const signal of SHUTDOWN_SIGNALS) process.off(signal, onSignal);
  };
  const onSignal = (signal: NodeJS.Signals): void => {
    if (first !== undefined) {
      if (Date.now() - first.at <= sameStopWithinMs) {
        log.info({ signal, first: first.signal }, 'signal belongs to the stop already under way');
        return;
      }
      log.warn({ signal }, options.forcedExitMessage ?? 'second signal during shutdown, exiting now');
      options.onForcedExit?.();
      process.exit(FAILURE_EXIT_STATUS);
    }
    first = { signal, at: Date.now() };
    log.info({ signal }, options.stoppingMessage ?? 'shutting down');
    const timer =
      timeoutMs === undefined
        ? undefined
        : setTimeout(() => {
            log.error({ timeoutMs }, 'shutdown timed out, exiting');
            process.exit(FAILURE_EXIT_STATUS);
          }, timeoutMs);
    // Why unref: the timer must not by itself keep a process alive that has finished closing.
    timer?.unref();
    options.close().then(
      () => {
        clearTimeout(timer);
        remove();
        if (options.stoppedMessage !== undefined) log.info(options.stoppedMessage);
        if (options.exitWhenClosed === true) process.exit(0);
      },
      (err: unknown) => {
        log.error({ err }, 'shutdown failed');
        process.exit(FAILURE_EXIT_STATUS);
      },
    );
  };
  for (const signal of SHUTDOWN_SIGNALS) process.on(signal, onSignal);
  return remove;
}
