/**
 * The info line a worker logs at the end of each epoch of a job: what a person watching `npm start` wants
 * to see (losses, learned sigmas, validation headline metrics) in one line, with the same numbers as
 * fields for log collectors.
 *
 * @packageDocumentation
 */
import type { EpochSummary } from '../src/model/training-progress.js';

/** Decimals of the numbers in the message. Why 4: losses of a tiny model differ in the third decimal. */
const DECIMALS = 4;

/** A number for people: fixed decimals, `n/a` for a missing one. */
function num(x: number | null | undefined): string {
  return typeof x === 'number' && Number.isFinite(x) ? x.toFixed(DECIMALS) : 'n/a';
}

/** `task value` pairs, in the record's order. */
function pairs(values: Readonly<Record<string, number | null | undefined>>): string {
  return Object.entries(values)
    .map(([k, v]) => `${k} ${num(v)}`)
    .join(', ');
}

/** sigma = exp(s / 2) per task from the learned log-variances s = log sigma^2. */
export function sigmasOf(logVariances: Readonly<Record<string, number>>): Record<string, number> {
  return Object.fromEntries(Object.entries(logVariances).map(([t, s]) => [t, Math.exp(s / 2)]));
}

/** The headline validation metrics of an epoch (numbers or null), or none. */
function headlineOf(summary: EpochSummary): Record<string, number | null> {
  const headline = (summary.metrics as { headline?: Record<string, unknown> } | undefined)?.headline;
  if (headline === undefined) return {};
  const out: Record<string, number | null> = {};
  for (const [k, v] of Object.entries(headline)) if (typeof v === 'number' || v === null) out[k] = v;
  return out;
}

/**
 * The fields and message of an epoch's log line, e.g.
 * `epoch 2/3 done in 4.1 s: losses segmentation 2.1012, …; sigmas segmentation 1.0100, …; validation meanIoU 0.0712, …`.
 *
 * @param summary - The epoch's summary.
 * @param epochs - The job's epochs.
 */
export function epochLogLine(
  summary: EpochSummary,
  epochs: number,
): { fields: Record<string, unknown>; message: string } {
  const sigmas = summary.logVariances ? sigmasOf(summary.logVariances) : undefined;
  const headline = headlineOf(summary);
  const parts = [`losses ${pairs(summary.losses)}`];
  if (sigmas) parts.push(`sigmas ${pairs(sigmas)}`);
  else parts.push(`weights ${pairs(summary.weights)}`);
  if (Object.keys(headline).length > 0) parts.push(`validation ${pairs(headline)}`);
  return {
    fields: {
      epoch: summary.epoch,
      epochs,
      durationMs: Math.round(summary.durationMs),
      losses: summary.losses,
      weights: summary.weights,
      ...(sigmas ? { sigmas } : {}),
      metrics: headline,
    },
    message: `epoch ${summary.epoch}/${epochs} done in ${(summary.durationMs / 1000).toFixed(1)} s: ${parts.join('; ')}`,
  };
}
