/**
 * Smallest, largest and median of the positive finite values of a float32 map that is produced row by
 * row, without holding the map or sorting it: an exact two-pass radix selection on the float bits.
 */

/** Calls `visit` with every row of a map, in order (rows may share one buffer). */
export type RowSource = (visit: (row: Float32Array) => void) => void;

/** What {@link positiveStats} reports; all 0 when no value is positive and finite. */
export interface PositiveStats {
  count: number;
  min: number;
  max: number;
  /** The value at index `count >> 1` of the ascending sort (the upper median). */
  median: number;
}

/** Bits of +Infinity. Why: a positive float32 is finite and non-zero exactly when 0 < bits < this. */
const POSITIVE_INFINITY_BITS = 0x7f800000;
/** Bins of each radix pass. Why 2^16: two passes cover the 32 bits with 256 KiB of counters each. */
const BINS = 1 << 16;

const bitsView = (row: Float32Array) => new Uint32Array(row.buffer, row.byteOffset, row.length);

/**
 * Exact order statistics of the values `v > 0 && isFinite(v)` of a float32 map. Positive floats sort as
 * their bit patterns do, so the median is found from a histogram of the high 16 bits (first pass) and
 * one of the low 16 bits within the chosen bin (second pass): the same value a sort would give.
 *
 * @param rows - Visits every row; called twice.
 */
export function positiveStats(rows: RowSource): PositiveStats {
  const high = new Uint32Array(BINS);
  let count = 0;
  let minBits = POSITIVE_INFINITY_BITS;
  let maxBits = 0;
  rows((row) => {
    const bits = bitsView(row);
    for (let i = 0; i < bits.length; i++) {
      const b = bits[i]!;
      if (b === 0 || b >= POSITIVE_INFINITY_BITS) continue;
      count++;
      high[b >>> 16]!++;
      if (b < minBits) minBits = b;
      if (b > maxBits) maxBits = b;
    }
  });
  if (count === 0) return { count: 0, min: 0, max: 0, median: 0 };
  const rank = count >> 1;
  const [bin, before] = binOfRank(high, rank);
  const low = new Uint32Array(BINS);
  rows((row) => {
    const bits = bitsView(row);
    for (let i = 0; i < bits.length; i++) {
      const b = bits[i]!;
      if (b >>> 16 === bin && b !== 0 && b < POSITIVE_INFINITY_BITS) low[b & 0xffff]!++;
    }
  });
  const [lowBits] = binOfRank(low, rank - before);
  return {
    count,
    min: fromBits(minBits),
    max: fromBits(maxBits),
    median: fromBits(((bin << 16) | lowBits) >>> 0),
  };
}

/** The bin holding the element of 0-based `rank`, and how many elements lie in the bins before it. */
function binOfRank(histogram: Uint32Array, rank: number): [number, number] {
  let before = 0;
  for (let bin = 0; bin < histogram.length; bin++) {
    const n = histogram[bin]!;
    if (before + n > rank) return [bin, before];
    before += n;
  }
  throw new RangeError(`rank ${rank} is beyond the ${before} values counted`);
}

function fromBits(bits: number): number {
  return new Float32Array(Uint32Array.of(bits).buffer)[0]!;
}
