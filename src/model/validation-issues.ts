/**
 * The one way schema errors become the API's issue list, the `details` of a {@link ValidationError}:
 * `{ path, message }[]`, with `path` a JSON pointer below the request part (`/body/training/epochs`) or
 * below the spec (`/training/epochs`, `/` for the whole value). Whoever found the problem uses it: the
 * training-spec parser and the submit route (TypeBox's `Value.Errors`), the API's error handler (Ajv's
 * errors from Fastify's route schemas), and rules no schema can express. A library module, like the spec
 * parser: the CLI uses it too.
 *
 * Lists are capped: at most {@link MAX_LISTED_ISSUES} issues, then one summary issue that counts the rest,
 * and every path and message at most {@link MAX_ISSUE_TEXT} characters. Why: a hostile body (a spec with a
 * million unknown fields) would otherwise get an error body many times its own size, built on the event loop.
 *
 * @packageDocumentation
 */
import type { ValueError } from '@sinclair/typebox/value';
import { ValidationError, type ValidationIssue } from '../errors.js';
import { describeValueError, MISSING_PROPERTY } from './validation-messages.js';

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
 * Most issues listed one by one. Why 10: an invalid spec usually has one to three problems, and ten show a
 * client that the rest are alike. With {@link MAX_ISSUE_TEXT} it bounds an error body: 11 issues, each path
 * and message written twice (in `details` and in the message), 200 characters of at most 6 bytes each in
 * JSON (`\u0000`) is 53 KB in the worst case, under the 64 KB an error answer may take; about 1 KB usually.
 */
export const MAX_LISTED_ISSUES = 10;

/**
 * Longest path or message of one issue, in characters; longer ones are cut and end with `...`. Why 200: the
 * longest path of a valid spec is under 40 characters and every message this service writes is shorter,
 * so only a hostile value (an unknown field named with kilobytes of text) is cut, and it is not echoed back.
 */
export const MAX_ISSUE_TEXT = 200;

/** What a cut text ends with. */
const ELLIPSIS = '...';

/** `text` cut to {@link MAX_ISSUE_TEXT} characters. */
function clip(text: string): string {
  return text.length <= MAX_ISSUE_TEXT
    ? text
    : `${text.slice(0, MAX_ISSUE_TEXT - ELLIPSIS.length)}${ELLIPSIS}`;
}

/** The issue that stands for `count` issues left out of a list, placed at `path` (the validated value). */
function summaryIssue(path: string, count: number): ValidationIssue {
  return { path, message: `${count} more issues not listed (the first ${MAX_LISTED_ISSUES} are)` };
}

/**
 * The first issues of `issues`, capped: all of them when there are at most {@link MAX_LISTED_ISSUES} + 1,
 * else the first {@link MAX_LISTED_ISSUES} and one summary issue (at `summaryPath`) counting the rest; paths
 * and messages cut to {@link MAX_ISSUE_TEXT}. Capping a capped list changes nothing, so every function
 * here can cap what it is given. The iterable is read to its end (to count), but only the listed issues
 * are kept.
 *
 * @param issues - Issues, in order (an array or a lazy iterable).
 * @param summaryPath - Where the summary issue points: the validated value, e.g. `/body` (default `/`).
 */
export function capIssues(issues: Iterable<ValidationIssue>, summaryPath = '/'): ValidationIssue[] {
  const kept: ValidationIssue[] = [];
  let total = 0;
  for (const issue of issues) {
    if (total <= MAX_LISTED_ISSUES) kept.push({ path: clip(issue.path), message: clip(issue.message) });
    total++;
  }
  if (total <= MAX_LISTED_ISSUES + 1) return kept;
  return [...kept.slice(0, MAX_LISTED_ISSUES), summaryIssue(summaryPath, total - MAX_LISTED_ISSUES)];
}

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

/** One Ajv error as an issue below `prefix`. */
function toIssue(error: AjvErrorLike, prefix: string): ValidationIssue {
  const missing = error.params?.missingProperty;
  const field = typeof missing === 'string' ? `/${missing}` : '';
  return {
    path: issuePath(prefix, `${error.instancePath ?? ''}${field}`),
    message: error.message ?? NO_MESSAGE,
  };
}

/**
 * `errors` as issues, lazily (so that {@link capIssues} keeps only the listed ones): TypeBox's in words
 * ({@link describeValueError}), Ajv's as Ajv words them; one issue per path and message (an integer out of
 * range is one TypeBox error per broken keyword, one sentence here).
 */
function* issuesFrom(errors: Iterable<SchemaError>, prefix: string): Generator<ValidationIssue> {
  const seen = new Set<string>();
  // A missing property is one issue: the type error TypeBox adds for the same (absent) value is dropped.
  const missing = new Set<string>();
  for (const error of errors) {
    const issues =
      'path' in error
        ? describeValueError(error).map((i) => ({ path: issuePath(prefix, i.path), message: i.message }))
        : [toIssue(error, prefix)];
    for (const issue of issues) {
      const key = `${issue.path}\u0000${issue.message}`;
      if (seen.has(key) || missing.has(issue.path)) continue;
      seen.add(key);
      if (issue.message.startsWith(MISSING_PROPERTY)) missing.add(issue.path);
      yield issue;
    }
  }
}

/**
 * Turns schema errors into issues, capped as {@link capIssues} does.
 *
 * @param errors - TypeBox's `Value.Errors(...)` or Fastify's `error.validation`.
 * @param prefix - Where the validated value sits, e.g. `/querystring`; `''` for none.
 * @returns One issue per error, in the validator's order, at most {@link MAX_LISTED_ISSUES} and a summary.
 */
export function toValidationIssues(errors: Iterable<SchemaError>, prefix = ''): ValidationIssue[] {
  return capIssues(issuesFrom(errors, prefix), issuePath(prefix, ''));
}

/**
 * The same issues placed below `prefix` (e.g. a spec's issues as a request body's: `/body/training`).
 *
 * @param issues - Issues with paths relative to the value.
 * @param prefix - Where the value sits.
 */
export function prefixIssues(issues: readonly ValidationIssue[], prefix: string): ValidationIssue[] {
  return capIssues(
    issues.map(({ path, message }) => ({ path: issuePath(prefix, path), message })),
    issuePath(prefix, ''),
  );
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
 * >= 4; /training/epochs ...`. Both the message and the details are capped ({@link capIssues}).
 *
 * @param subject - What was validated, e.g. `training spec`, `headers`.
 * @param issues - At least one issue.
 */
export function toValidationError(subject: string, issues: readonly ValidationIssue[]): ValidationError {
  const listed = capIssues(issues);
  const list = listed.map((issue) => `${issue.path} ${issue.message}`).join('; ');
  return new ValidationError(`invalid ${subject}: ${list}`, listed);
}
