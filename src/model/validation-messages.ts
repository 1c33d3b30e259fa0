/**
 * Schema errors in words: what was expected at a path, as a client reads it. TypeBox's own messages
 * (`Expected union value`, `Expected required property`) name neither the field nor the values allowed;
 * these do: `is required: missing property "size" (a list of 2 integers from 32 to 2048)`, `expected one of
 * uncertainty, fixed, ..., got "kendall"`, `expected an integer from 1 to 1000, got 0`. A union of objects
 * told apart by a literal property (`kind`) is reported as the errors of the variant the value names.
 * Used by `validation-issues.ts` for every schema the API and the CLI check.
 *
 * @packageDocumentation
 */
import { Kind, type TSchema } from '@sinclair/typebox';
import { Value, ValueErrorType, type ValueError } from '@sinclair/typebox/value';
import type { ValidationIssue } from '../errors.js';
import { PRINTABLE_PATTERN } from './job-labels.js';

/** The string patterns of the project's schemas in words: "matching ^[^\\u0000-...]*$" reads badly. */
const PATTERN_WORDS: ReadonlyMap<string, string> = new Map([
  [PRINTABLE_PATTERN, 'without control characters'],
]);

/** How the message of a missing property starts. */
export const MISSING_PROPERTY = 'is required: missing property';

/** Longest rendering of a given value in a message. Why 40: enough to recognise it, never an echo of a body. */
const MAX_SHOWN_VALUE = 40;

/** Schema keywords this module reads. */
interface Keywords {
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  exclusiveMaximum?: number;
  minLength?: number;
  maxLength?: number;
  pattern?: string;
  minItems?: number;
  maxItems?: number;
  uniqueItems?: boolean;
  const?: unknown;
  anyOf?: TSchema[];
  items?: TSchema | TSchema[];
  properties?: Record<string, TSchema>;
}

/** The keywords of `schema`. */
function kw(schema: TSchema): Keywords {
  return schema as unknown as Keywords;
}

/** A value as a message shows it: JSON, cut to {@link MAX_SHOWN_VALUE} characters. */
export function showValue(value: unknown): string {
  if (value === undefined) return 'nothing';
  let text: string;
  try {
    text = JSON.stringify(value) ?? String(value);
  } catch {
    text = String(value);
  }
  return text.length <= MAX_SHOWN_VALUE ? text : `${text.slice(0, MAX_SHOWN_VALUE - 3)}...`;
}

/** A number's bounds in words: `from 1 to 64`, `greater than 0 and at most 1`, `of at least 0`, or ''. */
function bounds(k: Keywords): string {
  const low =
    k.exclusiveMinimum !== undefined
      ? `greater than ${k.exclusiveMinimum}`
      : k.minimum !== undefined
        ? `at least ${k.minimum}`
        : undefined;
  const high =
    k.exclusiveMaximum !== undefined
      ? `less than ${k.exclusiveMaximum}`
      : k.maximum !== undefined
        ? `at most ${k.maximum}`
        : undefined;
  if (k.minimum !== undefined && k.maximum !== undefined) return ` from ${k.minimum} to ${k.maximum}`;
  if (low !== undefined && high !== undefined) return ` ${low} and ${high}`;
  if (low !== undefined) return ` ${low}`;
  if (high !== undefined) return ` ${high}`;
  return '';
}

/** The literal values of a union of literals, or undefined when `schema` is not one. */
export function literalChoices(schema: TSchema): unknown[] | undefined {
  const variants = kw(schema).anyOf;
  if (variants === undefined || !variants.every((v) => v[Kind] === 'Literal')) return undefined;
  return variants.map((v) => kw(v).const);
}

/** `a, b or c`. */
function orList(items: readonly string[]): string {
  return items.length <= 1 ? (items[0] ?? '') : `${items.slice(0, -1).join(', ')} or ${items.at(-1)}`;
}

/**
 * What `schema` accepts, in words: `an integer from 1 to 64`, `one of adam, sgd`, `a list of 2 integers
 * from 32 to 2048`, `an object`, `"auto"`.
 */
export function describeSchema(schema: TSchema): string {
  const k = kw(schema);
  const choices = literalChoices(schema);
  if (choices !== undefined)
    return `one of ${choices.map((c) => (typeof c === 'string' ? c : showValue(c))).join(', ')}`;
  switch (schema[Kind]) {
    case 'Integer':
      return `an integer${bounds(k)}`;
    case 'Number':
      return `a number${bounds(k)}`;
    case 'Boolean':
      return 'true or false';
    case 'Literal':
      return showValue(k.const);
    case 'String': {
      const length =
        k.minLength !== undefined && k.maxLength !== undefined
          ? ` of ${k.minLength} to ${k.maxLength} characters`
          : k.maxLength !== undefined
            ? ` of at most ${k.maxLength} characters`
            : '';
      const words = k.pattern === undefined ? undefined : PATTERN_WORDS.get(k.pattern);
      const pattern =
        words !== undefined ? ` ${words}` : k.pattern !== undefined ? ` matching ${k.pattern}` : '';
      return `a string${length}${pattern}`;
    }
    case 'Tuple': {
      const items = Array.isArray(k.items) ? k.items.map(describeSchema) : [];
      const same = items.every((d) => d === items[0]);
      const plural = (d: string) => d.replace(/^an? (\w+)/, (_, noun: string) => `${noun}s`);
      return same && items[0] !== undefined
        ? `a list of ${items.length} ${plural(items[0])}`
        : `a list of ${items.length} items: ${items.join(', ')}`;
    }
    case 'Array': {
      const count =
        k.minItems !== undefined && k.maxItems !== undefined
          ? ` of ${k.minItems} to ${k.maxItems}`
          : k.minItems !== undefined
            ? ` of at least ${k.minItems}`
            : '';
      const item =
        k.items !== undefined && !Array.isArray(k.items) ? `, each ${describeSchema(k.items)}` : '';
      return `a list${count}${k.uniqueItems ? ' different' : ''} items${item}`;
    }
    case 'Object':
      return `an object with ${Object.keys(k.properties ?? {}).join(', ')}`;
    case 'Union':
      return orList((k.anyOf ?? []).map(describeSchema));
    case 'Record': {
      const most = (schema as { maxProperties?: number }).maxProperties;
      return `an object of key -> value pairs${most !== undefined ? ` (at most ${most})` : ''}`;
    }
    default:
      return 'a valid value';
  }
}

