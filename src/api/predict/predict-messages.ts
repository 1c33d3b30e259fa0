import type { Task } from '../../model/tasks.js';

export { VIEWS, type ViewName } from '../../model/prediction-views.js';
import type { ViewName } from '../../model/prediction-views.js';

/** A prediction request as it crosses into a predictor thread (the image bytes are transferred, not copied). */
export interface PredictJob {
  type: 'predict';
  id: number;
  modelId: string;
  image: Uint8Array;
  outputs: Task[];
  view?: ViewName;
}

/** Drops a model from every thread's cache (after DELETE /v1/models/{id}). */
export interface EvictMessage {
  type: 'evict';
  modelId: string;
}

export type ToThread = PredictJob | EvictMessage;

/** An error that crossed the thread boundary: an AppError's code, status and message, or an internal one. */
export interface SerialisedError {
  code: string;
  statusCode: number;
  message: string;
  details?: unknown;
}

/** The thread's answer: the JSON body's UTF-8 bytes (transferred), a PNG view (transferred), or an error. */
export type FromThread =
  | { type: 'result'; id: number; kind: 'json'; json: Uint8Array }
  | { type: 'result'; id: number; kind: 'png'; png: Uint8Array }
  | { type: 'error'; id: number; error: SerialisedError }
  | { type: 'ready' }
  | { type: 'fatal'; message: string };
