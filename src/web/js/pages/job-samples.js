/**
 * The job page's pictures: for a few fixed validation images, the coloured views (segmentation, instances,
 * depth, overlay) the worker rendered at the end of each kept epoch, with a slider over the epochs, beside
 * the ground truth. Images are fetched with the API key and shown through object URLs.
 */
import { api } from '../api.js';
import { h, replace } from '../dom.js';

/** Loads one stored picture as an object URL (revoked when the page is left). */
async function pictureUrl(path, signal, urls) {
  const blob = await api(path, { as: 'blob', signal });
  const url = URL.createObjectURL(blob);
  urls.push(url);
  return url;
}

function figure(url, caption) {
  return h(
    'figure',
    null,
    h('img', { src: url, alt: caption, width: 256, height: 128 }),
    h('figcaption', null, caption),
  );
}

/**
 * Fills `section` with the pictures of `job` and refreshes them when it receives an `epoch` event.
 * @param {HTMLElement} section
 * @param {{ id: string }} job
 * @param {AbortSignal} signal
 */
export function samplesSection(section, job, signal) {
  const urls = [];
  signal.addEventListener('abort', () => urls.forEach((u) => URL.revokeObjectURL(u)));
  const base = `/v1/training-jobs/${encodeURIComponent(job.id)}/samples`;
  let index = null;
  let chosen = null;
  const slider = h('input', {
    type: 'range',
    id: 'sample-epoch',
    min: 0,
    max: 0,
    step: 1,
    value: 0,
    'aria-label': 'epoch',
  });
  const label = h('output', { for: 'sample-epoch', id: 'sample-epoch-label' });
  const grid = h('div', { id: 'sample-pictures' });

  async function draw() {
    if (!index || index.epochs.length === 0) return;
    const epoch = index.epochs[Number(slider.value)];
    chosen = epoch;
    label.textContent = `epoch ${epoch}`;
    const rows = [];
    for (let sample = 0; sample < index.samples; sample++) {
      const truth = await Promise.all(
        index.groundTruth.map(async (view) =>
          figure(await pictureUrl(`${base}/0/${sample}/${view}.png`, signal, urls), `ground truth: ${view}`),
        ),
      );
      const predicted = await Promise.all(
        index.views.map(async (view) =>
          figure(
            await pictureUrl(`${base}/${epoch}/${sample}/${view}.png`, signal, urls),
            `epoch ${epoch}: ${view}`,
          ),
        ),
      );
      rows.push(
        h('div', { class: 'pictures', 'data-sample': sample, 'data-epoch': epoch }, truth, predicted),
      );
    }
    if (chosen === epoch) replace(grid, rows);
  }

  async function load() {
    index = await api(base, { signal });
    if (index.epochs.length === 0) {
      replace(
        section,
        h('h2', null, 'Pictures per epoch'),
        h('p', { class: 'muted', id: 'no-samples' }, 'No pictures yet: they appear after the first epoch.'),
      );
      return;
    }
    const atEnd = Number(slider.value) === Number(slider.max);
    slider.max = String(index.epochs.length - 1);
    if (atEnd) slider.value = slider.max;
    replace(
      section,
      h('h2', null, 'Pictures per epoch'),
      h('div', { class: 'row' }, h('label', { for: 'sample-epoch' }, 'Epoch'), slider, label),
      grid,
    );
    await draw();
  }

  slider.addEventListener('input', () => draw().catch(() => {}));
  section.addEventListener('epoch', () => load().catch(() => {}));
  load().catch((e) => {
    if (!signal.aborted)
      replace(
        section,
        h('h2', null, 'Pictures per epoch'),
        h(
          'p',
          { class: 'muted' },
          e.status === 404 ? 'No pictures for this job.' : (e.describe?.() ?? String(e)),
        ),
      );
  });
}
