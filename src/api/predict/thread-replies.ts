/**
 * What the pool (predictor-pool.ts) makes of a predictor thread's messages: its answers as the route sends
 * them, and its errors rebuilt with their codes.
 *
 * @packageDocumentation
 */
import { AppError } from '../../errors.js';
import type { ReplyKind, SerialisedError } from './predict-messages.js';

/**
 * A prediction's answer: JSON (the default) or a PNG view. A JSON answer comes as its UTF-8 bytes, to be
 * sent as they are; `body` parses them (for tests and tools; the route never needs it).
 */
export type PredictReply =
  | { kind: 'json'; json: Buffer; readonly body: unknown }
  | { kind: 'png'; png: Buffer }
  | { kind: 'raw'; raw: Buffer };

/** An error from a predictor thread, rebuilt with its code and status on the API side. */
export class ThreadError extends AppError {
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

/** The pool's reply for a thread's result bytes. */
export function replyOf(kind: ReplyKind, bytes: Uint8Array): PredictReply {
  if (kind === 'json') return jsonReply(bytes);
  return kind === 'png' ? { kind, png: asBuffer(bytes) } : { kind, raw: asBuffer(bytes) };
}
