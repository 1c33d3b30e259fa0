/**
 * Seeded pseudo-random draws for the synthetic generator, built on the project's one PRNG
 * (`../seeded-random.ts`). Nothing in the generator calls `Math.random`: every draw comes from a
 * {@link SeededRandom} whose seed is derived from the user's seed and the scene index, so the same seed
 * always gives the same scenes, whatever order or process they are generated in.
 *
 * @packageDocumentation
 */
import { mix32, mulberry32 } from '../seeded-random.js';

/**
 * Combines several 32-bit integers into one seed; order matters, so `(seed, index)` and `(index, seed)`
 * differ.
 *
 * @param parts - Non-negative integers (only their low 32 bits count).
 * @returns A 32-bit unsigned seed.
 */
export function hashSeed(...parts: readonly number[]): number {
  // Why this constant: the 32-bit golden ratio, the usual increment that separates successive parts.
  let h = 0x9e3779b9;
  for (const part of parts) h = mix32((h ^ mix32(part >>> 0)) + 0x9e3779b9);
  return h;
}

/**
 * Hashes a string (e.g. a split name) to a 32-bit integer (FNV-1a), for use as a {@link hashSeed} part.
 *
 * @param text - Any string.
 * @returns A 32-bit unsigned integer.
 */
export function hashString(text: string): number {
  // Why these constants: the FNV-1a 32-bit offset basis and prime.
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

/**
 * The draws the scene layout needs (ranges, integers, chances, picks, forks), all taken from one
 * {@link mulberry32} stream.
 *
 * Its sequence depends only on the seed, on every platform.
 */
export class SeededRandom {
  /** The underlying uniform stream in [0, 1). */
  readonly next: () => number;

  /** @param seed - Any integer; only its low 32 bits count. */
  constructor(seed: number) {
    this.next = mulberry32(seed);
  }

  /** A uniform number in [min, max). */
  range(min: number, max: number): number {
    return min + (max - min) * this.next();
  }

  /** A uniform integer in [min, max] (both included). */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  /** True with probability `p`. */
  chance(p: number): boolean {
    return this.next() < p;
  }

  /** One element of a non-empty array, uniformly. */
  pick<T>(items: readonly T[]): T {
    const item = items[Math.floor(this.next() * items.length)];
    if (item === undefined) throw new RangeError('pick() needs a non-empty array');
    return item;
  }

  /** A fresh generator seeded from this one's next draw, so sub-tasks do not shift each other's draws. */
  fork(): SeededRandom {
    return new SeededRandom(mix32(Math.floor(this.next() * 4294967296)));
  }
}
