/**
 * Validators shared by post-processing and metrics. Each one names the offending field in the message and
 * in the {@link ValidationError} details, so that a caller passing a wrong array or option learns which.
 */
import { ValidationError } from '../../errors.js';

/** Throws a {@link ValidationError} about one field. */
export function invalid(field: string, message: string): never {
  throw new ValidationError(`${field} ${message}`, [{ path: field, message }]);
}

/**
 * Checks that `value` is an integer in `[min, max]`.
 *
 * @param field - Name of the field, used in the message.
 */
export function assertInteger(
  field: string,
  value: number,
  min: number,
  max = Number.MAX_SAFE_INTEGER,
): void {
  if (!Number.isInteger(value) || value < min || value > max) {
    invalid(field, `must be an integer from ${min} to ${max}, got ${String(value)}`);
  }
}

/**
 * Checks that `value` is a finite number greater than zero.
 *
 * @param field - Name of the field, used in the message.
 */
export function assertPositive(field: string, value: number): void {
  if (!Number.isFinite(value) || value <= 0)
    invalid(field, `must be a finite number > 0, got ${String(value)}`);
}

/**
 * Checks that `value` is a finite number in `[min, max]`.
 *
 * @param field - Name of the field, used in the message.
 */
export function assertInRange(field: string, value: number, min: number, max: number): void {
  if (!Number.isFinite(value) || value < min || value > max) {
    invalid(field, `must be a number from ${min} to ${max}, got ${String(value)}`);
  }
}

/**
 * Checks an image size and returns its pixel count.
 *
 * @param height - Rows, an integer >= 1.
 * @param width - Columns, an integer >= 1.
 * @returns `height * width`.
 */
export function assertImageSize(height: number, width: number): number {
  assertInteger('height', height, 1);
  assertInteger('width', width, 1);
  return height * width;
}

/**
 * Checks that an array holds exactly `expected` values.
 *
 * @param field - Name of the array, used in the message.
 * @param array - The array.
 * @param expected - Required length.
 * @param shape - How the length comes about, e.g. `"height * width * 2"`, for the message.
 */
export function assertLength(
  field: string,
  array: ArrayLike<unknown>,
  expected: number,
  shape?: string,
): void {
  if (array.length !== expected) {
    const why = shape === undefined ? '' : ` (${shape})`;
    invalid(field, `must have ${expected} values${why}, got ${array.length}`);
  }
}

/**
 * Checks a list of thing train ids (integers 0..254, no duplicates) and returns a 256-entry lookup table:
 * `table[trainId] === 1` for things. 255 is the ignore label and can never be a thing.
 *
 * @param field - Name of the list, used in the message.
 */
export function thingLookup(field: string, thingTrainIds: readonly number[]): Uint8Array {
  const table = new Uint8Array(256);
  thingTrainIds.forEach((id, i) => {
    assertInteger(`${field}[${i}]`, id, 0, 254);
    if (table[id] === 1) invalid(`${field}[${i}]`, `repeats train id ${id}`);
    table[id] = 1;
  });
  return table;
}

/**
 * Checks an sRGB colour: three integers 0..255.
 *
 * @param field - Name of the colour, used in the message (e.g. `palette[3]`).
 */
export function assertRgb(field: string, colour: readonly number[]): void {
  if (colour.length !== 3 || !colour.every((v) => Number.isInteger(v) && v >= 0 && v <= 255)) {
    invalid(field, `must be [r, g, b] with integers 0..255, got ${JSON.stringify(colour)}`);
  }
}
