/**
 * The validator of every route schema (querystring, params, headers, body), in place of Fastify's Ajv.
 *
 * Why not Ajv: with Fastify's `coerceTypes`, Ajv turns the text `Infinity` (or `1e400`) into the number
 * Infinity, then skips `minimum`/`maximum` for a non-finite number, so `?limit=Infinity` reached Redis
 * and came back a 500. Here text becomes a number only when it is a finite decimal, and TypeBox's check
 * accepts finite numbers only, so a non-finite value is a 400 naming the parameter. It also lists every
 * problem (capped), where Ajv stops at the first. A string `format` in a request schema must be registered
 * in TypeBox's `FormatRegistry` (none is used today), or every value fails it.
 *
 * @packageDocumentation
 */
import { Kind, type TSchema } from '@sinclair/typebox';
import { TypeCompiler } from '@sinclair/typebox/compiler';
import { Value } from '@sinclair/typebox/value';
import { ValidationError } from '../errors.js';
import { toValidationError, toValidationIssues } from '../model/validation-issues.js';

/** What Fastify hands a validator compiler. */
export interface ValidatorRouteSchema {
  /** The schema of one part of the request. */
  schema: unknown;
  /** `body`, `querystring`, `params` or `headers`. */
  httpPart?: string | undefined;
}

/** What a compiled validator returns to Fastify: the value to use, or the error to answer. */
export type ValidationResult = { value: unknown } | { error: Error };

/**
 * A number written in decimal: digits with an optional fraction and exponent. Why strict: `Number()` also
 * reads `Infinity`, `0x10`, `''` and ` 5`, and TypeBox's own conversion reads `1e2` as 1 (`parseInt`).
 */
const DECIMAL = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;

/** Request parts that arrive as text (from the URL or headers) and are converted before the check. */
const TEXT_PARTS: ReadonlySet<string> = new Set(['querystring', 'params', 'headers']);

/**
 * `text` as the type `schema` expects, when it clearly is one: a finite decimal for a number or an integer
 * (`Infinity`, `1e400` and `NaN` stay text), `true`/`false` for a boolean. Anything else is returned as it
 * is, so that the check names it.
 */
function convertText(schema: TSchema, text: string): unknown {
  switch (schema[Kind]) {
    case 'Number':
    case 'Integer': {
      if (!DECIMAL.test(text)) return text;
      const value = Number(text);
      return Number.isFinite(value) ? value : text;
    }
    case 'Boolean':
      return text === 'true' ? true : text === 'false' ? false : text;
    case 'Array':
      // A parameter that may repeat (`?label=a:1&label=b:2`) arrives as one text when given once.
      return [text];
    default:
      return text;
  }
}

/** A copy of `data` (an object of a text part) with each text property converted for its schema. */
function convertTextPart(schema: TSchema, data: unknown): unknown {
  if (typeof data !== 'object' || data === null) return data;
  const properties = (schema as { properties?: Record<string, TSchema> }).properties ?? {};
  // Why fromEntries and hasOwn: a parameter named `__proto__` or `constructor` stays a plain property.
  return Object.fromEntries(
    Object.entries(data).map(([key, value]) => {
      const property = Object.hasOwn(properties, key) ? properties[key] : undefined;
      return [
        key,
        property !== undefined && typeof value === 'string' ? convertText(property, value) : value,
      ];
    }),
  );
}

/**
 * The error to answer when checking itself failed: a value nested so deeply that the recursive check overflowed
 * the stack (a body of `[[[[...` well inside the body limit). Why a 400: only a client sends that.
 */
export function uncheckableValueError(part: string, err: unknown): ValidationError {
  const why = err instanceof RangeError ? 'it is nested too deeply' : 'it could not be read';
  return new ValidationError(`invalid ${part}: ${why}`, [{ path: `/${part}`, message: why }]);
}

/**
 * Fastify validator compiler for TypeBox schemas: converts text parts, applies defaults, checks, and
 * answers a {@link ValidationError} (400 `VALIDATION_ERROR`) whose details name every invalid field below
 * the part (`/querystring/limit`). Install it with `app.setValidatorCompiler` before routes are added.
 *
 * @param route - The schema and the part it validates.
 * @returns The validator of that part.
 * @throws Error at route registration when the schema is not a TypeBox schema.
 */
export function requestValidatorCompiler({
  schema,
  httpPart,
}: ValidatorRouteSchema): (data: unknown) => ValidationResult {
  const typed = schema as TSchema;
  if (typeof typed !== 'object' || typed === null || !(Kind in typed)) {
    throw new Error(`route schemas must be TypeBox schemas (the ${httpPart ?? 'request'} schema is not)`);
  }
  const part = httpPart ?? 'request';
  const check = TypeCompiler.Compile(typed);
  const text = TEXT_PARTS.has(part);
  return (data: unknown) => {
    try {
      const given = text ? convertTextPart(typed, data ?? {}) : Value.Clone(data);
      const value = Value.Default(typed, given);
      if (check.Check(value)) return { value };
      return { error: toValidationError(part, toValidationIssues(check.Errors(value), `/${part}`)) };
    } catch (err) {
      // Why catch: Fastify answers a validator that throws with a 500.
      return { error: uncheckableValueError(part, err) };
    }
  };
}
