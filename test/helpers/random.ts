import { mulberry32 } from '../../src/data/seeded-random.js';
/** The project's seeded PRNG (mulberry32), so tests draw the same inputs on every run and backend. */
export { mulberry32 as seededRandom } from '../../src/data/seeded-random.js';

/** `size` uniform values in [-1, 1) from {@link seededRandom}. */
export function randomValues(size: number, seed: number): Float32Array {
  const next = mulberry32(seed);
  const out = new Float32Array(size);
  for (let i = 0; i < size; i++) out[i] = next() * 2 - 1;
  return out;
}

/**
 * Largest absolute difference divided by the largest reference magnitude: an element-wise relative
 * error would be dominated by reference values that happen to be near zero after cancellation.
 */
export function maxRelativeError(actual: ArrayLike<number>, expected: ArrayLike<number>): number {
  if (actual.length !== expected.length) throw new Error(`length ${actual.length} != ${expected.length}`);
  let maxDiff = 0;
  let maxRef = 0;
  for (let i = 0; i < expected.length; i++) {
    maxDiff = Math.max(maxDiff, Math.abs(actual[i]! - expected[i]!));
    maxRef = Math.max(maxRef, Math.abs(expected[i]!));
  }
  return maxRef === 0 ? maxDiff : maxDiff / maxRef;
}
