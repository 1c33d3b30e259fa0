/**
 * An experiment's results as a table: per row, mean ± std over its seeds of every metric on the test
 * split, Delta_m against the single-task rows, mean rank, "best fixed" chosen on the validation split,
 * the learned weights, sigmas and s - s*, and the wall time. Works on any subset of the runs (a partial
 * table says how many seeds each row has). Pure.
 *
 * @packageDocumentation
 */
import { TASKS, type PerTask, type Task } from '../model/tasks.js';
import type { ExperimentPlan, ExperimentRow } from './plan.js';
import type { RunResult } from './run-result.js';
import { deltaM, meanRanks, meanStd, type MeanStd, type MetricDirection } from './table.js';

/** A metric of the table. */
export interface TableMetric extends MetricDirection {
  label: string;
  /** The task whose single-task row is its baseline; none for metrics outside Delta_m (PQ). */
  task?: Task;
  /** Printed as value * scale with `digits` decimals. */
  scale: number;
  digits: number;
  /** Reads it from an evaluation result (`evaluateModel`'s); null when absent. */
  read: (evaluation: Record<string, unknown>) => number | null;
}

const headline = (evaluation: Record<string, unknown>, key: string): number | null => {
  const value = (evaluation['headline'] as Record<string, unknown> | undefined)?.[key];
  return typeof value === 'number' ? value : null;
};

/** The paper's three numbers: they make Delta_m and the mean rank. */
export const TABLE_METRICS: readonly TableMetric[] = [
  {
    key: 'meanIoU',
    label: 'mIoU %',
    higherIsBetter: true,
    task: 'segmentation',
    scale: 100,
    digits: 1,
    read: (e) => headline(e, 'meanIoU'),
  },
  {
    key: 'instanceErrorPx',
    label: 'instance err px',
    higherIsBetter: false,
    task: 'instances',
    scale: 1,
    digits: 2,
    read: (e) => headline(e, 'instanceErrorPx'),
  },
  {
    key: 'disparityErrorPx',
    label: 'disparity err px',
    higherIsBetter: false,
    task: 'depth',
    scale: 1,
    digits: 3,
    read: (e) => headline(e, 'disparityErrorPx'),
  },
];

/**
 * Reported beside them, not in Delta_m: PQ (no single-task model has it) and the mIoU over the classes
 * present in the split's ground truth (where the evaluation reports it).
 */
export const EXTRA_METRICS: readonly TableMetric[] = [
  {
    key: 'meanIoUPresent',
    label: 'mIoU present %',
    higherIsBetter: true,
    scale: 100,
    digits: 1,
    read: (e) => {
      const segmentation = e['segmentation'] as Record<string, unknown> | undefined;
      const value = headline(e, 'meanIoUPresent') ?? segmentation?.['meanIoUPresent'];
      return typeof value === 'number' ? value : null;
    },
  },
  { key: 'pq', label: 'PQ %', higherIsBetter: true, scale: 100, digits: 1, read: (e) => headline(e, 'pq') },
];

/** One row of the table. */
export interface RowSummary {
  row: ExperimentRow;
  seedsDone: number;
  seedsPlanned: number;
  /** Per metric key, over the seeds done. */
  test: Record<string, MeanStd | null>;
  validation: Record<string, MeanStd | null>;
  /** Delta_m of each seed against the single-task rows' mean, over the seeds (fractions). */
  deltaM: { test: MeanStd | null; validation: MeanStd | null };
  /** Mean rank over {@link TABLE_METRICS} among the rows that have all of them, on the test means. */
  meanRank: number | null;
  weights: PerTask<MeanStd | null>;
  sigmas?: PerTask<MeanStd | null>;
  logVarianceGaps?: PerTask<MeanStd | null>;
  wallSeconds: MeanStd | null;
  medianStepMs: MeanStd | null;
  /** The fixed-weight row with the best validation Delta_m. */
  bestFixed: boolean;
}

/** The whole table. */
export interface ExperimentSummary {
  plan: string;
  runsPlanned: number;
  runsDone: number;
  rows: RowSummary[];
  /** Single-task means per metric key and split (the Delta_m baselines). */
  baselines: { test: Record<string, number | null>; validation: Record<string, number | null> };
}

type Split = 'test' | 'validation';