/** The literal property that tells the object variants of a union apart (`kind`), or undefined. */
function discriminator(variants: readonly TSchema[]): string | undefined {
  const first = variants[0];
  if (first === undefined || first[Kind] !== 'Object') return undefined;
  for (const [key, property] of Object.entries(kw(first).properties ?? {})) {
    if (property[Kind] !== 'Literal') continue;
    const tells = variants.every(
      (v) => v[Kind] === 'Object' && kw(v).properties?.[key]?.[Kind] === 'Literal',
    );
    if (tells) return key;
  }
  return undefined;
}

/** The issues of a union error: by the variant the value names, the literal choices, or every variant. */
function unionIssues(error: ValueError): ValidationIssue[] {
  const variants = kw(error.schema).anyOf ?? [];
  const choices = literalChoices(error.schema);
  if (choices !== undefined) {
    return [
      {
        path: error.path,
        message: `expected ${describeSchema(error.schema)}, got ${showValue(error.value)}`,
      },
    ];
  }
  const key = discriminator(variants);
  const value = error.value;
  if (key !== undefined && typeof value === 'object' && value !== null && !Array.isArray(value)) {
    const tags = variants.map((v) => kw(kw(v).properties![key]!).const);
    const given = (value as Record<string, unknown>)[key];
    const index = tags.indexOf(given);
    const variant = variants[index];
    if (variant !== undefined) {
      // Why again, with the variant's defaults: a union applies no defaults to a value that matches none of
      // its variants, so a field with a default would be reported missing.
      const defaulted = Value.Default(variant, Value.Clone(value)) as unknown;
      return [...Value.Errors(variant, defaulted)]
        .flatMap(describeValueError)
        .map((issue) => ({ path: `${error.path}${issue.path}`, message: issue.message }));
    }
    const names = tags.map((t) => String(t)).join(', ');
    return [
      {
        path: `${error.path}/${key}`,
        message:
          given === undefined
            ? `${MISSING_PROPERTY} "${key}" (one of ${names})`
            : `expected one of ${names}, got ${showValue(given)}`,
      },
    ];
  }
  return [{ path: error.path, message: `expected ${describeSchema(error.schema)}, got ${showValue(value)}` }];
}

/** The last segment of a JSON pointer (the property name). */
function lastSegment(path: string): string {
  return (path.split('/').at(-1) ?? '').replace(/~1/g, '/').replace(/~0/g, '~');
}

/**
 * One TypeBox error in words, as issues (a union of object variants may give several: those of the
 * variant the value names).
 */
export function describeValueError(error: ValueError): ValidationIssue[] {
  const { path, schema, value } = error;
  const expected = (): ValidationIssue[] => [
    { path, message: `expected ${describeSchema(schema)}, got ${showValue(value)}` },
  ];
  switch (error.type) {
    case ValueErrorType.ObjectRequiredProperty:
      return [
        {
          path,
          message: `${MISSING_PROPERTY} "${lastSegment(path)}" (${describeSchema(schema)})`,
        },
      ];
    case ValueErrorType.ObjectAdditionalProperties: {
      const known = Object.keys(kw(schema).properties ?? {});
      return [
        {
          path,
          message: `is not a known property${known.length > 0 ? ` (expected one of ${known.join(', ')})` : ''}`,
        },
      ];
    }
    case ValueErrorType.Union:
      return unionIssues(error);
    case ValueErrorType.ArrayUniqueItems:
      return [{ path, message: `has repeated items (expected ${describeSchema(schema)})` }];
    case ValueErrorType.ArrayMinItems:
    case ValueErrorType.ArrayMaxItems:
      return [
        {
          path,
          message: `expected ${describeSchema(schema)}, got ${Array.isArray(value) ? value.length : 0} items`,
        },
      ];
    case ValueErrorType.TupleLength:
      return [
        {
          path,
          message: `expected ${describeSchema(schema)}, got ${Array.isArray(value) ? `${value.length} items` : showValue(value)}`,
        },
      ];
    case ValueErrorType.Integer:
    case ValueErrorType.IntegerMinimum:
    case ValueErrorType.IntegerMaximum:
    case ValueErrorType.IntegerExclusiveMinimum:
    case ValueErrorType.IntegerExclusiveMaximum:
    case ValueErrorType.Number:
    case ValueErrorType.NumberMinimum:
    case ValueErrorType.NumberMaximum:
    case ValueErrorType.NumberExclusiveMinimum:
    case ValueErrorType.NumberExclusiveMaximum:
    case ValueErrorType.Literal:
    case ValueErrorType.String:
    case ValueErrorType.StringMinLength:
    case ValueErrorType.StringMaxLength:
    case ValueErrorType.StringPattern:
    case ValueErrorType.Boolean:
    case ValueErrorType.Object:
    case ValueErrorType.Array:
    case ValueErrorType.Tuple:
      return expected();
    default:
      return [{ path, message: error.message }];
  }
}
