/**
 * Jobs: the list (status, strategy, tasks, progress, ETA; refreshed every few seconds; filter by status),
 * a form that submits a job (the API's validation errors shown as it words them), and cancel.
 */
import { api } from '../api.js';
import { duration, h, replace, statusBadge } from '../dom.js';

/** Statuses to filter by ('' = all), as the API names them. */
const STATUSES = ['', 'queued', 'running', 'cancelling', 'completed', 'failed', 'cancelled'];

/** How often the list refreshes, in ms. Why 2 s: a tiny job's epoch takes seconds; faster only costs polls. */
const REFRESH_MS = 2000;

/** Rows per page. */
const PAGE_SIZE = 50;

/**
 * The spec the form starts with: a job that takes seconds on a CPU (a small generated dataset, a narrow
 * network, two epochs), so trying the form never fills a disk.
 */
export const DEFAULT_SPEC = {
  dataset: { kind: 'synthetic', scenes: 8, size: [64, 128], seed: 1 },
  tasks: ['segmentation', 'instances', 'depth'],
  weighting: { strategy: 'uncertainty' },
  model: { width: 8, inputSize: [64, 128] },
  training: { epochs: 2, batchSize: 4 },
};

/** Whether a job has not ended yet (a cancelling one still runs until its worker stops it). */
export function isActive(job) {
  return job.status === 'queued' || job.status === 'running' || job.status === 'cancelling';
}

/** Cancels a job; resolves to the API's answer or throws its ApiError. */
export function cancelJob(id) {
  return api(`/v1/training-jobs/${encodeURIComponent(id)}/cancel`, { method: 'POST' });
}

function jobRow(job, refresh) {
  const progress = job.progress;
  const percent = progress?.percent ?? (job.status === 'completed' ? 100 : 0);
  return h(
    'tr',
    { 'data-job': job.id },
    h('td', null, h('a', { href: `#/jobs/${encodeURIComponent(job.id)}` }, job.name ?? job.id)),
    h('td', null, statusBadge(job.status)),
    h('td', null, job.spec?.weighting?.strategy ?? '–'),
    h('td', null, (job.spec?.tasks ?? []).join(', ')),
    h(
      'td',
      null,
      h('progress', { class: 'progress', max: 100, value: percent, 'aria-label': `progress of ${job.id}` }),
      ` ${percent.toFixed(0)} %`,
      progress?.phase && isActive(job) ? h('span', { class: 'muted' }, ` ${progress.phase}`) : null,
    ),
    h('td', { class: 'num' }, isActive(job) ? duration(progress?.etaSeconds) : '–'),
    h('td', null, new Date(job.createdAt).toLocaleString()),
    h(
      'td',
      null,
      isActive(job)
        ? h(
            'button',
            {
              type: 'button',
              onclick: async () => {
                await cancelJob(job.id);
                refresh();
              },
            },
            'Cancel',
          )
        : null,
    ),
  );
}

function submitForm(onSubmitted) {
  const text = h('textarea', { id: 'spec', rows: 12, spellcheck: 'false', 'aria-describedby': 'spec-error' });
  text.value = JSON.stringify(DEFAULT_SPEC, null, 2);
  const error = h('p', { class: 'error', id: 'spec-error', role: 'alert' });
  const form = h(
    'form',
    {
      id: 'submit-job',
      onsubmit: async (event) => {
        event.preventDefault();
        error.textContent = '';
        let spec;
        try {
          spec = JSON.parse(text.value);
        } catch (e) {
          error.textContent = `The spec is not JSON: ${e.message}`;
          return;
        }
        try {
          const job = await api('/v1/training-jobs', { method: 'POST', json: spec });
          onSubmitted(job);
        } catch (e) {
          error.textContent = e.describe?.() ?? String(e);
        }
      },
    },
    h(
      'label',
      { for: 'spec' },
      'Training spec (JSON; see ',
      h('a', { href: '/docs' }, 'the API docs'),
      ' for every field)',
    ),
    text,
    error,
    h('button', { type: 'submit' }, 'Submit job'),
  );
  return h('details', { id: 'new-job' }, h('summary', null, 'New training job'), form);
}

/** Renders the jobs page. */
export async function render(main, _params, signal) {
  const query = new URLSearchParams(location.hash.split('?')[1] ?? '');
  let status = query.get('status') ?? '';
  const body = h('tbody');
  const total = h('span', { class: 'muted' });
  const filter = h(
    'select',
    {
      id: 'status-filter',
      onchange: () => {
        status = filter.value;
        refresh();
      },
    },
    STATUSES.map((s) => h('option', { value: s, selected: s === status }, s || 'all')),
  );
  async function refresh() {
    const params = new URLSearchParams({ limit: String(PAGE_SIZE) });
    if (status) params.set('status', status);
    const page = await api(`/v1/training-jobs?${params}`, { signal });
    replace(
      body,
      page.items.length
        ? page.items.map((job) => jobRow(job, refresh))
        : h('tr', null, h('td', { colspan: 8, class: 'muted' }, 'No jobs yet.')),
    );
    total.textContent = `${page.total} job${page.total === 1 ? '' : 's'}`;
  }
  await refresh();
  replace(
    main,
    h('h1', null, 'Training jobs'),
    submitForm((job) => (location.hash = `#/jobs/${encodeURIComponent(job.id)}`)),
    h('div', { class: 'row' }, h('label', { for: 'status-filter' }, 'Status'), filter, total),
    h(
      'div',
      { class: 'table-wrap' },
      h(
        'table',
        { id: 'jobs' },
        h(
          'thead',
          null,
          h(
            'tr',
            null,
            ['Job', 'Status', 'Strategy', 'Tasks', 'Progress', 'ETA', 'Created', ''].map((t) =>
              h('th', { scope: 'col' }, t),
            ),
          ),
        ),
        body,
      ),
    ),
  );
  const timer = setInterval(() => refresh().catch(() => {}), REFRESH_MS);
  signal.addEventListener('abort', () => clearInterval(timer));
}