/**
 * Summarises the results of a plan (any subset of its runs; results of other plans or stale ones must be
 * left out by the caller, see `loadPlanResults`).
 */
export function summariseExperiment(plan: ExperimentPlan, results: readonly RunResult[]): ExperimentSummary {
  const metrics = [...TABLE_METRICS, ...EXTRA_METRICS];
  const byRow = new Map<string, RunResult[]>(plan.rows.map((row) => [row.id, []]));
  for (const result of results) byRow.get(result.row.id)?.push(result);
  const values = (rowResults: readonly RunResult[], split: Split, metric: TableMetric) =>
    rowResults.map((r) => metric.read(r.metrics[split])).filter((v): v is number => v !== null);
  const baselines = {
    test: singleTaskBaselines(plan.rows, byRow, 'test'),
    validation: singleTaskBaselines(plan.rows, byRow, 'validation'),
  };
  const rows: RowSummary[] = plan.rows.map((row) => {
    const done = byRow.get(row.id) ?? [];
    const perSplit = (split: Split) =>
      Object.fromEntries(metrics.map((m) => [m.key, meanStd(values(done, split, m))]));
    const seedDeltaM = (split: Split) =>
      meanStd(
        done
          .map((r) => deltaM(readAll(r, split), baselines[split], TABLE_METRICS))
          .filter((v): v is number => v !== null),
      );
    const learned = done.some((r) => r.final.logVariances !== undefined);
    const gaps = done.some((r) => r.final.logVarianceGaps !== undefined);
    return {
      row,
      seedsDone: done.length,
      seedsPlanned: plan.seeds.length,
      test: perSplit('test'),
      validation: perSplit('validation'),
      deltaM: { test: seedDeltaM('test'), validation: seedDeltaM('validation') },
      meanRank: null,
      weights: perTaskStats(done, (r) => r.final.weights),
      ...(learned ? { sigmas: perTaskStats(done, (r) => r.final.sigmas) } : {}),
      ...(gaps ? { logVarianceGaps: perTaskStats(done, (r) => r.final.logVarianceGaps) } : {}),
      wallSeconds: meanStd(done.map((r) => r.timing.wallSeconds)),
      medianStepMs: meanStd(done.map((r) => r.timing.medianStepMs).filter((v): v is number => v !== null)),
      bestFixed: false,
    };
  });
  rankRows(rows);
  markBestFixed(rows);
  return {
    plan: plan.name,
    runsPlanned: plan.rows.length * plan.seeds.length,
    runsDone: rows.reduce((sum, r) => sum + r.seedsDone, 0),
    rows,
    baselines,
  };
}

/** Every table metric of a result on a split. */
function readAll(result: RunResult, split: Split): Record<string, number | null> {
  return Object.fromEntries(TABLE_METRICS.map((m) => [m.key, m.read(result.metrics[split])]));
}

/** Per table metric, the mean over seeds of the single-task row of its task (null when not run). */
function singleTaskBaselines(
  rows: readonly ExperimentRow[],
  byRow: ReadonlyMap<string, RunResult[]>,
  split: Split,
): Record<string, number | null> {
  return Object.fromEntries(
    TABLE_METRICS.map((metric) => {
      const row = rows.find(
        (r) => r.group === 'single-task' && r.tasks.length === 1 && r.tasks[0] === metric.task,
      );
      const done = row ? (byRow.get(row.id) ?? []) : [];
      const stats = meanStd(
        done.map((r) => metric.read(r.metrics[split])).filter((v): v is number => v !== null),
      );
      return [metric.key, stats?.mean ?? null];
    }),
  );
}

/** Mean rank on the test means, among the rows that have every table metric (the multi-task rows). */
function rankRows(rows: RowSummary[]): void {
  const ranked = rows.filter((r) => TABLE_METRICS.every((m) => r.test[m.key] !== null));
  const means = ranked.map((r) => Object.fromEntries(TABLE_METRICS.map((m) => [m.key, r.test[m.key]!.mean])));
  meanRanks(means, TABLE_METRICS).forEach((rank, i) => (ranked[i]!.meanRank = rank));
}

/**
 * Marks the fixed-weight row with the best validation Delta_m (with no single-task baselines yet: the best
 * mean rank on validation). Why validation: chosen on the split it is reported on, the best of a grid is
 * favoured by its own noise.
 */
