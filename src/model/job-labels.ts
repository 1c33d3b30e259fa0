/**
 * A training job's `name` and `labels`: what a person or a calling service tags a job with to find it (and
 * the model it produces) again. Bounded, so that a job record and a list filter stay small.
 *
 * @packageDocumentation
 */
import { Type, type Static } from '@sinclair/typebox';
import type { ValidationIssue } from '../errors.js';

/** Longest name, in characters. Why 128: a title, not a description; it stays readable in a list row. */
export const MAX_NAME_LENGTH = 128;

/** Most labels on one job. Why 16: enough to tag project, owner, dataset, experiment...; a list row stays small. */
export const MAX_LABELS = 16;

/** Longest label key. Why 63: the common bound of label keys (Kubernetes' name part), so keys carry over. */
export const MAX_LABEL_KEY_LENGTH = 63;

/** Longest label value. Why 128: a value is a tag (a commit, a branch, a run name), not a document. */
export const MAX_LABEL_VALUE_LENGTH = 128;

/** What a label key may be: a letter or digit, then letters, digits, `.`, `_`, `-` or `/`. */
export const LABEL_KEY_PATTERN = `^[A-Za-z0-9][A-Za-z0-9._/-]{0,${MAX_LABEL_KEY_LENGTH - 1}}$`;

/** Text without control characters. Why: names and labels end up in logs and terminals. */
export const PRINTABLE_PATTERN = '^[^\\u0000-\\u001f\\u007f]*$';

/** A label key and what it may be, in words (for the messages). */
const LABEL_KEY_RULE = `1 to ${MAX_LABEL_KEY_LENGTH} letters, digits, ".", "_", "-" or "/", starting with a letter or digit`;

/** The optional name of a job. */
export const JobNameSchema = Type.String({
  minLength: 1,
  maxLength: MAX_NAME_LENGTH,
  pattern: PRINTABLE_PATTERN,
  description: `A name for the job and its model, 1 to ${MAX_NAME_LENGTH} characters (no control characters); filter lists with ?name=.`,
});

/** The labels of a job: a map of string keys to string values. */
export const JobLabelsSchema = Type.Record(
  Type.String(),
  Type.String({
    maxLength: MAX_LABEL_VALUE_LENGTH,
    pattern: PRINTABLE_PATTERN,
  }),
  {
    maxProperties: MAX_LABELS,
    description: `Up to ${MAX_LABELS} labels, key -> value, copied to the model; keys are ${LABEL_KEY_RULE}; values at most ${MAX_LABEL_VALUE_LENGTH} characters. Filter lists with ?label=key:value.`,
  },
);

/** The labels of a job. */
export type JobLabels = Static<typeof JobLabelsSchema>;

const labelKey = new RegExp(LABEL_KEY_PATTERN);

/**
 * The label keys that break {@link LABEL_KEY_PATTERN}, as issues at `/labels/{key}` (the schema bounds count
 * and values; its record type cannot say what a key may be in words).
 *
 * @param labels - Schema-checked labels, if any.
 */
export function labelKeyIssues(labels: JobLabels | undefined): ValidationIssue[] {
  return Object.keys(labels ?? {})
    .filter((key) => !labelKey.test(key))
    .map((key) => ({
      path: `/labels/${key.replaceAll('~', '~0').replaceAll('/', '~1')}`,
      message: `label key "${key.slice(0, MAX_LABEL_KEY_LENGTH + 1)}" is invalid: use ${LABEL_KEY_RULE}`,
    }));
}

/** One `?label=key:value` filter. */
export interface LabelFilter {
  key: string;
  value: string;
}

/** What a `?label=` filter may be: a key, a colon, and a value (which may contain colons). */
export const LABEL_FILTER_PATTERN = `${LABEL_KEY_PATTERN.slice(0, -1)}:[^\\u0000-\\u001f\\u007f]{0,${MAX_LABEL_VALUE_LENGTH}}$`;

/** Parses a schema-checked `key:value` filter (the value is everything after the first colon). */
export function parseLabelFilter(text: string): LabelFilter {
  const colon = text.indexOf(':');
  return { key: text.slice(0, colon), value: text.slice(colon + 1) };
}

/** Whether a job or model with `name` and `labels` passes the filters. */
export function matchesFilters(
  subject: { name?: string | undefined; labels?: JobLabels | undefined },
  filters: { name?: string | undefined; labels?: readonly LabelFilter[] | undefined },
): boolean {
  if (filters.name !== undefined && subject.name !== filters.name) return false;
  const labels = subject.labels ?? {};
  return (filters.labels ?? []).every(
    ({ key, value }) => Object.hasOwn(labels, key) && labels[key] === value,
  );
}
