/**
 * One study on the compare page (#/compare?study={id}): its table (each method's test metrics, mean ± std
 * over the seeds, Δm, mean rank, final weights), its exports (markdown, CSV), the recorded curves of every
 * method overlaid (seed means, one chart per quantity and task) and the per-class IoU per method; and
 * cancel (while it is active) or resume (once cancelled or failed).
 */
import { api } from '../api.js';
import { LineChart } from '../charts.js';
import { h, replace, statusBadge } from '../dom.js';
import { isActive } from './jobs.js';

const TASKS = ['segmentation', 'instances', 'depth'];

/** The table's metric columns: key in the summary, heading, scale and decimals. */
const COLUMNS = [
  { key: 'meanIoU', label: 'mIoU % ↑', scale: 100, digits: 1 },
  { key: 'instanceErrorPx', label: 'instance err px ↓', scale: 1, digits: 2 },
  { key: 'disparityErrorPx', label: 'disparity err px ↓', scale: 1, digits: 3 },
];

/** What the curve charts plot of a curve point, per task. */
const QUANTITIES = [
  { id: 'sigma', title: 'sigma', value: (p, t) => p.sigmas?.[t] },
  { id: 'weight', title: 'effective weight', value: (p, t) => p.weights?.[t] },
  { id: 'loss', title: 'raw loss', value: (p, t) => p.losses?.[t] },
];

/** `mean ± std` scaled, `–` when absent. */
function meanStd(stats, scale = 1, digits = 2) {
  if (!stats) return '–';
  const mean = (stats.mean * scale).toFixed(digits);
  return stats.std === null ? mean : `${mean} ± ${(stats.std * scale).toFixed(digits)}`;
}

/** The mean of the numbers in `values` (null when none). */
function mean(values) {
  const real = values.filter((v) => typeof v === 'number' && Number.isFinite(v));
  return real.length ? real.reduce((a, b) => a + b, 0) / real.length : null;
}

