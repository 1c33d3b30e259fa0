/** A model's page: its manifest (tasks, classes with colours, input size, strategy, learned sigmas, metrics), its training curves, the source job, delete. */
import { api } from '../api.js';
import { LineChart } from '../charts.js';
import { fmt, h, replace, rgb } from '../dom.js';
import { METRIC_CHARTS, STEP_CHARTS, chartPoint, metricOf } from '../training-curves.js';
import { deleteModel } from './models.js';

/** Renders the model page. */
export async function render(main, params) {
  const manifest = await api(`/v1/models/${encodeURIComponent(params.id)}`);
  const tasks = manifest.tasks ?? [];
  const w = manifest.weighting ?? {};
  const sigmaRows = tasks.map((t) =>
    h(
      'tr',
      null,
      h('td', null, t),
      h('td', { class: 'num' }, fmt(w.weights?.[t])),
      h('td', { class: 'num' }, fmt(w.logVariances?.[t])),
      h('td', { class: 'num' }, fmt(w.sigmas?.[t])),
    ),
  );
  const metrics = manifest.metrics?.headline ?? manifest.metrics ?? {};
  const charts = h('div', { class: 'charts' });
  const remove = h(
    'button',
    {
      type: 'button',
      onclick: async () => {
        if (await deleteModel(manifest.id)) location.hash = '#/models';
      },
    },
    'Delete model',
  );
  replace(
    main,
    h('h1', null, 'Model ', h('code', null, manifest.name ?? manifest.id)),
    h(
      'div',
      { class: 'row' },
      h('a', { href: `#/predict?model=${encodeURIComponent(manifest.id)}` }, 'Try it in the playground'),
      remove,
    ),
    h(
      'dl',
      { class: 'facts' },
      h('dt', null, 'Tasks'),
      h('dd', null, tasks.join(', ')),
      h('dt', null, 'Input size (h x w)'),
      h('dd', null, (manifest.inputSize ?? []).join(' x ')),
      h('dt', null, 'Strategy'),
      h('dd', null, w.strategy),
      h('dt', null, 'Created'),
      h('dd', null, new Date(manifest.createdAt).toLocaleString()),
      manifest.sourceJob
        ? [
            h('dt', null, 'Source job'),
            h(
              'dd',
              null,
              h('a', { href: `#/jobs/${encodeURIComponent(manifest.sourceJob)}` }, manifest.sourceJob),
            ),
          ]
        : null,
      h('dt', null, 'Backend'),
      h('dd', null, manifest.backend?.name ?? '–'),
    ),
    h('h2', null, 'Learned task weights'),
    h(
      'table',
      { id: 'weights' },
      h(
        'thead',
        null,
        h(
          'tr',
          null,
          ['Task', 'weight', 's = log sigma^2', 'sigma'].map((t) => h('th', { scope: 'col' }, t)),
        ),
      ),
      h('tbody', null, sigmaRows),
    ),
    h('h2', null, 'Validation metrics'),
    h(
      'dl',
      { class: 'facts', id: 'metrics' },
      ['meanIoU', 'instanceErrorPx', 'disparityErrorPx', 'pq'].map((m) => [
        h('dt', null, m),
        h('dd', null, fmt(metrics[m])),
      ]),
    ),
    h('h2', null, 'Training curves (per epoch)'),
    charts,
    h('h2', null, 'Classes'),
    h(
      'ul',
      { class: 'legend', id: 'classes' },
      (manifest.classes ?? []).map((c) =>
        h(
          'li',
          null,
          h('span', { class: 'swatch', style: `background:${rgb(c.color)}` }),
          `${c.trainId} ${c.name}`,
        ),
      ),
    ),
  );
  const history = manifest.history ?? [];
  for (const spec of STEP_CHARTS.filter((c) => c.id !== 'gap' || history.some((e) => e.logVarianceGaps))) {
    if (spec.id === 'sigma' && !history.some((e) => e.logVariances)) continue;
    const chart = new LineChart(charts, {
      id: `model-${spec.id}`,
      title: spec.title,
      xLabel: 'epoch',
      series: tasks,
    });
    for (const e of history) chart.push(e.epoch, chartPoint(spec, e, tasks));
  }
  for (const spec of METRIC_CHARTS) {
    const chart = new LineChart(charts, {
      id: `model-${spec.id}`,
      title: spec.title,
      xLabel: 'epoch',
      series: spec.series,
    });
    for (const e of history)
      chart.push(e.epoch, Object.fromEntries(spec.series.map((s) => [s, metricOf(e.metrics, s)])));
  }
}
