/** Summaries of timed steps: medians and spreads, as the benchmark reports them. */

/** Median, quartiles and range of a set of times (ms). */
export interface StepSummary {
  n: number;
  median: number;
  p25: number;
  p75: number;
  min: number;
  max: number;
}

/** The q-quantile (0..1) of `sorted` by linear interpolation between neighbours. */
function quantile(sorted: readonly number[], q: number): number {
  const at = (sorted.length - 1) * q;
  const low = Math.floor(at);
  const high = Math.ceil(at);
  return sorted[low]! + (sorted[high]! - sorted[low]!) * (at - low);
}

/**
 * Summarises step times.
 *
 * @throws RangeError for an empty list.
 */
export function summarise(times: readonly number[]): StepSummary {
  if (times.length === 0) throw new RangeError('no times to summarise');
  const sorted = [...times].sort((a, b) => a - b);
  return {
    n: sorted.length,
    median: quantile(sorted, 0.5),
    p25: quantile(sorted, 0.25),
    p75: quantile(sorted, 0.75),
    min: sorted[0]!,
    max: sorted.at(-1)!,
  };
}

/**
 * The rule for the quiet rounds of a phase: the rounds in which the rest of the machine kept at most the
 * median number of cores busy over all the phase's rounds (from /proc/stat), i.e. the quieter half, ties
 * included, so never fewer than half the rounds. Why: on this shared 2-core machine other engineers' tests
 * come and go within a phase; a round they held steals CPU from every runner in it, from a 2-thread or
 * 2-replica runner most, and the quieter half is what a machine of our own would show, while keeping
 * enough rounds for a median.
 *
 * @param othersCores - Per round: the other processes' CPU time / the round's wall time.
 * @returns Per round, whether it is quiet.
 */
export function quietRounds(othersCores: readonly number[]): boolean[] {
  if (othersCores.length === 0) return [];
  const cut = summarise(othersCores).median;
  return othersCores.map((cores) => cores <= cut);
}