/** Offers `text` as a file download. */
function download(blob, name) {
  const url = URL.createObjectURL(blob);
  const link = h('a', { href: url, download: name });
  document.body.append(link);
  link.click();
  link.remove();
  window.setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** How often a cancelling study is read again. Why 1 s: its runs stop within a step or two. */
const CANCELLING_REFRESH_MS = 1_000;

/**
 * The study's control: "Cancel study" while it is active (disabled once cancelling), "Resume study" once it
 * was cancelled or failed, nothing when completed. A click posts the request and renders the study again
 * (`rerender`); the API's error is shown as it words it.
 */
function studyControl(study, path, rerender) {
  const message = h('p', { class: 'error', role: 'alert', id: 'study-error' });
  const resumable = study.status === 'cancelled' || study.status === 'failed';
  // A study has a job's active statuses (queued, running, cancelling): cancel applies to the same ones.
  if (!isActive(study) && !resumable) return [message];
  const action = resumable ? 'resume' : 'cancel';
  const button = h(
    'button',
    { type: 'button', id: `study-${action}`, disabled: study.status === 'cancelling' },
    study.status === 'cancelling' ? 'Cancelling…' : resumable ? 'Resume study' : 'Cancel study',
  );
  button.addEventListener('click', async () => {
    message.textContent = '';
    button.disabled = true;
    try {
      await api(`${path}/${action}`, { method: 'POST' });
    } catch (e) {
      button.disabled = false;
      message.textContent = e.describe?.() ?? String(e);
      return;
    }
    // The request was taken: a failed re-draw leaves the button disabled (a second click would be a 409).
    await rerender().catch((e) => (message.textContent = e.describe?.() ?? String(e)));
  });
  return [button, message];
}

/** Renders study `id` into `output`. */
export async function showStudy(output, id, signal) {
  for (const chart of Object.values(window.__dashboard?.charts ?? {}))
    if (chart.id.startsWith('compare-')) chart.destroy();
  const path = `/v1/studies/${encodeURIComponent(id)}`;
  const [study, curves] = await Promise.all([api(path, { signal }), api(`${path}/curves`, { signal })]);
  const exportButton = (format, name) => {
    const button = h('button', { type: 'button', id: `study-export-${format}` }, `Export ${name}`);
    button.addEventListener('click', async () => {
      const blob = await api(`${path}/table?format=${format}`, { as: 'blob', signal });
      download(blob, `study-${id}.${format === 'csv' ? 'csv' : 'md'}`);
    });
    return button;
  };
  const charts = h('div', { class: 'charts' });
  replace(
    output,
    h('h2', null, study.name),
    h(
      'div',
      { class: 'row' },
      h(
        'p',
        { id: 'study-status' },
        statusBadge(study.status),
        ` ${study.runCounts.completed} of ${study.runs.length} runs completed`,
      ),
      studyControl(study, path, () => showStudy(output, id, signal)),
    ),
    h('h3', null, 'Test split, mean ± std over the seeds'),
    studyTable(study),
    h('p', null, exportButton('markdown', 'markdown'), ' ', exportButton('csv', 'CSV')),
    h('h3', null, 'Curves per method (mean over its seeds)'),
    charts,
    h('h3', null, 'IoU per class on the test split (mean over the seeds)'),
    classTable(curves),
  );
  drawCurves(charts, curves);
  // A study being cancelled ends within seconds: follow it until it has.
  if (study.status === 'cancelling') {
    window.setTimeout(() => {
      if (!signal?.aborted && output.isConnected) showStudy(output, id, signal).catch(() => undefined);
    }, CANCELLING_REFRESH_MS);
  }
}

function studyTable(study) {
  const rows = study.table?.rows ?? [];
  const head = [
    'Method',
    'Seeds',
    ...COLUMNS.map((c) => c.label),
    'Δm % ↑',
    'Mean rank ↓',
    'Weights (seg / inst / depth)',
  ];
  return h(
    'table',
    { id: 'study-table' },
    h(
      'thead',
      null,
      h(
        'tr',
        null,
        head.map((t) => h('th', { scope: 'col' }, t)),
      ),
    ),
    h(
      'tbody',
      null,
      rows.length === 0
        ? h('tr', null, h('td', { colspan: String(head.length), class: 'muted' }, 'No run is scored yet.'))
        : rows.map((r) =>
            h(
              'tr',
              { 'data-row': r.row.id },
              h('th', { scope: 'row' }, `${r.row.label}${r.bestFixed ? ' (best fixed, on val)' : ''}`),
              h('td', { class: 'num' }, `${r.seedsDone}/${r.seedsPlanned}`),
              COLUMNS.map((c) => h('td', { class: 'num' }, meanStd(r.test[c.key], c.scale, c.digits))),
              h(
                'td',
                { class: 'num' },
                r.row.group === 'single-task' ? '0 (baseline)' : meanStd(r.deltaM.test, 100, 1),
              ),
              h('td', { class: 'num' }, r.meanRank === null ? '–' : r.meanRank.toFixed(2)),
              h('td', null, TASKS.map((t) => meanStd(r.weights[t], 1, 3)).join(' / ')),
            ),
          ),
    ),
  );
}

/** One chart per quantity and task, a series per method: the mean of its seeds at each recorded step. */
function drawCurves(container, curves) {
  const byRow = new Map();
  for (const run of curves.runs) {
    if (!byRow.has(run.row)) byRow.set(run.row, { label: run.label, runs: [] });
    byRow.get(run.row).runs.push(run);
  }
  for (const quantity of QUANTITIES) {
    for (const task of TASKS) {
      const rows = [...byRow.values()].filter(({ runs }) =>
        runs.some((run) => run.curve.some((p) => typeof quantity.value(p, task) === 'number')),
      );
      if (rows.length === 0) continue;
      const chart = new LineChart(container, {
        id: `compare-study-${quantity.id}-${task}`,
        title: `${quantity.title}: ${task}`,
        xLabel: 'step',
        series: rows.map((r) => r.label),
        log: quantity.id === 'loss',
      });
      const steps = [...new Set(rows.flatMap((r) => r.runs.flatMap((run) => run.curve.map((p) => p.step))))];
      for (const step of steps.sort((a, b) => a - b)) {
        const values = {};
        for (const row of rows) {
          values[row.label] = mean(
            row.runs.map((run) => quantity.value(run.curve.find((p) => p.step === step) ?? {}, task)),
          );
        }
        chart.push(step, values);
      }
    }
  }
}

function classTable(curves) {
  const byRow = new Map();
  for (const run of curves.runs) {
    if (!run.perClassIoU) continue;
    if (!byRow.has(run.row)) byRow.set(run.row, { label: run.label, ious: [] });
    byRow.get(run.row).ious.push(run.perClassIoU);
  }
  const present = curves.classes.filter((c) =>
    [...byRow.values()].some((r) => r.ious.some((iou) => typeof iou[c.trainId] === 'number')),
  );
  return h(
    'table',
    { id: 'study-class-iou' },
    h(
      'thead',
      null,
      h(
        'tr',
        null,
        h('th', { scope: 'col' }, 'Method'),
        present.map((c) => h('th', { scope: 'col' }, c.name)),
      ),
    ),
    h(
      'tbody',
      null,
      [...byRow.entries()].map(([row, { label, ious }]) =>
        h(
          'tr',
          { 'data-row': row },
          h('th', { scope: 'row' }, label),
          present.map((c) => {
            const value = mean(ious.map((iou) => iou[c.trainId]));
            return h('td', { class: 'num' }, value === null ? '–' : (value * 100).toFixed(1));
          }),
        ),
      ),
    ),
  );
}