function markBestFixed(rows: RowSummary[]): void {
  const fixed = rows.filter((r) => r.row.group === 'fixed' && r.seedsDone > 0);
  if (fixed.length === 0) return;
  if (fixed.every((r) => r.deltaM.validation !== null)) {
    fixed.reduce((best, r) =>
      r.deltaM.validation!.mean > best.deltaM.validation!.mean ? r : best,
    ).bestFixed = true;
    return;
  }
  const complete = fixed.filter((r) => TABLE_METRICS.every((m) => r.validation[m.key] !== null));
  const means = complete.map((r) =>
    Object.fromEntries(TABLE_METRICS.map((m) => [m.key, r.validation[m.key]!.mean])),
  );
  const rowRanks = meanRanks(means, TABLE_METRICS);
  let best = -1;
  rowRanks.forEach((rank, i) => {
    if (rank !== null && (best < 0 || rank < rowRanks[best]!)) best = i;
  });
  if (best >= 0) complete[best]!.bestFixed = true;
}

/** Per task, mean ± std over the results of one of their per-task records. */
function perTaskStats(
  results: readonly RunResult[],
  pick: (result: RunResult) => PerTask<number> | undefined,
): PerTask<MeanStd | null> {
  const out: PerTask<MeanStd | null> = {};
  for (const task of TASKS) {
    const values = results.map((r) => pick(r)?.[task]).filter((v): v is number => v !== undefined);
    if (values.length > 0) out[task] = meanStd(values);
  }
  return out;
}

/** `mean ± std` (or the mean alone for one seed, `–` for none), scaled and rounded. */
export function formatMeanStd(stats: MeanStd | null | undefined, scale = 1, digits = 2): string {
  if (stats === null || stats === undefined) return '–';
  const mean = (stats.mean * scale).toFixed(digits);
  return stats.std === null ? mean : `${mean} ± ${(stats.std * scale).toFixed(digits)}`;
}

/** Per-task values `seg / inst / depth` of a row's tasks. */
function formatPerTask(values: PerTask<MeanStd | null> | undefined, digits: number): string {
  if (values === undefined) return '–';
  return TASKS.map((task) =>
    values[task] === undefined ? '–' : formatMeanStd(values[task], 1, digits),
  ).join(' / ');
}

/**
 * The table in Markdown: one line per row, every metric on the test split as mean ± std over the seeds
 * done (the seeds column says how many of the planned), Delta_m in %, mean rank, final weights, sigmas
 * and s - s* (seg / inst / depth), and the wall time per run.
 */
export function renderSummaryTable(summary: ExperimentSummary): string {
  const extra = EXTRA_METRICS.filter((m) => summary.rows.some((r) => r.test[m.key] !== null));
  const metrics = [...TABLE_METRICS, ...extra];
  const arrows = (m: TableMetric) => `${m.label} ${m.higherIsBetter ? '↑' : '↓'}`;
  const header = [
    'method',
    'seeds',
    ...metrics.map(arrows),
    'Δm % ↑',
    'mean rank ↓',
    'weights (seg / inst / depth)',
    'sigmas',
    's − s*',
    'wall s / run',
  ];
  const lines = summary.rows.map((r) => {
    const cells = [
      `${r.row.label}${r.bestFixed ? ' **(best fixed, on val)**' : ''}`,
      `${r.seedsDone}/${r.seedsPlanned}`,
      ...metrics.map((m) => formatMeanStd(r.test[m.key], m.scale, m.digits)),
      r.row.group === 'single-task' ? '0 (baseline)' : formatMeanStd(r.deltaM.test, 100, 1),
      r.meanRank === null ? '–' : r.meanRank.toFixed(2),
      r.seedsDone === 0 ? '–' : formatPerTask(r.weights, 3),
      formatPerTask(r.sigmas, 3),
      formatPerTask(r.logVarianceGaps, 3),
      formatMeanStd(r.wallSeconds, 1, 0),
    ];
    return `| ${cells.join(' | ')} |`;
  });
  const align = header.map((_, i) => (i < 2 ? '---' : '---:'));
  return [`| ${header.join(' | ')} |`, `|${align.join('|')}|`, ...lines].join('\n');
}
