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
