/**
 * The project's one seeded pseudo-random generator (mulberry32) and seed mixing. The input pipeline draws
 * its shuffle order and flip decisions from it (they depend only on `(seed, epoch)`, never on timing, so a
 * run can be repeated exactly); the synthetic generator builds its draws on it (`synthetic/random.ts`).
 *
 * @packageDocumentation
 */

/**
 * mulberry32: a small, fast 32-bit PRNG with good statistics for shuffling. Returns numbers in [0, 1).
 *
 * @param seed - Any integer (only the low 32 bits are used).
 */
export function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Mixes a 32-bit integer into a well-scrambled 32-bit integer (the finaliser of MurmurHash3).
 * Why: consecutive seeds (1, 2, 3, ...) must give unrelated streams.
 */
export function mix32(value: number): number {
  let h = value >>> 0;
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

/**
 * Mixes a seed and an epoch into one 32-bit seed ({@link mix32} of the two, each multiplied by an odd
 * constant), so neighbouring epochs get unrelated streams instead of shifted copies of one another.
 */
export function epochSeed(seed: number, epoch: number): number {
  return mix32(Math.imul(seed >>> 0, 0x9e3779b1) ^ Math.imul(epoch >>> 0, 0x85ebca6b));
}

/**
 * A uniformly random permutation of `0 .. n-1` (Fisher-Yates) drawn from `random`.
 */
export function permutation(n: number, random: () => number): Uint32Array {
  const order = new Uint32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    const t = order[i]!;
    order[i] = order[j]!;
    order[j] = t;
  }
  return order;
}
