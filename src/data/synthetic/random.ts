/**
 * Seeded pseudo-random numbers for the synthetic generator. Nothing in the generator calls `Math.random`:
 * every draw comes from a {@link SeededRandom} whose seed is derived from the user's seed and the scene
 * index, so the same seed always gives the same scenes, whatever order or process they are generated in.
 *
 * @packageDocumentation
 */

/**
 * Mixes a 32-bit integer into a well-scrambled 32-bit integer (the finaliser of MurmurHash3).
 * Why: consecutive seeds and scene indices (1, 2, 3, ...) must give unrelated streams.
 */
export function mix32(value: number): number {
  let h = value >>> 0;
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

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
 * A small, fast, seeded generator (mulberry32) with the draws the scene layout needs.
 *
 * Its sequence depends only on the seed, on every platform.
 */
export class SeededRandom {
  private state: number;

  /** @param seed - Any integer; only its low 32 bits count. */
  constructor(seed: number) {
    this.state = seed >>> 0;
  }

  /** A uniform number in [0, 1). */
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
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
