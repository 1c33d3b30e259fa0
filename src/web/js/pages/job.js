/**
 * A job's page: status, phase and step, live curves fed by the job's event stream (seeded from its
 * history), per-epoch validation metrics, the pictures the worker rendered per epoch, checkpoints, the
 * model link, the error when it failed, and cancel.
 */
import { api, readEvents } from '../api.js';
import { LineChart } from '../charts.js';
import { duration, fmt, h, replace, statusBadge } from '../dom.js';
import { METRIC_CHARTS, STEP_CHARTS, chartPoint, epochStep, jobHas, metricOf } from '../training-curves.js';
import { cancelJob, isActive } from './jobs.js';
import { samplesSection } from './job-samples.js';

function headerLine(job) {
  const p = job.progress;
  const parts = [statusBadge(job.status)];
  if (isActive(job) && p) {
    if (p.phase) parts.push(` ${p.phase}`);
    if (p.step !== undefined)
      parts.push(` · step ${p.step} of ${p.totalSteps} · epoch ${p.epoch} of ${p.epochs}`);
    parts.push(` · ${fmt(p.percent, 0)} % · ETA ${duration(p.etaSeconds)}`);
  }
  return parts;
}

function facts(job) {
  const spec = job.spec ?? {};
  const rows = [
    ['Strategy', spec.weighting?.strategy],
    ['Tasks', (spec.tasks ?? []).join(', ')],
    ['Dataset', spec.dataset ? JSON.stringify(spec.dataset) : undefined],
    ['Model', spec.model ? JSON.stringify(spec.model) : undefined],
    ['Training', spec.training ? JSON.stringify(spec.training) : undefined],
    ['Created', job.createdAt && new Date(job.createdAt).toLocaleString()],
    ['Finished', job.finishedAt && new Date(job.finishedAt).toLocaleString()],
    ['Worker', job.worker ? `${job.worker.name} slot ${job.worker.slot}` : undefined],
    ['Backend', job.backend?.name],
  ].filter(([, v]) => v);
  return h(
    'dl',
    { class: 'facts' },
    rows.map(([k, v]) => [h('dt', null, k), h('dd', null, v)]),
  );
}

function epochTable(job) {
  const tasks = job.spec?.tasks ?? [];
  return h(
    'table',
    { id: 'epochs' },
    h(
      'thead',
      null,
      h(
        'tr',
        null,
        ['Epoch', ...tasks.map((t) => `loss ${t}`), 'mIoU', 'instance px', 'disparity px', 'PQ', 'time'].map(
          (t) => h('th', { scope: 'col', class: 'num' }, t),
        ),
      ),
    ),
    h(
      'tbody',
      null,
      (job.history ?? []).map((e) =>
        h(
          'tr',
          null,
          h('td', { class: 'num' }, e.epoch),
          tasks.map((t) => h('td', { class: 'num' }, fmt(e.losses?.[t]))),
          ['meanIoU', 'instanceErrorPx', 'disparityErrorPx', 'pq'].map((m) =>
            h('td', { class: 'num' }, fmt(metricOf(e.metrics, m))),
          ),
          h('td', { class: 'num' }, duration(e.durationMs / 1000)),
        ),
      ),
    ),
  );
}

