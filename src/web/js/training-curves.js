/**
 * What the job page and the compare page plot, as pure functions of the API's job documents: a step
 * snapshot (or an epoch summary) becomes one point per chart. sigma = exp(s / 2), since s = log sigma^2.
 */

/** The step charts: id, title, and how to read a value per task from a snapshot. */
export const STEP_CHARTS = [
  { id: 'loss', title: 'Raw loss per task', value: (p, t) => p.losses?.[t] },
  {
    id: 'weighted-loss',
    title: 'Weighted loss per task (weight x raw loss)',
    value: (p, t) => mul(p.weights?.[t], p.losses?.[t]),
  },
  {
    id: 'sigma',
    title: 'sigma per task (exp(s / 2))',
    value: (p, t) => sigmaOf(p, t),
    needs: 'logVariances',
  },
  { id: 'weight', title: 'Effective weight per task', value: (p, t) => p.weights?.[t] },
  {
    id: 'gap',
    title: 's - s* per task (0 = at its optimum)',
    value: (p, t) => p.logVarianceGaps?.[t],
    needs: 'logVarianceGaps',
  },
];

/** The per-epoch validation metrics, grouped by unit so that one axis fits each chart. */
export const METRIC_CHARTS = [
  { id: 'metrics-fraction', title: 'Validation mIoU and PQ (fraction)', series: ['meanIoU', 'pq'] },
  { id: 'metrics-px', title: 'Validation errors (px)', series: ['instanceErrorPx', 'disparityErrorPx'] },
];

function mul(a, b) {
  return typeof a === 'number' && typeof b === 'number' ? a * b : undefined;
}

/** sigma of task `t` from a snapshot's log-variance (or its `sigmas` when reported). */
export function sigmaOf(snapshot, t) {
  const reported = snapshot.sigmas?.[t];
  if (typeof reported === 'number') return reported;
  const s = snapshot.logVariances?.[t];
  return typeof s === 'number' ? Math.exp(s / 2) : undefined;
}

/** The values of one step chart for one snapshot, by task. */
export function chartPoint(chart, snapshot, tasks) {
  return Object.fromEntries(tasks.map((t) => [t, chart.value(snapshot, t)]));
}

/** Whether a job reports what a chart needs (e.g. log-variances only for the uncertainty strategies). */
export function jobHas(job, field) {
  if (job.progress?.[field] !== undefined) return true;
  return (job.history ?? []).some((e) => e[field] !== undefined);
}

/** A metric by its chart series name from an epoch's metrics (headline names as the evaluator writes them). */
export function metricOf(metrics, name) {
  if (!metrics) return undefined;
  const direct = metrics[name];
  if (typeof direct === 'number') return direct;
  const aliases = {
    instanceErrorPx: ['instanceErrorPx', 'offsetErrorPx'],
    disparityErrorPx: ['disparityErrorPx'],
    meanIoU: ['meanIoU'],
    pq: ['pq'],
  };
  const headline = metrics.headline ?? metrics.summary ?? {};
  for (const key of aliases[name] ?? []) if (typeof headline[key] === 'number') return headline[key];
  return undefined;
}

/** The global step an epoch summary stands at. */
export function epochStep(epoch, stepsPerEpoch) {
  return epoch.epoch * (stepsPerEpoch ?? 1);
}
