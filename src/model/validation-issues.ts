/**
 * The one way schema errors become the API's issue list, the `details` of a {@link ValidationError}:
 * `{ path, message }[]`, with `path` a JSON pointer below the request part (`/body/training/epochs`) or
 * below the spec (`/training/epochs`, `/` for the whole value). Whoever found the problem uses it: the
 * training-spec parser and the submit route (TypeBox's `Value.Errors`), the API's error handler (Ajv's
 * errors from Fastify's route schemas), and rules no schema can express. A library module, like the spec
 * parser: the CLI uses it too.
 *
 * @packageDocumentation
 */
import type { ValueError } from '@sinclair/typebox/value';
import { ValidationError, type ValidationIssue } from '../errors.js';

/**
 * One Ajv error, as Fastify hands it over in `error.validation`: the path of the value that failed and,
 * for a missing property, its name in `params.missingProperty` (the path is then the parent's).
 */
export interface AjvErrorLike {
  instancePath?: string;
  message?: string;
  params?: Record<string, unknown>;
}

/** One schema error, as TypeBox (`Value.Errors`) or Ajv reports it. */
export type SchemaError = ValueError | AjvErrorLike;

/** Message of an error that comes without one. Why this text: it reads after the path (`/body/x is invalid`). */
const NO_MESSAGE = 'is invalid';

/**
 * The path of a value at `pointer` below `prefix`: `pointer` `''` or `'/'` (the whole value) is `prefix`
 * itself, and an empty result is `'/'`.
 *
 * @param prefix - e.g. `/body`, or `''` for none.
 * @param pointer - A JSON pointer below it, e.g. `/training/epochs`.
 */
export function issuePath(prefix: string, pointer: string): string {
  const path = `${prefix}${pointer === '/' ? '' : pointer}`;
  return path === '' ? '/' : path;
}

/**
 * Turns schema errors into issues.
 *
 * @param errors - TypeBox's `Value.Errors(...)` or Fastify's `error.validation`.
 * @param prefix - Where the validated value sits, e.g. `/querystring`; `''` for none.
 * @returns One issue per error, in the validator's order.
 */
export function toValidationIssues(errors: Iterable<SchemaError>, prefix = ''): ValidationIssue[] {
  return [...errors].map((error) => {
    if ('path' in error) return { path: issuePath(prefix, error.path), message: error.message };
    const missing = error.params?.missingProperty;
    const field = typeof missing === 'string' ? `/${missing}` : '';
    return {
      path: issuePath(prefix, `${error.instancePath ?? ''}${field}`),
      message: error.message ?? NO_MESSAGE,
    };
  });
}

/**
 * The same issues placed below `prefix` (e.g. a spec's issues as a request body's: `/body/training`).
 *
 * @param issues - Issues with paths relative to the value.
 * @param prefix - Where the value sits.
 */
export function prefixIssues(issues: readonly ValidationIssue[], prefix: string): ValidationIssue[] {
  return issues.map(({ path, message }) => ({ path: issuePath(prefix, path), message }));
}

/** The issues a {@link ValidationError} carries (none when its details are not an issue list). */
export function issuesOf(error: ValidationError): ValidationIssue[] {
  const details: unknown = error.details;
  if (!Array.isArray(details)) return [];
  return details.filter(
    (d: unknown): d is ValidationIssue =>
      typeof d === 'object' &&
      d !== null &&
      typeof (d as ValidationIssue).path === 'string' &&
      typeof (d as ValidationIssue).message === 'string',
  );
}

/**
 * The error to throw for `issues`, its message naming each: `invalid training spec: /model/width must be
 * >= 4; /training/epochs ...`.
 *
 * @param subject - What was validated, e.g. `training spec`, `headers`.
 * @param issues - At least one issue.
 */
export function toValidationError(subject: string, issues: readonly ValidationIssue[]): ValidationError {
  const list = issues.map((issue) => `${issue.path} ${issue.message}`).join('; ');
  return new ValidationError(`invalid ${subject}: ${list}`, issues);
}
