/**
 * The one pattern of job and model ids. A model's id is the id of the job that trained it, so both share
 * it; the API's path parameters are built from {@link ID_PATTERN} and the artifact store checks ids with
 * {@link assertWellFormedId} before it touches the disk.
 *
 * @packageDocumentation
 */
import { ValidationError } from '../errors.js';

/**
 * Job and model ids: generated UUIDs or user-safe slugs (e.g. `train-2024-01-01T00-00-00-000Z` from the
 * train CLI), up to 128 characters. Why a leading letter or digit: nothing that could walk out of the
 * models directory (`..`), hide a directory (`.x`) or read as a command-line option (`-x`). As a string,
 * so that TypeBox schemas (and the OpenAPI document) carry the same pattern.
 */
export const ID_PATTERN = '^[A-Za-z0-9][A-Za-z0-9_-]{0,127}$';

/** {@link ID_PATTERN}, compiled once. */
const ID_REGEX = new RegExp(ID_PATTERN);

/** Whether `id` matches {@link ID_PATTERN} (e.g. a directory of the model store that is a model). */
export function isWellFormedId(id: string): boolean {
  return ID_REGEX.test(id);
}

/**
 * Throws unless `id` matches {@link ID_PATTERN}.
 *
 * @param id - The id to check.
 * @param kind - What the id names, for the message (`model id must match ...`).
 * @throws {@link ValidationError} naming the pattern and the id given.
 */
export function assertWellFormedId(id: string, kind: 'job' | 'model'): void {
  if (!isWellFormedId(id)) throw new ValidationError(`${kind} id must match ${ID_PATTERN}, got "${id}"`);
}
