/**
 * Compare: the studies (each a weighting comparison, `#/compare?study={id}` opens one: study-compare.js),
 * and any jobs picked by hand: their final metrics side by side, and their sigma, weight and loss curves
 * overlaid (one series per job and task).
 */
import { api } from '../api.js';
import { LineChart } from '../charts.js';
import { fmt, h, replace, statusBadge } from '../dom.js';
import { STEP_CHARTS, chartPoint, epochStep, metricOf } from '../training-curves.js';
import { showStudy } from './study-compare.js';

const METRICS = ['meanIoU', 'instanceErrorPx', 'disparityErrorPx', 'pq'];
/** Jobs offered for comparison. Why 100: the API's page size; older ones are reached by id in the hash. */
const CANDIDATES = 100;

/** The last epoch's headline metrics of a job. */
function finalMetrics(job) {
  return job.history?.at(-1)?.metrics;
}

/** Renders the compare page; `#/compare?jobs=a,b` preselects jobs, `#/compare?study=id` opens a study. */
export async function render(main, _params, signal) {
  const [{ items }, studies] = await Promise.all([
    api(`/v1/training-jobs?limit=${CANDIDATES}`, { signal }),
    api(`/v1/studies?limit=${CANDIDATES}`, { signal }),
  ]);
  const query = new URLSearchParams(location.hash.split('?')[1] ?? '');
  const preselected = new Set((query.get('jobs') ?? '').split(',').filter(Boolean));
  const studyOutput = h('section', { id: 'study-result' });
  const boxes = items.map((job) =>
    h(
      'label',
      { class: 'row' },
      h('input', { type: 'checkbox', value: job.id, checked: preselected.has(job.id), name: 'compare-job' }),
      ` ${job.name ?? job.id} · ${job.spec?.weighting?.strategy} · ${job.status}`,
    ),
  );
  const output = h('section', { id: 'compare-result' });
  const button = h('button', { type: 'button', id: 'compare-run' }, 'Compare');
  button.addEventListener('click', async () => {
    const ids = boxes
      .map((b) => b.querySelector('input'))
      .filter((i) => i.checked)
      .map((i) => i.value);
    history.replaceState(null, '', `#/compare?jobs=${ids.map(encodeURIComponent).join(',')}`);
    const jobs = await Promise.all(
      ids.map((id) => api(`/v1/training-jobs/${encodeURIComponent(id)}`, { signal })),
    );
    showComparison(output, jobs);
  });
  replace(
    main,
    h('h1', null, 'Compare'),
    h('h2', null, 'Studies'),
    studies.items.length
      ? h(
          'ul',
          { id: 'studies' },
          studies.items.map((study) =>
            h(
              'li',
              null,
              h('a', { href: `#/compare?study=${encodeURIComponent(study.id)}` }, study.name),
              ' ',
              statusBadge(study.status),
              ` ${study.runCounts.completed}/${study.runsPlanned} runs`,
            ),
          ),
        )
      : h('p', { class: 'muted' }, 'No studies yet (POST /v1/studies).'),
    studyOutput,
    h('h2', null, 'Jobs'),
    h(
      'fieldset',
      { id: 'compare-jobs' },
      h('legend', null, 'Jobs'),
      items.length ? boxes : h('p', { class: 'muted' }, 'No jobs yet.'),
    ),
    button,
    output,
  );
  if (query.get('study')) await showStudy(studyOutput, query.get('study'), signal);
  if (preselected.size > 0) button.click();
}

function showComparison(output, jobs) {
  for (const chart of Object.values(window.__dashboard?.charts ?? {}))
    if (chart.id.startsWith('compare-')) chart.destroy();
  const charts = h('div', { class: 'charts' });
  replace(
    output,
    h('h2', null, 'Final validation metrics'),
    h(
      'table',
      { id: 'compare-metrics' },
      h(
        'thead',
        null,
        h(
          'tr',
          null,
          ['Job', 'Strategy', ...METRICS].map((t) => h('th', { scope: 'col' }, t)),
        ),
      ),
      h(
        'tbody',
        null,
        jobs.map((job) =>
          h(
            'tr',
            null,
            h('td', null, h('a', { href: `#/jobs/${encodeURIComponent(job.id)}` }, job.name ?? job.id)),
            h('td', null, job.spec?.weighting?.strategy),
            METRICS.map((m) => h('td', { class: 'num' }, fmt(metricOf(finalMetrics(job), m)))),
          ),
        ),
      ),
    ),
    h('h2', null, 'Curves per epoch, overlaid'),
    charts,
  );
  for (const spec of STEP_CHARTS) {
    const series = [];
    for (const job of jobs) for (const t of job.spec?.tasks ?? []) series.push(`${job.name ?? job.id} ${t}`);
    const chart = new LineChart(charts, {
      id: `compare-${spec.id}`,
      title: spec.title,
      xLabel: 'step',
      series,
    });
    for (const job of jobs) {
      const tasks = job.spec?.tasks ?? [];
      for (const epoch of job.history ?? []) {
        const point = chartPoint(spec, epoch, tasks);
        chart.push(
          epochStep(epoch, job.progress?.stepsPerEpoch),
          Object.fromEntries(tasks.map((t) => [`${job.name ?? job.id} ${t}`, point[t]])),
        );
      }
    }
  }
}
