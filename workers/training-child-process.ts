/**
 * One training child as its worker sees it: a forked process that trains one job at a time and is
 * watched from the moment it is forked.
 *
 * Why our own and not BullMQ's sandbox: in bullmq 6.7 a sandboxed child that dies between its fork and its
 * first message is never noticed (its `exit` handler removes every listener before the `close` event that
 * alone could end the start-up wait, and the sandbox watches for a dead child only after start-up), so
 * the job stays `running` with no child for good while the worker keeps renewing its lock
 * (docs/upstream/bullmq-sandbox-startup-hang.md). Here:
 * - an exit at any moment (start-up, idle, training) rejects what waits on the child at once;
 * - start-up must end with `ready` within a time limit, and a started child must send a heartbeat at least
 *   every so often, or it is killed and the attempt fails;
 * - an abort (cancel, worker shutdown) asks the child to stop after its step and checkpoint; a child that
 *   has not stopped within the grace period is killed.
 *
 * @packageDocumentation
 */
import { fork, type ChildProcess } from 'node:child_process';
import { UnrecoverableError } from 'bullmq';
import { TrainingChildError } from '../src/errors.js';
import type { Logger } from '../src/logger.js';
import type { JobProgressRecord, TrainingJobResult } from '../src/queue/job-schemas.js';
import {
  isChildMessage,
  type ChildMessage,
  type SerializedError,
  type TrainingChildJob,
} from './training-child-protocol.js';

/** How a child is started and watched. */
export interface TrainingChildOptions {
  /** The child's entry file (`training-child-main`). */
  entry: string;
  /** Longest wait for `ready` after the fork. */
  startupTimeoutMs: number;
  /** Longest silence (no heartbeat or other message) of a started child. */
  heartbeatTimeoutMs: number;
  /** The child's environment (default: the worker's). */
  env?: NodeJS.ProcessEnv;
  logger: Logger;
}

/** What {@link TrainingChildProcess.run} needs besides the job. */
export interface RunOptions {
  /** Aborted by the worker (cancel or shutdown): the child is asked to stop after its step. */
  signal?: AbortSignal | undefined;
  /** Applies a progress record to the job; records are applied in order, before the outcome. */
  onProgress: (record: JobProgressRecord) => Promise<void>;
  /** After an abort, how long the child may take to checkpoint and stop before it is killed. */
  abortGraceMs: number;
}

/** How often the watchdog looks at the last message's time. Why 250 ms: a tenth of the smallest sane timeout. */
const WATCHDOG_INTERVAL_MS = 250;

/** What a child is doing, for messages and for what its exit means. */
type ChildPhase = 'starting' | 'idle' | 'training' | 'exited';

/** A pending wait on the child (start-up, or a job), ended by a message, the exit, or the watchdog. */
interface Pending<T> {
  resolve: (value: T) => void;
  reject: (err: Error) => void;
}

/** One forked training child. Create with {@link TrainingChildProcess.start}. */
export class TrainingChildProcess {
  private phase: ChildPhase = 'starting';
  private lastMessageAt = Date.now();
  private readonly watchdog: NodeJS.Timeout;
  private startup: Pending<void> | undefined;
  private job: (Pending<TrainingJobResult> & { progress: Promise<void>; options: RunOptions }) | undefined;
  /** Resolves once the process has exited. */
  readonly exited: Promise<void>;

  private constructor(
    private readonly proc: ChildProcess,
    private readonly options: TrainingChildOptions,
  ) {
    this.exited = new Promise((resolve) => proc.once('exit', () => resolve()));
    proc.on('exit', (code, signal) => this.onExit(code, signal));
    proc.on('error', (err) => options.logger.warn({ err, pid: proc.pid }, 'training child error'));
    proc.on('message', (message: unknown) => this.onMessage(message));
    this.watchdog = setInterval(() => this.checkAlive(), WATCHDOG_INTERVAL_MS);
    this.watchdog.unref();
  }

