/**
 * Error and not-found handling for the whole API: every failure is answered with
 * `{ "error": { "code", "message", "details"? } }` and the right status, and a 5xx never leaks internals.
 *
 * @packageDocumentation
 */
import { STATUS_CODES } from 'node:http';
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
};

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
 * Fastify error handler: logs the error (5xx at `error` with the stack, 4xx at `info`) and sends
 * {@link toHttpError}'s answer.
 */
export function errorHandler(err: unknown, request: FastifyRequest, reply: FastifyReply): FastifyReply {
  const answer = toHttpError(err);
  if (answer.statusCode >= 500) {
    request.log.error({ err }, 'request failed');
  } else {
    request.log.info({ code: answer.body.error.code, message: answer.body.error.message }, 'request refused');
  }
  return reply.code(answer.statusCode).headers(answer.headers).send(answer.body);
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
