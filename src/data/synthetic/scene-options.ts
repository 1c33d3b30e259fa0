/**
 * Validation of the generator's options, with errors that name the field.
 *
 * @packageDocumentation
 */
import { ValidationError } from '../../errors.js';

/**
 * Largest image side the generator renders, pixels. Why CityScapes' own 2048-pixel width: the nearest
 * visible surfaces (about 3 m away, a car beside the camera) then have disparities below 160 px, inside the
 * 256 px a 16-bit CityScapes disparity PNG can hold; at twice the width they could overflow it.
 */
export const MAX_SCENE_SIDE = 2048;

/** Largest seed or scene index: they are 32-bit unsigned integers. */
export const MAX_SEED = 0xffffffff;

/** Throws a {@link ValidationError} unless `value` is an integer in [min, max]. */
export function assertIntegerOption(field: string, value: unknown, min: number, max: number): void {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    const given = JSON.stringify(value) ?? String(value);
    const message = `${field} must be an integer from ${min} to ${max}, got ${given}`;
    throw new ValidationError(message, [
      { path: field, message: `expected an integer from ${min} to ${max}` },
    ]);
  }
}

/** Throws unless width and height are valid image sizes for the generator. */
export function assertSceneSize(width: unknown, height: unknown): void {
  assertIntegerOption('width', width, 1, MAX_SCENE_SIDE);
  assertIntegerOption('height', height, 1, MAX_SCENE_SIDE);
}

/** Most scenes in one dataset. Why: scene names carry the index in six digits, as CityScapes' do. */
export const MAX_SCENES = 1_000_000;

/**
 * Parses an image size written `HEIGHTxWIDTH` (e.g. `128x256`), the order the training API's `size`
 * (`[height, width]`) uses.
 *
 * @throws {@link ValidationError} when the text is not two positive integers joined by `x`, or a side is
 *   larger than {@link MAX_SCENE_SIDE}.
 */
export function parseSceneSize(text: string, field = 'size'): { width: number; height: number } {
  const match = /^(\d{1,5})x(\d{1,5})$/.exec(text.trim());
  const height = match === null ? NaN : Number(match[1]);
  const width = match === null ? NaN : Number(match[2]);
  if (!(height >= 1 && height <= MAX_SCENE_SIDE && width >= 1 && width <= MAX_SCENE_SIDE)) {
    const expected = `HEIGHTxWIDTH with sides from 1 to ${MAX_SCENE_SIDE}, e.g. 128x256`;
    throw new ValidationError(`${field} must be ${expected}, got ${JSON.stringify(text)}`, [
      { path: field, message: `expected ${expected}` },
    ]);
  }
  return { width, height };
}

/**
 * Split names accepted: lowercase letters, digits and hyphens, starting with a letter. Why: the split is a
 * directory name in the layout, and must not be able to climb out of the dataset (`..`, `/`).
 */
export const SPLIT_PATTERN = /^[a-z][a-z0-9-]{0,31}$/;

/** Throws a {@link ValidationError} unless `split` matches {@link SPLIT_PATTERN}. */
export function assertSplit(split: unknown): asserts split is string {
  if (typeof split !== 'string' || !SPLIT_PATTERN.test(split)) {
    const expected = 'a split name of lowercase letters, digits and hyphens (e.g. train, val, test)';
    throw new ValidationError(`split must be ${expected}, got ${JSON.stringify(split) ?? String(split)}`, [
      { path: 'split', message: `expected ${expected}` },
    ]);
  }
}
