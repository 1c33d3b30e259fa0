import { extname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { MessageChannel, type MessagePort, type Worker } from 'node:worker_threads';
import { ServiceUnavailableError } from '../../errors.js';
import type { Task } from '../../model/tasks.js';
import type { BackendChoice } from '../../tf/index.js';
import type {
  FromThread,
  PredictBatch,
  PredictEncoding,
  PredictJob,
  ToThread,
  ViewName,
} from './predict-messages.js';
import type { PredictThreadData } from './predict-thread.js';
import { spawnThread } from './spawn-thread.js';
import { replyOf, ThreadError, type PredictReply } from './thread-replies.js';

export type { PredictReply } from './thread-replies.js';

/** Retry-After when every thread is busy and the queue is full: one prediction takes well under a second. */
export const BUSY_RETRY_AFTER_SECONDS = 1;

/**
 * Options of {@link PredictorPool}; they come from PREDICT_CONCURRENCY, PREDICT_QUEUE_SIZE,
 * MODEL_CACHE_SIZE, PREDICT_BATCH_SIZE, PREDICT_BATCH_WAIT_MS and PREDICT_SHARE_HEADS.
 */
export interface PredictorPoolOptions {
  threads: number;
  queueSize: number;
  modelCacheSize: number;
  artifactDir: string;
  backend: BackendChoice;
  /** Most predictions of one model that share a forward pass (1 = no batching); default 1. */
  batchSize?: number;
  /**
   * How long a prediction may wait for companions while a thread is free but another is busy, in ms
   * (0 = never waits: only predictions that queued anyway are batched); default 0.
   */
  batchWaitMs?: number;
  /** Called with the size of every batch sent to a thread (for /metrics). */
  onBatch?: (size: number) => void;
  /**
   * Whether a lone prediction borrows an idle thread for some of its heads (head-sharing.ts); default
   * false. From PREDICT_SHARE_HEADS.
   */
  shareHeads?: boolean;
  /** Called each time an idle thread is lent to a prediction (for /metrics). */
  onLent?: () => void;
}

interface Pending {
  job: PredictJob;
  resolve: (reply: PredictReply) => void;
  reject: (error: Error) => void;
  /** performance.now() when it was queued. */
  queuedAt: number;
}

interface Slot {
  worker: Worker;
  ready: Promise<void>;
  /** The batch the thread is working on (empty: free); each job leaves it when answered. */
  current: Pending[];
  /** Set when the thread could not start (e.g. the configured backend does not load): never used again. */
  failed?: Error;
  /** Set once the thread said it is ready. */
  started: boolean;
  /** Whether the thread is computing heads of another thread's prediction (busy, without jobs of its own). */
  helping: boolean;
}

/**
 * A fixed pool of predictor threads with a bounded wait queue. Each thread holds its own LRU cache of
 * models; the pool sends work to a free thread, preferring one that predicted the same model last (its
 * cache is warm). When every thread is busy and `queueSize` jobs wait, `predict` rejects with a 503
 * ServiceUnavailableError carrying Retry-After instead of queueing without bound.
 *
 * Micro-batching (as TorchServe and Triton do): a free thread takes the oldest waiting job together with
 * the next waiting jobs of the same model, up to `batchSize`, and runs them in one forward pass. A job
 * that finds a free thread while another thread is busy (the service is under load) waits up to
 * `batchWaitMs` for companions; on an idle pool a job starts at once, so a lone request never waits.
 * Views (PNG pictures) are never batched: the overlay needs the full-size image in the thread.
 */
export class PredictorPool {
  private slots: Slot[];
  private readonly queue: Pending[] = [];
  private readonly lastModel = new Map<Slot, string>();
  private nextId = 1;
  private closed = false;
  /** The timer that ends the current batching wait, if one runs. */
  private waitTimer: NodeJS.Timeout | undefined;
  private readonly batchSize: number;
  private readonly batchWaitMs: number;

  constructor(private readonly options: PredictorPoolOptions) {
    this.batchSize = Math.max(1, options.batchSize ?? 1);
    this.batchWaitMs = Math.max(0, options.batchWaitMs ?? 0);
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
    const slot: Slot = { worker, ready: Promise.resolve(), current: [], started: false, helping: false };
    slot.ready = new Promise<void>((resolve, reject) => {
      worker.on('message', (message: FromThread) => {
        if (message.type === 'ready') {
          slot.started = true;
          return resolve();
        }
        if (message.type === 'helped') {
          slot.helping = false;
          return this.dispatchNext();
        }
        if (message.type === 'fatal') {
          slot.failed = new Error(`predictor thread failed to start: ${message.message}`);
          return reject(slot.failed);
        }
        this.settle(slot, message);
      });
      worker.on('error', (error) => {
        if (!slot.started) {
          slot.failed = error;
          reject(error);
        }
      });
      worker.on('exit', (code) => {
        if (this.closed) return;
        const failure = slot.failed ?? new Error(`predictor thread exited with code ${code}`);
        if (!slot.started) {
          slot.failed = failure;
          reject(failure);
        }
        for (const pending of slot.current.splice(0)) {
          pending.reject(
            new ServiceUnavailableError(`prediction failed: ${failure.message}`, BUSY_RETRY_AFTER_SECONDS),
          );
        }
        if (slot.started) {
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
      busy: this.slots.filter((s) => !isIdle(s)).length,
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
    encoding?: PredictEncoding;
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
    // Jobs waiting for companions while threads are free may sit in the queue too: each free thread
    // takes up to batchSize of them at once, so they count on top of the queue's own bound.
    const free = this.slots.filter((s) => isIdle(s) && s.failed === undefined).length;
    if (this.queue.length >= this.options.queueSize + free * this.batchSize) {
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
      const job: PredictJob = { id: this.nextId++, ...request, image: new Uint8Array(request.image) };
      this.queue.push({ job, resolve, reject, queuedAt: performance.now() });
      this.dispatchNext();
    });
  }

  /** Drops a model from every thread's cache (after it was deleted). */
  evict(modelId: string): void {
    for (const slot of this.slots) slot.worker.postMessage({ type: 'evict', modelId });
  }

  /** Rejects waiting jobs, lets running ones finish, and stops the threads. */
  async close(): Promise<void> {
    this.closed = true;
    clearTimeout(this.waitTimer);
    for (const pending of this.queue.splice(0)) {
      pending.reject(
        new ServiceUnavailableError('the predictor pool is shutting down', BUSY_RETRY_AFTER_SECONDS),
      );
    }
    await Promise.all(this.slots.map((s) => s.worker.terminate()));
  }

  private freeSlot(modelId: string): Slot | undefined {
    const free = this.slots.filter((s) => isIdle(s) && s.failed === undefined);
    return free.find((s) => this.lastModel.get(s) === modelId) ?? free[0];
  }

  /**
   * An idle, started thread to lend to a lone prediction on `primary` (head-sharing.ts), reserved and
   * told to expect the primary's features; undefined when sharing is off, the batch is not one
   * prediction with a JSON or raw answer, or no other thread is idle.
   */
  private lendHelper(primary: Slot, batch: Pending[]): MessagePort | undefined {
    if (!this.options.shareHeads || batch.length !== 1 || batch[0]!.job.view !== undefined) return undefined;
    const helper = this.slots.find((s) => s !== primary && isIdle(s) && s.started && s.failed === undefined);
    if (helper === undefined) return undefined;
    const { port1, port2 } = new MessageChannel();
    const help: ToThread = { type: 'help', modelId: batch[0]!.job.modelId, port: port2 };
    try {
      helper.worker.postMessage(help, [port2]);
    } catch {
      port1.close(); // a thread that cannot take the message is not lent (its exit handler replaces it)
      return undefined;
    }
    helper.helping = true;
    this.options.onLent?.();
    return port1;
  }

  private dispatch(slot: Slot, batch: Pending[]): void {
    slot.current = batch;
    const modelId = batch[0]!.job.modelId;
    this.lastModel.set(slot, modelId);
    this.options.onBatch?.(batch.length);
    // Wait for the thread's backend; a thread that cannot start answers 503 and the jobs are not retried.
    slot.ready.then(
      () => {
        const jobs = batch.filter((p) => slot.current.includes(p)).map((p) => p.job);
        if (jobs.length === 0) return;
        // Lent only now: a thread is not held while this one starts, and it is idle at this moment.
        const helper = this.lendHelper(slot, batch);
        const message: PredictBatch = { type: 'predict', modelId, jobs, ...(helper ? { helper } : {}) };
        const images = jobs.map((job) => job.image.buffer as ArrayBuffer);
        try {
          slot.worker.postMessage(message, helper ? [...images, helper] : images);
        } catch (error) {
          // The thread is gone (its exit handler answers its jobs) or the message could not be sent.
          helper?.close();
          this.strand(slot, batch, error as Error);
        }
      },
      (error: Error) => this.strand(slot, batch, error),
    );
  }

  /** Answers 503 to a batch's jobs that a thread will never run, and hands out what waits. */
  private strand(slot: Slot, batch: Pending[], error: Error): void {
    const stranded = batch.filter((p) => slot.current.includes(p));
    slot.current = slot.current.filter((p) => !stranded.includes(p));
    for (const pending of stranded) {
      pending.reject(
        new ServiceUnavailableError(
          `predictions are unavailable: ${error.message}`,
          BUSY_RETRY_AFTER_SECONDS,
        ),
      );
    }
    this.dispatchNext();
  }

  /**
   * The oldest waiting job and the next waiting jobs of its model that can share its forward pass (none
   * when it is a view), up to the batch size; they stay in the queue.
   */
  private nextBatch(): Pending[] {
    const first = this.queue[0]!;
    if (first.job.view !== undefined) return [first];
    const batch = [first];
    for (let i = 1; i < this.queue.length && batch.length < this.batchSize; i++) {
      const pending = this.queue[i]!;
      if (pending.job.modelId === first.job.modelId && pending.job.view === undefined) batch.push(pending);
    }
    return batch;
  }

  /**
   * Hands waiting jobs to free threads, a batch at a time. A batch that is not full waits (up to
   * `batchWaitMs` from its oldest job's arrival) while some thread is busy: more requests are coming.
   */
  private dispatchNext(): void {
    clearTimeout(this.waitTimer);
    this.waitTimer = undefined;
    while (this.queue.length > 0) {
      const slot = this.freeSlot(this.queue[0]!.job.modelId);
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
      const batch = this.nextBatch();
      const loaded = this.slots.some((s) => !isIdle(s));
      const waited = performance.now() - batch[0]!.queuedAt;
      const canGrow = batch.length < this.batchSize && batch[0]!.job.view === undefined;
      if (canGrow && loaded && waited < this.batchWaitMs) {
        this.waitTimer = setTimeout(() => this.dispatchNext(), this.batchWaitMs - waited);
        return;
      }
      for (const pending of batch) this.queue.splice(this.queue.indexOf(pending), 1);
      this.dispatch(slot, batch);
    }
  }

  private settle(slot: Slot, message: FromThread): void {
    if (!('id' in message)) return;
    const index = slot.current.findIndex((p) => p.job.id === message.id);
    if (index < 0) return;
    const [pending] = slot.current.splice(index, 1);
    if (message.type === 'error') pending!.reject(new ThreadError(message.error));
    else if (message.type === 'result') pending!.resolve(replyOf(message.kind, message.bytes));
    if (slot.current.length === 0) this.dispatchNext();
  }
}

/** Whether a thread has nothing to do: no jobs of its own and no other thread's heads. */
function isIdle(slot: Slot): boolean {
  return slot.current.length === 0 && !slot.helping;
}
