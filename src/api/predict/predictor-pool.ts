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

/** A prediction's answer: JSON (the default) or a PNG view. */
export type PredictReply = { kind: 'json'; body: unknown } | { kind: 'png'; png: Buffer };

interface Pending {
  job: PredictJob;
  resolve: (reply: PredictReply) => void;
  reject: (error: Error) => void;
}

interface Slot {
  worker: Worker;
  ready: Promise<void>;
  current?: Pending;
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

/**
 * A fixed pool of predictor threads with a bounded wait queue. Each thread holds its own LRU cache of
 * models; the pool sends a job to a free thread, preferring one that predicted the same model last
 * (its cache is warm). When every thread is busy and `queueSize` jobs wait, `predict` rejects with a 503
 * ServiceUnavailableError carrying Retry-After instead of queueing without bound.
 */
export class PredictorPool {
  private readonly slots: Slot[];
  private readonly queue: Pending[] = [];
  private readonly lastModel = new Map<Slot, string>();
  private nextId = 1;
  private closed = false;

  constructor(private readonly options: PredictorPoolOptions) {
    const entry = new URL(`./predict-thread${extname(fileURLToPath(import.meta.url))}`, import.meta.url);
    const workerData: PredictThreadData = {
      artifactDir: options.artifactDir,
      backend: options.backend,
      modelCacheSize: options.modelCacheSize,
    };
    this.slots = Array.from({ length: options.threads }, () => {
      const worker = spawnThread(entry, workerData);
      const slot: Slot = { worker, ready: Promise.resolve() };
      slot.ready = new Promise<void>((resolve, reject) => {
        worker.on('message', (message: FromThread) => {
          if (message.type === 'ready') return resolve();
          if (message.type === 'fatal')
            return reject(new Error(`predictor thread failed to start: ${message.message}`));
          this.settle(slot, message);
        });
        worker.on('error', (error) => {
          reject(error);
          slot.current?.reject(error);
          slot.current = undefined;
        });
      });
      slot.ready.catch(() => undefined);
      return slot;
    });
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
    const free = this.slots.filter((s) => s.current === undefined);
    return free.find((s) => this.lastModel.get(s) === modelId) ?? free[0];
  }

  private dispatch(slot: Slot, pending: Pending): void {
    slot.current = pending;
    this.lastModel.set(slot, pending.job.modelId);
    const image = pending.job.image;
    slot.worker.postMessage(pending.job, [image.buffer as ArrayBuffer]);
  }

  private settle(slot: Slot, message: FromThread): void {
    const pending = slot.current;
    if (pending === undefined || !('id' in message) || message.id !== pending.job.id) return;
    slot.current = undefined;
    if (message.type === 'error') pending.reject(new ThreadError(message.error));
    else if (message.type === 'result') {
      pending.resolve(
        message.kind === 'png'
          ? {
              kind: 'png',
              png: Buffer.from(message.png.buffer, message.png.byteOffset, message.png.byteLength),
            }
          : { kind: 'json', body: message.body },
      );
    }
    const next = this.queue.shift();
    if (next !== undefined) this.dispatch(this.freeSlot(next.job.modelId) ?? slot, next);
  }
}
