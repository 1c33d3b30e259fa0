/**
 * The statistics of an experiment's table, as small pure functions: mean and spread over seeds, the
 * signed relative change against a baseline, Delta_m (Maninis et al. 2019) and mean rank.
 *
 * @packageDocumentation
 */

/** Mean and sample standard deviation of some values (one per seed). */
export interface MeanStd {
  mean: number;
  /** Sample standard deviation (n - 1 in the denominator); null for a single value. */
  std: number | null;
  n: number;
}

/** A metric of the table: how to read it, and which way is better. */
export interface MetricDirection {
  key: string;
  higherIsBetter: boolean;
}

/**
 * Mean and sample standard deviation (the spread of a seed, as LibMTL and Nash-MTL report it).
 *
 * @returns null for no values.
 */
export function meanStd(values: readonly number[]): MeanStd | null {
  const n = values.length;
  if (n === 0) return null;
  const mean = values.reduce((sum, v) => sum + v, 0) / n;
  if (n === 1) return { mean, std: null, n };
  const squares = values.reduce((sum, v) => sum + (v - mean) ** 2, 0);
  return { mean, std: Math.sqrt(squares / (n - 1)), n };
}

/**
 * The relative change of `value` against `baseline`, signed so that better is positive:
 * (value - baseline) / baseline, negated for a lower-is-better metric.
 */
export function signedRelativeChange(value: number, baseline: number, higherIsBetter: boolean): number {
  const change = (value - baseline) / baseline;
  return higherIsBetter ? change : -change;
}

/**
 * Delta_m (Maninis et al. 2019): the mean over the metrics of the signed relative change against the
 * single-task baseline (as a fraction; the table prints %).
 *
 * @returns null when a metric or its baseline is missing (or the baseline is 0).
 */
export function deltaM(
  values: Readonly<Record<string, number | null | undefined>>,
  baselines: Readonly<Record<string, number | null | undefined>>,
  metrics: readonly MetricDirection[],
): number | null {
  if (metrics.length === 0) return null;
  let sum = 0;
  for (const { key, higherIsBetter } of metrics) {
    const value = values[key];
    const baseline = baselines[key];
    if (
      value === null ||
      value === undefined ||
      baseline === null ||
      baseline === undefined ||
      baseline === 0
    ) {
      return null;
    }
    sum += signedRelativeChange(value, baseline, higherIsBetter);
  }
  return sum / metrics.length;
}

/**
 * Ranks of some values, 1 for the best; tied values share the mean of the ranks they span; a missing
 * value gets no rank (null) and takes no rank from the others.
 */
export function ranks(values: readonly (number | null)[], higherIsBetter: boolean): (number | null)[] {
  const present = values
    .map((value, index) => ({ value, index }))
    .filter((entry): entry is { value: number; index: number } => entry.value !== null)
    .sort((a, b) => (higherIsBetter ? b.value - a.value : a.value - b.value));
  const out: (number | null)[] = values.map(() => null);
  for (let start = 0; start < present.length;) {
    let end = start;
    while (end + 1 < present.length && present[end + 1]!.value === present[start]!.value) end++;
    const rank = (start + 1 + end + 1) / 2;
    for (let i = start; i <= end; i++) out[present[i]!.index] = rank;
    start = end + 1;
  }
  return out;
}

/**
 * Mean rank over the metrics: each metric ranks the rows that have it, and a row's mean rank is the
 * mean of its ranks (null when it has a value for no metric).
 */
export function meanRanks(
  rows: readonly Readonly<Record<string, number | null | undefined>>[],
  metrics: readonly MetricDirection[],
): (number | null)[] {
  const perMetric = metrics.map(({ key, higherIsBetter }) =>
    ranks(
      rows.map((row) => row[key] ?? null),
      higherIsBetter,
    ),
  );
  return rows.map((_, index) => {
    const own = perMetric.map((metricRanks) => metricRanks[index]).filter((r): r is number => r !== null);
    return own.length === 0 ? null : own.reduce((sum, r) => sum + r, 0) / own.length;
  });
}
