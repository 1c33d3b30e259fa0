/**
 * Seeded pseudo-random numbers for the input pipeline: the shuffle order and the flip decisions of an epoch
 * depend only on `(seed, epoch)`, never on timing, so a run can be repeated exactly.
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
 * Mixes a seed and an epoch into one 32-bit seed (murmur3's finaliser), so neighbouring epochs get unrelated
 * streams instead of shifted copies of one another.
 */
export function epochSeed(seed: number, epoch: number): number {
  let h = (Math.imul(seed >>> 0, 0x9e3779b1) ^ Math.imul(epoch >>> 0, 0x85ebca6b)) >>> 0;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
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
