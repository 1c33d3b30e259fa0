/**
 * The experiment table as CSV, for spreadsheets: one line per row of the comparison, unrounded, every
 * metric's test mean and std, Delta_m, mean rank, the final weights and sigmas per task, and wall time.
 *
 * @packageDocumentation
 */
import { TASKS, type PerTask } from '../model/tasks.js';
import type { ExperimentPlan } from './plan.js';
import type { RunResult } from './run-result.js';
import { EXTRA_METRICS, summariseExperiment, TABLE_METRICS } from './summary.js';
import type { MeanStd } from './table.js';

/** A CSV field: quoted when it holds a comma, a quote or a line break (RFC 4180). */
function field(value: string | number | boolean | null | undefined): string {
  if (value === null || value === undefined) return '';
  const text = String(value);
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

const meanOf = (stats: MeanStd | null | undefined) => stats?.mean ?? null;
const stdOf = (stats: MeanStd | null | undefined) => stats?.std ?? null;

/** The summary of `results` under `plan` as CSV text (a header line, then one line per row). */
export function summaryCsv(plan: ExperimentPlan, results: readonly RunResult[]): string {
  const summary = summariseExperiment(plan, results);
  const metrics = [...TABLE_METRICS, ...EXTRA_METRICS];
  const perTask = (name: string) => TASKS.map((task) => `${name}_${task}`);
  const header = [
    'row',
    'label',
    'group',
    'seeds_done',
    'seeds_planned',
    ...metrics.flatMap((m) => [`${m.key}_mean`, `${m.key}_std`]),
    'delta_m_mean',
    'delta_m_std',
    'mean_rank',
    'best_fixed',
    ...perTask('weight'),
    ...perTask('sigma'),
    ...perTask('s_minus_s_star'),
    'wall_seconds_mean',
  ];
  const tasks = (values: PerTask<MeanStd | null> | undefined) => TASKS.map((task) => meanOf(values?.[task]));
  const lines = summary.rows.map((r) =>
    [
      r.row.id,
      r.row.label,
      r.row.group,
      r.seedsDone,
      r.seedsPlanned,
      ...metrics.flatMap((m) => [meanOf(r.test[m.key]), stdOf(r.test[m.key])]),
      meanOf(r.deltaM.test),
      stdOf(r.deltaM.test),
      r.meanRank,
      r.bestFixed,
      ...tasks(r.weights),
      ...tasks(r.sigmas),
      ...tasks(r.logVarianceGaps),
      meanOf(r.wallSeconds),
    ]
      .map(field)
      .join(','),
  );
  return `${[header.join(','), ...lines].join('\r\n')}\r\n`;
}
