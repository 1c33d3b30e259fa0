/**
 * Error and not-found handling for the whole API: every failure is answered with
 * `{ "error": { "code", "message", "details"? } }` and the right status, and a 5xx never leaks internals.
 *
 * @packageDocumentation
 */
import { STATUS_CODES } from 'node:http';
import type { Socket } from 'node:net';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import {
  AppError,
  INTERNAL_ERROR_CODE,
  INTERNAL_ERROR_MESSAGE,
  NotFoundError,
  ServiceUnavailableError,
  toErrorBody,
  type ErrorBody,
} from '../../errors.js';
import { toValidationIssues, type AjvErrorLike } from '../../model/validation-issues.js';

/** An error answer, before it is sent. */
export interface HttpError {
  /** HTTP status code. */
  statusCode: number;
  /** The JSON body. */
  body: ErrorBody;
  /** Extra response headers (e.g. `Retry-After`). */
  headers: Record<string, string>;
}

/** The fields this module reads from errors Fastify and its plugins throw. */
interface FrameworkErrorLike {
  statusCode?: unknown;
  message?: unknown;
  validation?: unknown;
  validationContext?: unknown;
}

/**
 * Codes for 4xx errors raised by Fastify itself (body too large, bad JSON, unsupported content type, ...),
 * by status. Why: clients switch on `code`, so it must be the same whether our code or Fastify refused.
 */
const CODES_BY_STATUS: Readonly<Record<number, string>> = {
  400: 'BAD_REQUEST',
  401: 'UNAUTHORIZED',
  403: 'FORBIDDEN',
  404: 'NOT_FOUND',
  405: 'METHOD_NOT_ALLOWED',
  406: 'NOT_ACCEPTABLE',
  408: 'REQUEST_TIMEOUT',
  409: 'CONFLICT',
  413: 'PAYLOAD_TOO_LARGE',
  415: 'UNSUPPORTED_MEDIA_TYPE',
  422: 'UNPROCESSABLE_ENTITY',
  429: 'TOO_MANY_REQUESTS',
  431: 'REQUEST_HEADER_FIELDS_TOO_LARGE',
};

/**
 * Status of a request Node's HTTP parser refused, by the error's code; any other parse error is a 400.
 * Why these: a request not received within the timeouts is a 408, headers over Node's 16 KiB limit a 431,
 * chunk extensions over Node's limit a 413 (the fields RFC 9110 names for them).
 */
const CLIENT_ERROR_STATUS: Readonly<Record<string, number>> = {
  ERR_HTTP_REQUEST_TIMEOUT: 408,
  HPE_HEADER_OVERFLOW: 431,
  HPE_CHUNK_EXTENSIONS_OVERFLOW: 413,
};

/** What a parser error says about itself (`reason` is llhttp's text, e.g. `Invalid method encountered`). */
interface ClientErrorLike {
  code?: unknown;
  reason?: unknown;
}

/** Longest parser reason quoted in an answer. Why: it is llhttp's own short text; keep it that way. */
const MAX_REASON_CHARS = 120;

/**
 * Maps anything thrown while handling a request to the answer the client gets.
 *
 * - {@link AppError}: its status and code; its message and details unless it is a hidden 5xx; `Retry-After`
 *   for a {@link ServiceUnavailableError} that names a delay.
 * - Fastify schema validation failures: 400 `VALIDATION_ERROR` with one detail per invalid field.
 * - Other errors carrying a 4xx `statusCode` (Fastify's own: body too large, malformed JSON, ...): that
 *   status, a code derived from it, and their message (written for clients).
 * - Anything else: 500 `INTERNAL_ERROR` with a generic message.
 *
 * @param err - What was thrown.
 * @returns Status, body and headers to send.
 */
