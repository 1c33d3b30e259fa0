/**
 * The dashboard's entry: a hash router (#/jobs, #/jobs/{id}, #/models, #/models/{id}, #/predict,
 * #/compare) and the API key prompt. Each page is a module exporting `render(main, params, signal)`; the
 * signal aborts when the page is left, which stops its event streams and polling.
 */
import { apiKey, setApiKey } from './api.js';
import { destroyCharts } from './charts.js';
import { h, replace } from './dom.js';

const ROUTES = [
  { pattern: /^\/jobs\/([^/]+)$/, page: () => import('./pages/job.js'), params: ['id'] },
  { pattern: /^\/jobs$/, page: () => import('./pages/jobs.js'), params: [] },
  { pattern: /^\/models\/([^/]+)$/, page: () => import('./pages/model.js'), params: ['id'] },
  { pattern: /^\/models$/, page: () => import('./pages/models.js'), params: [] },
  { pattern: /^\/predict$/, page: () => import('./pages/predict.js'), params: [] },
  { pattern: /^\/compare$/, page: () => import('./pages/compare.js'), params: [] },
];

const main = document.getElementById('main');
let current = new AbortController();

/** Renders the page the hash names (the jobs list by default). */
async function route() {
  current.abort();
  current = new AbortController();
  destroyCharts();
  const path = (location.hash.replace(/^#/, '') || '/jobs').split('?')[0];
  const match = ROUTES.map((r) => ({ r, m: r.pattern.exec(path) })).find((x) => x.m);
  for (const link of document.querySelectorAll('.top nav a')) {
    const active = match && link.getAttribute('href') === `#${path.split('/').slice(0, 2).join('/')}`;
    if (active) link.setAttribute('aria-current', 'page');
    else link.removeAttribute('aria-current');
  }
  if (!match) {
    replace(main, h('h1', null, 'Not found'), h('p', null, h('a', { href: '#/jobs' }, 'Back to the jobs')));
    return;
  }
  const params = Object.fromEntries(
    match.r.params.map((name, i) => [name, decodeURIComponent(match.m[i + 1])]),
  );
  const signal = current.signal;
  replace(main, h('p', { class: 'muted' }, 'Loading…'));
  try {
    const page = await match.r.page();
    await page.render(main, params, signal);
  } catch (error) {
    if (signal.aborted) return;
    replace(
      main,
      h('h1', null, 'Something went wrong'),
      h('p', { class: 'error', role: 'alert' }, error.describe?.() ?? String(error)),
    );
  }
}

/** Asks for the API key (the API answered 401), then reloads the page. */
function askForKey(event) {
  const dialog = document.getElementById('key-dialog');
  if (dialog.open) return;
  document.getElementById('key-error').textContent = apiKey()
    ? `The key was refused: ${event.detail?.message ?? ''}`
    : '';
  setApiKey(null);
  replace(
    main,
    h('h1', null, 'API key required'),
    h('p', { class: 'muted' }, 'Nothing is shown without a valid key.'),
  );
  dialog.showModal();
}

document.getElementById('key-form').addEventListener('submit', () => {
  setApiKey(document.getElementById('key-input').value.trim());
  document.getElementById('key-input').value = '';
  document.getElementById('forget-key').hidden = false;
  route();
});
document.getElementById('forget-key').addEventListener('click', () => {
  setApiKey(null);
  document.getElementById('forget-key').hidden = true;
  route();
});
document.getElementById('forget-key').hidden = !apiKey();
window.addEventListener('auth-required', askForKey);
window.addEventListener('hashchange', route);
route();