/** Renders the job page and keeps it live until `signal` aborts. */
export async function render(main, params, signal) {
  let job = await api(`/v1/training-jobs/${encodeURIComponent(params.id)}`, { signal });
  const tasks = job.spec?.tasks ?? [];
  const header = h('p', { id: 'job-state', 'aria-live': 'polite' }, headerLine(job));
  const cancel = h('button', { type: 'button', id: 'cancel-job', hidden: !isActive(job) }, 'Cancel job');
  const message = h('p', { class: 'error', role: 'alert', id: 'job-error' });
  const modelLink = h('p', { id: 'model-link' });
  const checkpoints = h('ul', { id: 'checkpoints' });
  const epochs = h('div', { class: 'table-wrap' });
  const stepCharts = h('div', { class: 'charts', id: 'step-charts' });
  const metricCharts = h('div', { class: 'charts', id: 'metric-charts' });
  const samples = h('section', { id: 'samples' });
  cancel.addEventListener('click', async () => {
    message.textContent = '';
    try {
      await cancelJob(job.id);
      cancel.disabled = true;
      cancel.textContent = 'Cancelling…';
    } catch (e) {
      message.textContent = e.describe?.() ?? String(e);
    }
  });

  replace(
    main,
    h('h1', null, 'Job ', h('code', null, job.name ?? job.id)),
    h('div', { class: 'row' }, header, cancel),
    message,
    modelLink,
    facts(job),
    h('h2', null, 'Training curves'),
    h(
      'p',
      { class: 'muted' },
      'Points at epoch ends are epoch means from the history; the rest are single steps as they stream in.',
    ),
    stepCharts,
    h('h2', null, 'Validation per epoch'),
    metricCharts,
    epochs,
    samples,
    h('h2', null, 'Checkpoints'),
    checkpoints,
  );

  const charts = {};
  // Why by strategy too: a queued job has no points yet, and its sigma chart should be there when they come.
  const learned = /^uncertainty/.test(job.spec?.weighting?.strategy ?? '');
  const learningRate = new LineChart(stepCharts, {
    id: 'learning-rate',
    title: 'Learning rate',
    xLabel: 'step',
    series: ['learningRate'],
  });
  for (const chart of STEP_CHARTS) {
    if (chart.needs && !learned && !jobHas(job, chart.needs)) continue;
    charts[chart.id] = {
      spec: chart,
      line: new LineChart(stepCharts, { id: chart.id, title: chart.title, xLabel: 'step', series: tasks }),
    };
  }
  const metrics = METRIC_CHARTS.map(
    (c) => new LineChart(metricCharts, { id: c.id, title: c.title, xLabel: 'epoch', series: c.series }),
  );

  const addStep = (snapshot, x) => {
    for (const { spec, line } of Object.values(charts)) line.push(x, chartPoint(spec, snapshot, tasks));
    learningRate.push(x, { learningRate: snapshot.learningRate });
  };
  const addEpoch = (summary) => {
    addStep(summary, epochStep(summary, job.progress?.stepsPerEpoch));
    METRIC_CHARTS.forEach((c, i) =>
      metrics[i].push(
        summary.epoch,
        Object.fromEntries(c.series.map((s) => [s, metricOf(summary.metrics, s)])),
      ),
    );
  };
  const show = (next) => {
    job = next;
    replace(header, headerLine(job));
    cancel.hidden = !isActive(job);
    if (job.cancelRequestedAt && isActive(job)) {
      cancel.disabled = true;
      cancel.textContent = 'Cancelling…';
    }
    if (job.error) message.textContent = `${job.error.code}: ${job.error.message}`;
    replace(
      modelLink,
      job.modelId
        ? ['Model: ', h('a', { href: `#/models/${encodeURIComponent(job.modelId)}` }, job.modelId)]
        : null,
    );
    replace(
      checkpoints,
      (job.checkpoints ?? []).map((c) => h('li', null, `${c.name}: epoch ${c.epoch}, step ${c.globalStep}`)),
    );
    if (!job.checkpoints?.length) replace(checkpoints, h('li', { class: 'muted' }, 'none'));
    replace(epochs, epochTable(job));
  };

  for (const summary of job.history ?? []) addEpoch(summary);
  if (job.progress?.step !== undefined && job.progress.losses) addStep(job.progress, job.progress.step);
  show(job);
  samplesSection(samples, job, signal);

  if (!isActive(job)) return;
  readEvents(
    `/v1/training-jobs/${encodeURIComponent(job.id)}/events`,
    (event, data) => {
      if (event === 'progress') {
        if (data.progress?.step !== undefined && data.progress.losses)
          addStep(data.progress, data.progress.step);
        show({ ...job, status: data.status, progress: data.progress });
      } else if (event === 'epoch') {
        job = { ...job, history: [...(job.history ?? []), data.epoch] };
        addEpoch(data.epoch);
        show(job);
        samples.dispatchEvent(new CustomEvent('epoch'));
      } else {
        show(data);
      }
    },
    signal,
  ).catch((e) => {
    if (!signal.aborted) message.textContent = `Live updates stopped: ${e.describe?.() ?? e}`;
  });
}