export function toHttpError(err: unknown): HttpError {
  if (err instanceof AppError) {
    const headers: Record<string, string> = {};
    if (err instanceof ServiceUnavailableError && err.retryAfterSeconds !== undefined) {
      headers['retry-after'] = String(Math.max(0, Math.ceil(err.retryAfterSeconds)));
    }
    return { statusCode: err.statusCode, body: toErrorBody(err), headers };
  }
  if (typeof err === 'object' && err !== null) {
    const e = err as FrameworkErrorLike;
    const message = typeof e.message === 'string' && e.message !== '' ? e.message : undefined;
    if (Array.isArray(e.validation)) {
      // Paths like `/body/training/epochs`: the request part Fastify validated, then the field.
      const prefix = typeof e.validationContext === 'string' ? `/${e.validationContext}` : '';
      const details = toValidationIssues(e.validation as AjvErrorLike[], prefix);
      return {
        statusCode: 400,
        body: { error: { code: 'VALIDATION_ERROR', message: message ?? 'Invalid request.', details } },
        headers: {},
      };
    }
    if (typeof e.statusCode === 'number' && e.statusCode >= 400 && e.statusCode < 500) {
      const code = CODES_BY_STATUS[e.statusCode] ?? 'BAD_REQUEST';
      const text = message ?? STATUS_CODES[e.statusCode] ?? 'Bad request';
      return { statusCode: e.statusCode, body: { error: { code, message: text } }, headers: {} };
    }
  }
  return {
    statusCode: 500,
    body: { error: { code: INTERNAL_ERROR_CODE, message: INTERNAL_ERROR_MESSAGE } },
    headers: {},
  };
}

/**
 * Largest declared body still read to its end after it was refused with 413, in bytes. Why: Fastify closes
 * the connection of a refused body; closing a socket with unread bytes sends a reset, and a client still
 * sending loses the 413 (17 of 30 times for the 11.9 MB spec, API in its own process; 0 of 30 drained).
 * Reading and discarding is a copy out of the socket, paced by the client and ended by REQUEST_TIMEOUT_MS
 * like any upload; 64 MiB is 4x the default MAX_BODY_BYTES. A larger or undeclared body is closed on.
 */
const MAX_DRAINED_BODY_BYTES = 64 * 1024 * 1024;

/** Lets Node read a refused body to its end (keep-alive) instead of closing on it; see {@link MAX_DRAINED_BODY_BYTES}. */
function drainRefusedBody(request: FastifyRequest, reply: FastifyReply, statusCode: number): void {
  if (statusCode !== 413 || reply.getHeader('connection') !== 'close') return;
  const declared = Number(request.headers['content-length']);
  if (Number.isFinite(declared) && declared <= MAX_DRAINED_BODY_BYTES) reply.removeHeader('connection');
}

/** What a JSON route takes. Why a default: only routes with another body say what they take. */
const JSON_BODY_HINT = 'send application/json';

/**
 * What a route takes as a body, in words (`send image/png, image/jpeg or multipart/form-data with field
 * image`): its `config.acceptsBody`, else {@link JSON_BODY_HINT}.
 */
function acceptedBody(request: FastifyRequest): string {
  const config = request.routeOptions.config as { acceptsBody?: unknown } | undefined;
  return typeof config?.acceptsBody === 'string' ? config.acceptsBody : JSON_BODY_HINT;
}

/**
 * The message of a 415: the type given and what the route takes. The one wording, for Fastify's refusals
 * and a route's own.
 *
 * @param given - The request's `content-type` header.
 * @param accepted - What the route takes, e.g. `send image/png or image/jpeg`.
 */
export function unsupportedMediaTypeMessage(given: string | undefined, accepted: string): string {
  const type = (given ?? '').split(';')[0]!.trim().toLowerCase();
  return `content type "${type || 'none'}" is not supported: ${accepted}`;
}

/**
 * Fastify error handler: logs the error (5xx at `error` with the stack, 4xx at `info`) and sends
 * {@link toHttpError}'s answer.
 */