  /**
   * Forks a child and waits for its `ready`.
   *
   * @param options - Entry, timeouts, environment, logger.
   * @param signal - Aborting it kills the starting child and rejects with the signal's reason.
   * @throws {@link TrainingChildError} when the child exits or stays silent during start-up.
   */
  static async start(options: TrainingChildOptions, signal?: AbortSignal): Promise<TrainingChildProcess> {
    // Why the worker's execArgv: under tsx it carries the TypeScript loader the child needs too.
    const proc = fork(options.entry, [], {
      execArgv: process.execArgv,
      env: options.env ?? process.env,
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    const child = new TrainingChildProcess(proc, options);
    const ready = new Promise<void>((resolve, reject) => (child.startup = { resolve, reject }));
    const onAbort = (): void => child.kill();
    signal?.addEventListener('abort', onAbort, { once: true });
    try {
      if (signal?.aborted) child.kill();
      await ready;
      return child;
    } catch (err) {
      child.kill();
      throw signal?.aborted ? abortError(signal) : err;
    } finally {
      signal?.removeEventListener('abort', onAbort);
    }
  }

  /** The child's process id. */
  get pid(): number | undefined {
    return this.proc.pid;
  }

  /** Whether the child can take a job now. */
  get idle(): boolean {
    return this.phase === 'idle';
  }

  /**
   * Trains one job in the child.
   *
   * @returns The job's result.
   * @throws The job's failure as the processor threw it (an `UnrecoverableError` when retrying cannot help),
   *   or {@link TrainingChildError} when the child exits or stops answering meanwhile.
   */
  run(job: Omit<TrainingChildJob, 'updateProgress'>, options: RunOptions): Promise<TrainingJobResult> {
    if (this.phase !== 'idle') {
      return Promise.reject(new Error(`the training child is ${this.phase}, not idle`));
    }
    this.phase = 'training';
    const { signal } = options;
    let graceTimer: NodeJS.Timeout | undefined;
    const onAbort = (): void => {
      this.post({ type: 'abort', reason: String(signal?.reason ?? 'aborted') });
      graceTimer = setTimeout(() => {
        this.options.logger.warn(
          { pid: this.pid, graceMs: options.abortGraceMs },
          'training child did not stop within its grace period; killing it',
        );
        this.kill();
      }, options.abortGraceMs);
      graceTimer.unref();
    };
    const done = new Promise<TrainingJobResult>((resolve, reject) => {
      this.job = { resolve, reject, progress: Promise.resolve(), options };
    });
    this.lastMessageAt = Date.now();
    this.post({ type: 'start', job });
    if (signal?.aborted) onAbort();
    else signal?.addEventListener('abort', onAbort, { once: true });
    return done.finally(() => {
      clearTimeout(graceTimer);
      signal?.removeEventListener('abort', onAbort);
    });
  }

  /** Kills the child at once (SIGKILL). Safe to call at any time. */
  kill(): void {
    if (this.proc.exitCode === null && this.proc.signalCode === null) this.proc.kill('SIGKILL');
  }

  private post(message: unknown): void {
    try {
      this.proc.send(message as object, (err) => {
        if (err) this.options.logger.warn({ err, pid: this.pid }, 'could not message the training child');
      });
    } catch (err) {
      // Why no rethrow: a closed channel means the child is exiting, and its exit rejects what waits.
      this.options.logger.warn({ err, pid: this.pid }, 'could not message the training child');
    }
  }

  private onMessage(message: unknown): void {
    this.lastMessageAt = Date.now();
    if (!isChildMessage(message)) return;
    this.handle(message);
  }

  private handle(message: ChildMessage): void {
    switch (message.type) {
      case 'ready':
        if (this.phase === 'starting') {
          this.phase = 'idle';
          this.startup?.resolve();
          this.startup = undefined;
        }
        return;
      case 'heartbeat':
        return;
      case 'progress': {
        const job = this.job;
        if (job === undefined) return;
        const apply = (): Promise<void> =>
          job.options.onProgress(message.record).catch((err: unknown) => {
            this.options.logger.warn({ err }, 'could not publish a progress record');
          });
        job.progress = job.progress.then(apply);
        return;
      }
      case 'completed':
      case 'failed': {
        const job = this.job;
        if (job === undefined) return;
        this.job = undefined;
        this.phase = 'idle';
        // Why after the progress chain: a failure's record (its error code) must land before the outcome.
        void job.progress.then(() =>
          message.type === 'completed'
            ? job.resolve(message.result)
            : job.reject(deserializeError(message.error)),
        );
        return;
      }
    }
  }

  private onExit(code: number | null, signal: NodeJS.Signals | null): void {
    const was = this.phase;
    this.phase = 'exited';
    clearInterval(this.watchdog);
    const how = signal !== null ? `signal ${signal}` : `code ${String(code)}`;
    if (this.startup !== undefined) {
      this.startup.reject(
        new TrainingChildError('TRAINING_CHILD_EXITED', `the training child exited during start-up (${how})`),
      );
      this.startup = undefined;
    }
    const job = this.job;
    if (job !== undefined) {
      this.job = undefined;
      const err = new TrainingChildError(
        'TRAINING_CHILD_EXITED',
        `the training child exited while training (${how})`,
      );
      void job.progress.then(() => job.reject(err));
    }
    if (was !== 'idle')
      this.options.logger.info({ pid: this.pid, code, signal, was }, 'training child exited');
  }

  private checkAlive(): void {
    const silentMs = Date.now() - this.lastMessageAt;
    if (this.phase === 'starting' && silentMs > this.options.startupTimeoutMs) {
      this.failUnresponsive(`the training child did not start within ${this.options.startupTimeoutMs} ms`);
    } else if (
      this.phase !== 'starting' &&
      this.phase !== 'exited' &&
      silentMs > this.options.heartbeatTimeoutMs
    ) {
      this.failUnresponsive(`the training child sent no heartbeat for ${this.options.heartbeatTimeoutMs} ms`);
    }
  }

  /** Rejects what waits on the child with an UNRESPONSIVE error (before the exit's EXITED one) and kills it. */
  private failUnresponsive(message: string): void {
    this.options.logger.warn({ pid: this.pid, phase: this.phase }, `${message}; killing it`);
    const err = new TrainingChildError('TRAINING_CHILD_UNRESPONSIVE', message);
    this.startup?.reject(err);
    this.startup = undefined;
    const job = this.job;
    this.job = undefined;
    if (job !== undefined) void job.progress.then(() => job.reject(err));
    this.kill();
  }
}

/** The error a processor threw in the child, rebuilt in the worker. */
function deserializeError(serialized: SerializedError): Error {
  const err = serialized.unrecoverable
    ? new UnrecoverableError(serialized.message)
    : new Error(serialized.message);
  if (!serialized.unrecoverable) err.name = serialized.name;
  if (serialized.stack !== undefined) err.stack = serialized.stack;
  if (serialized.code !== undefined) Object.assign(err, { code: serialized.code });
  return err;
}

/** The error a start-up aborted by `signal` rejects with. */
function abortError(signal: AbortSignal): Error {
  return new Error(`training child start-up aborted: ${String(signal.reason)}`);
}
