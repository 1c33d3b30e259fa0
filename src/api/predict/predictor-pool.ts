import { extname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { AppError, ServiceUnavailableError } from '../../errors.js';
import type { Task } from '../../model/tasks.js';
import type { BackendChoice } from '../../tf/index.js';
import type { FromThread, PredictJob, SerialisedError, ViewName } from './predict-messages.js';
import type { PredictThreadData } from './predict-thread.js';

/** Retry-After when every thread is busy and the queue is full: one prediction takes well under a second. */
export const BUSY_RETRY_AFTER_SECONDS = 1;

/** Options of {@link PredictorPool}; they come from PREDICT_CONCURRENCY, PREDICT_QUEUE_SIZE, MODEL_CACHE_SIZE. */
export interface PredictorPoolOptions {
  threads: number;
  queueSize: number;
  modelCacheSize: number;
  artifactDir: string;
  backend: BackendChoice;
}

/**
 * A prediction's answer: JSON (the default) or a PNG view. A JSON answer comes as its UTF-8 bytes, to be
 * sent as they are; `body` parses them (for tests and tools; the route never needs it).
 */
export type PredictReply =
  { kind: 'json'; json: Buffer; readonly body: unknown } | { kind: 'png'; png: Buffer };

interface Pending {
  job: PredictJob;
  resolve: (reply: PredictReply) => void;
  reject: (error: Error) => void;
}

interface Slot {
  worker: Worker;
  ready: Promise<void>;
  current?: Pending;
  /** Set when the thread could not start (e.g. the configured backend does not load): never used again. */
  failed?: Error;
}

/**
 * Starts a thread on `entry`. Under tsx (development, tests) the entry is TypeScript and threads do not
 * inherit the main thread's loader, so a one-line bootstrap registers tsx in the thread first.
 */
function spawnThread(entry: URL, workerData: PredictThreadData): Worker {
  if (!entry.pathname.endsWith('.ts')) return new Worker(entry, { workerData });
  const bootstrap = `import('tsx/esm/api').then(({ register }) => { register(); return import(${JSON.stringify(entry.href)}); })`;
  return new Worker(bootstrap, { eval: true, workerData });
}

/** An error from a predictor thread, rebuilt with its code and status on the API side. */
class ThreadError extends AppError {
  constructor(error: SerialisedError) {
    super(
      error.code,
      error.statusCode,
      error.message,
      error.details !== undefined ? { details: error.details } : {},
    );
  }
}

/** A Buffer over the same memory. */
function asBuffer(bytes: Uint8Array): Buffer {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

/** A JSON reply over the thread's bytes; the body is parsed only if someone reads it. */
function jsonReply(bytes: Uint8Array): PredictReply {
  const json = asBuffer(bytes);
  return {
    kind: 'json',
    json,
    get body(): unknown {
      return JSON.parse(json.toString('utf8'));
    },
  };
}

/**
 * A fixed pool of predictor threads with a bounded wait queue. Each thread holds its own LRU cache of
 * models; the pool sends a job to a free thread, preferring one that predicted the same model last
 * (its cache is warm). When every thread is busy and `queueSize` jobs wait, `predict` rejects with a 503
 * ServiceUnavailableError carrying Retry-After instead of queueing without bound.
 */
export class PredictorPool {
  private slots: Slot[];
  private readonly queue: Pending[] = [];
  private readonly lastModel = new Map<Slot, string>();
  private nextId = 1;
  private closed = false;

  constructor(private readonly options: PredictorPoolOptions) {
    this.entry = new URL(`./predict-thread${extname(fileURLToPath(import.meta.url))}`, import.meta.url);
    this.slots = Array.from({ length: options.threads }, () => this.startSlot());
  }

  private readonly entry: URL;

  /**
   * Starts one thread. A thread that fails to start marks its slot failed (no respawn: the same failure
   * would repeat); one that dies later has its job answered 503 and is replaced.
   */
  private startSlot(): Slot {
    const workerData: PredictThreadData = {
      artifactDir: this.options.artifactDir,
      backend: this.options.backend,
      modelCacheSize: this.options.modelCacheSize,
    };
    const worker = spawnThread(this.entry, workerData);
    const slot: Slot = { worker, ready: Promise.resolve() };
    let started = false;
    slot.ready = new Promise<void>((resolve, reject) => {
      worker.on('message', (message: FromThread) => {
        if (message.type === 'ready') {
          started = true;
          return resolve();
        }
        if (message.type === 'fatal') {
          slot.failed = new Error(`predictor thread failed to start: ${message.message}`);
          return reject(slot.failed);
        }
        this.settle(slot, message);
      });
      worker.on('error', (error) => {
        if (!started) {
          slot.failed = error;
          reject(error);
        }
      });
      worker.on('exit', (code) => {
        if (this.closed) return;
        const failure = slot.failed ?? new Error(`predictor thread exited with code ${code}`);
        if (!started) {
          slot.failed = failure;
          reject(failure);
        }
        const pending = slot.current;
        slot.current = undefined;
        pending?.reject(
          new ServiceUnavailableError(`prediction failed: ${failure.message}`, BUSY_RETRY_AFTER_SECONDS),
        );
        if (started) {
          // A thread that ran and then died (out of memory, a crash) is replaced.
          const index = this.slots.indexOf(slot);
          if (index >= 0) this.slots[index] = this.startSlot();
        }
        this.dispatchNext();
      });
    });
    slot.ready.catch(() => undefined);
    return slot;
  }

  /** Resolves when every thread has its backend ready (throws if one failed to start). */
  async ready(): Promise<void> {
    await Promise.all(this.slots.map((s) => s.ready));
  }

  /** Busy threads and waiting jobs, for /metrics and tests. */
  stats(): { threads: number; busy: number; queued: number } {
    return {
      threads: this.slots.length,
      busy: this.slots.filter((s) => s.current).length,
      queued: this.queue.length,
    };
  }

  /**
   * Predicts `image` (PNG/JPEG bytes) with model `modelId`.
   *
   * @throws ServiceUnavailableError (503, Retry-After) when the pool is saturated; the thread's own errors
   *   (NotFoundError for an unknown model, ImageDecodeError for a corrupt image, ...) with their codes.
   */
  predict(request: {
    modelId: string;
    image: Uint8Array;
    outputs: Task[];
    view?: ViewName;
  }): Promise<PredictReply> {
    if (this.closed)
      return Promise.reject(
        new ServiceUnavailableError('the predictor pool is shutting down', BUSY_RETRY_AFTER_SECONDS),
      );
    const usable = this.slots.filter((slot) => slot.failed === undefined);
    if (usable.length === 0) {
      const reason = this.slots[0]?.failed?.message ?? 'no predictor threads';
      return Promise.reject(
        new ServiceUnavailableError(`predictions are unavailable: ${reason}`, BUSY_RETRY_AFTER_SECONDS),
      );
    }
    const free = this.freeSlot(request.modelId);
    if (free === undefined && this.queue.length >= this.options.queueSize) {
      return Promise.reject(
        new ServiceUnavailableError(
          `all ${this.slots.length} predictor threads are busy and ${this.queue.length} predictions wait; retry shortly`,
          BUSY_RETRY_AFTER_SECONDS,
        ),
      );
    }
    return new Promise<PredictReply>((resolve, reject) => {
      // A copy of the bytes in an ArrayBuffer of their own: the request's may be a slice of Node's shared
      // Buffer pool, which transferring to the thread would detach for everyone.
      const job: PredictJob = {
        type: 'predict',
        id: this.nextId++,
        ...request,
        image: new Uint8Array(request.image),
      };
      const pending: Pending = { job, resolve, reject };
      if (free !== undefined) this.dispatch(free, pending);
      else this.queue.push(pending);
    });
  }

  /** Drops a model from every thread's cache (after it was deleted). */
  evict(modelId: string): void {
    for (const slot of this.slots) slot.worker.postMessage({ type: 'evict', modelId });
  }

  /** Rejects waiting jobs, lets running ones finish, and stops the threads. */
  async close(): Promise<void> {
    this.closed = true;
    for (const pending of this.queue.splice(0)) {
      pending.reject(
        new ServiceUnavailableError('the predictor pool is shutting down', BUSY_RETRY_AFTER_SECONDS),
      );
    }
    await Promise.all(this.slots.map((s) => s.worker.terminate()));
  }

  private freeSlot(modelId: string): Slot | undefined {
    const free = this.slots.filter((s) => s.current === undefined && s.failed === undefined);
    return free.find((s) => this.lastModel.get(s) === modelId) ?? free[0];
  }

  private dispatch(slot: Slot, pending: Pending): void {
    slot.current = pending;
    this.lastModel.set(slot, pending.job.modelId);
    // Wait for the thread's backend; a thread that cannot start answers 503 and the job is not retried.
    slot.ready.then(
      () => {
        if (slot.current === pending)
          slot.worker.postMessage(pending.job, [pending.job.image.buffer as ArrayBuffer]);
      },
      (error: Error) => {
        if (slot.current !== pending) return;
        slot.current = undefined;
        pending.reject(
          new ServiceUnavailableError(
            `predictions are unavailable: ${error.message}`,
            BUSY_RETRY_AFTER_SECONDS,
          ),
        );
        this.dispatchNext();
      },
    );
  }

  /** Hands the oldest waiting job to a free thread, if any. */
  private dispatchNext(): void {
    const next = this.queue[0];
    if (next === undefined) return;
    const slot = this.freeSlot(next.job.modelId);
    if (slot === undefined) {
      if (this.slots.every((s) => s.failed !== undefined)) {
        for (const pending of this.queue.splice(0)) {
          pending.reject(
            new ServiceUnavailableError(
              'predictions are unavailable: every predictor thread failed',
              BUSY_RETRY_AFTER_SECONDS,
            ),
          );
        }
      }
      return;
    }
    this.queue.shift();
    this.dispatch(slot, next);
  }

  private settle(slot: Slot, message: FromThread): void {
    const pending = slot.current;
    if (pending === undefined || !('id' in message) || message.id !== pending.job.id) return;
    slot.current = undefined;
    if (message.type === 'error') pending.reject(new ThreadError(message.error));
    else if (message.type === 'result') {
      pending.resolve(
        message.kind === 'png' ? { kind: 'png', png: asBuffer(message.png) } : jsonReply(message.json),
      );
    }
    this.dispatchNext();
  }
}