export function errorHandler(err: unknown, request: FastifyRequest, reply: FastifyReply): FastifyReply {
  const answer = toHttpError(err);
  if (answer.statusCode === 415 && !(err instanceof AppError)) {
    // Fastify refused the body before the route ran (no parser for its type): say what the route takes.
    answer.body.error.message = unsupportedMediaTypeMessage(
      request.headers['content-type'],
      acceptedBody(request),
    );
  }
  drainRefusedBody(request, reply, answer.statusCode);
  if (answer.statusCode >= 500) {
    request.log.error({ err }, 'request failed');
  } else {
    request.log.info({ code: answer.body.error.code, message: answer.body.error.message }, 'request refused');
  }
  return reply.code(answer.statusCode).headers(answer.headers).send(answer.body);
}

/**
 * The answer to a request Node's HTTP parser refused or that timed out before it was received.
 *
 * @param err - The error Node emitted with `clientError`.
 * @returns Status and body (`{ error: { code, message } }`).
 */
export function toClientErrorAnswer(err: ClientErrorLike): Omit<HttpError, 'headers'> {
  const status = (typeof err.code === 'string' ? CLIENT_ERROR_STATUS[err.code] : undefined) ?? 400;
  const reason = typeof err.reason === 'string' ? err.reason.slice(0, MAX_REASON_CHARS) : undefined;
  const message =
    status === 408
      ? 'The request was not received in time (HEADERS_TIMEOUT_MS for the headers, REQUEST_TIMEOUT_MS for the whole request).'
      : status === 431
        ? 'The request headers are too large.'
        : status === 413
          ? 'A chunk extension of the request body is too large.'
          : `The request is not valid HTTP/1.1${reason === undefined ? '' : ` (${reason})`}.`;
  return { statusCode: status, body: { error: { code: CODES_BY_STATUS[status]!, message } } };
}

/**
 * Fastify `clientErrorHandler` (Node's `clientError`): a request the HTTP parser refused (bad request line,
 * bad header, headers too large, ...) or one not received within the timeouts gets the standard error body
 * with {@link toClientErrorAnswer}'s status, and the connection is closed. Nothing is written when the
 * socket is gone or an answer has begun on it (Node's own rule: never corrupt a response in flight).
 * Logged at `info`: it is the client's fault. Fastify calls it with the app as `this`.
 *
 * @param err - The error Node emitted.
 * @param socket - The client's connection.
 */
export function clientErrorHandler(
  this: FastifyInstance,
  err: Error & ClientErrorLike,
  socket: Socket,
): void {
  if (err.code === 'ECONNRESET' || err.code === 'EPIPE' || socket.destroyed) return;
  const answer = toClientErrorAnswer(err);
  this.log.info({ code: err.code, statusCode: answer.statusCode }, 'client error');
  const inFlight = (socket as Socket & { _httpMessage?: { headersSent?: boolean } })._httpMessage;
  if (socket.writable && inFlight?.headersSent !== true) {
    const body = JSON.stringify(answer.body);
    socket.write(
      `HTTP/1.1 ${answer.statusCode} ${STATUS_CODES[answer.statusCode] ?? ''}\r\n` +
        `content-type: application/json; charset=utf-8\r\ncontent-length: ${Buffer.byteLength(body)}\r\n` +
        `connection: close\r\n\r\n${body}`,
    );
  }
  socket.destroy(err);
}

/** Fastify not-found handler: 404 `NOT_FOUND` naming the method and path (without the query string). */
export function notFoundHandler(request: FastifyRequest, reply: FastifyReply): FastifyReply {
  const pathOnly = request.url.split('?')[0] ?? request.url;
  const answer = toHttpError(new NotFoundError(`Route ${request.method} ${pathOnly} not found`));
  return reply.code(answer.statusCode).send(answer.body);
}

/**
 * Installs {@link errorHandler} and {@link notFoundHandler} on `app`. Call it on the root instance before
 * registering routes, so that every route and plugin shares them.
 *
 * @param app - The root Fastify instance.
 */
export function registerErrorHandlers(app: FastifyInstance): void {
  app.setErrorHandler(errorHandler);
  app.setNotFoundHandler(notFoundHandler);
}
