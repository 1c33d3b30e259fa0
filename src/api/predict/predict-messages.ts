import type { MessagePort } from 'node:worker_threads';
import type { Task } from '../../model/tasks.js';

export { VIEWS, type ViewName } from '../../model/prediction-views.js';
import type { ViewName } from '../../model/prediction-views.js';

/** How the maps of a JSON-like answer travel: PNGs in JSON (the default), or typed arrays (raw-prediction.ts). */
export const ENCODINGS = ['png', 'raw'] as const;
export type PredictEncoding = (typeof ENCODINGS)[number];

/** A prediction request as it crosses into a predictor thread (the image bytes are transferred, not copied). */
export interface PredictJob {
  id: number;
  modelId: string;
  image: Uint8Array;
  outputs: Task[];
  view?: ViewName;
  /** The maps' encoding when there is no view (default png). */
  encoding?: PredictEncoding;
}

/**
 * Jobs for one model that share one forward pass (micro-batching, predictor-pool.ts); the thread answers
 * each job on its own, in order, as soon as its answer is encoded.
 */
export interface PredictBatch {
  type: 'predict';
  modelId: string;
  jobs: PredictJob[];
  /**
   * With a lone job on a pool with an idle thread: the port to that thread, which computes some of the
   * job's heads meanwhile (head-sharing.ts).
   */
  helper?: MessagePort;
}

/** Asks an idle thread to compute heads of a prediction that another thread runs, over `port` (head-sharing.ts). */
export interface HelpMessage {
  type: 'help';
  modelId: string;
  port: MessagePort;
}

/** Drops a model from every thread's cache (after DELETE /v1/models/{id}). */
export interface EvictMessage {
  type: 'evict';
  modelId: string;
}

export type ToThread = PredictBatch | EvictMessage | HelpMessage;

/** An error that crossed the thread boundary: an AppError's code, status and message, or an internal one. */
export interface SerialisedError {
  code: string;
  statusCode: number;
  message: string;
  details?: unknown;
}

/** What a result's bytes are: the JSON answer's UTF-8, a PNG view, or a raw answer (raw-prediction.ts). */
export type ReplyKind = 'json' | 'png' | 'raw';

/** The thread's answer: the JSON body's UTF-8 bytes, a PNG view or a raw answer (each transferred), or an error. */
export type FromThread =
  | { type: 'result'; id: number; kind: ReplyKind; bytes: Uint8Array }
  | { type: 'error'; id: number; error: SerialisedError }
  | { type: 'ready' }
  | { type: 'fatal'; message: string }
  /** A helping thread is done with its part ({@link HelpMessage}) and free again. */
  | { type: 'helped' };
