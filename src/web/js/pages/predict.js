/**
 * The predict playground: choose a model and an image (file picker or drop), pick the outputs, and see the
 * coloured views (segmentation, instances, depth, overlay) with a class legend, the instance list with
 * boxes drawn on the image, the depth in metres under the pointer, and the timings.
 */
import { api } from '../api.js';
import { fmt, h, replace, rgb } from '../dom.js';
import { decodeGreyPng, fromBase64 } from '../png.js';

const OUTPUTS = ['segmentation', 'instances', 'depth'];

/** The views a set of outputs allows. */
function viewsFor(outputs) {
  return [
    ...outputs.filter((o) => OUTPUTS.includes(o)),
    ...(outputs.includes('segmentation') ? ['overlay'] : []),
  ];
}

/** Draws the instances' boxes over the image on a canvas. */
function boxesCanvas(bitmap, instances) {
  const canvas = h('canvas', {
    width: bitmap.width,
    height: bitmap.height,
    id: 'instance-boxes',
    'aria-label': 'instances drawn on the image',
  });
  const ctx = canvas.getContext('2d');
  ctx.drawImage(bitmap, 0, 0);
  ctx.lineWidth = Math.max(1, Math.round(bitmap.width / 256));
  ctx.font = `${Math.max(10, Math.round(bitmap.width / 40))}px system-ui`;
  for (const inst of instances) {
    const [x, y, x1, y1] = inst.bbox;
    ctx.strokeStyle = '#ffeb3b';
    ctx.strokeRect(x + 0.5, y + 0.5, x1 - x - 1, y1 - y - 1);
    ctx.fillStyle = '#ffeb3b';
    ctx.fillText(`${inst.id} ${inst.className ?? ''}`, x + 2, Math.max(10, y - 2));
  }
  return canvas;
}

/** Renders the playground. */
export async function render(main, _params, signal) {
  const { items } = await api('/v1/models', { signal });
  const ready = items.filter((m) => m.status === 'ready');
  const wanted = new URLSearchParams(location.hash.split('?')[1] ?? '').get('model');
  const modelSelect = h(
    'select',
    { id: 'predict-model' },
    ready.map((m) =>
      h('option', { value: m.id, selected: m.id === wanted }, `${m.name ?? m.id} (${m.tasks.join(', ')})`),
    ),
  );
  const file = h('input', { type: 'file', id: 'predict-file', accept: 'image/png,image/jpeg' });
  const drop = h(
    'div',
    { class: 'drop', id: 'predict-drop' },
    h('label', { for: 'predict-file' }, 'Choose an image (PNG or JPEG) '),
    file,
    h('p', { class: 'muted' }, '…or drop one here.'),
  );
  const outputs = OUTPUTS.map((o) =>
    h('label', null, h('input', { type: 'checkbox', name: 'outputs', value: o, checked: true }), ` ${o} `),
  );
  const button = h('button', { type: 'button', id: 'predict-run' }, 'Predict');
  const error = h('p', { class: 'error', role: 'alert', id: 'predict-error' });
  const result = h('section', { id: 'predict-result' });
  let image = null;

  const setImage = (f) => {
    image = f;
    drop.querySelector('p').textContent = f
      ? `${f.name} (${Math.round(f.size / 1024)} KiB)`
      : '…or drop one here.';
  };
  file.addEventListener('change', () => setImage(file.files[0] ?? null));
  drop.addEventListener('dragover', (e) => {
    e.preventDefault();
    drop.classList.add('over');
  });
  drop.addEventListener('dragleave', () => drop.classList.remove('over'));
  drop.addEventListener('drop', (e) => {
    e.preventDefault();
    drop.classList.remove('over');
    setImage(e.dataTransfer.files[0] ?? null);
  });

  button.addEventListener('click', async () => {
    error.textContent = '';
    if (!modelSelect.value) return void (error.textContent = 'There is no model yet: train one first.');
    if (!image) return void (error.textContent = 'Choose an image first.');
    const model = ready.find((m) => m.id === modelSelect.value);
    const picked = outputs
      .map((l) => l.querySelector('input'))
      .filter((i) => i.checked && model.tasks.includes(i.value))
      .map((i) => i.value);
    if (picked.length === 0) return void (error.textContent = 'Pick at least one output the model has.');
    button.disabled = true;
    replace(result, h('p', { class: 'muted' }, 'Predicting…'));
    try {
      await showPrediction(result, model, image, picked, signal);
    } catch (e) {
      replace(result);
      error.textContent = e.describe?.() ?? String(e);
    } finally {
      button.disabled = false;
    }
  });

  replace(
    main,
    h('h1', null, 'Predict'),
    ready.length === 0
      ? h('p', { class: 'muted' }, 'No model is ready yet: a completed training job makes one.')
      : null,
    h('div', { class: 'row' }, h('label', { for: 'predict-model' }, 'Model'), modelSelect),
    drop,
    h('fieldset', null, h('legend', null, 'Outputs'), outputs),
    button,
    error,
    result,
  );
}

async function showPrediction(result, model, image, outputs, signal) {
  const base = `/v1/models/${encodeURIComponent(model.id)}/predict`;
  const headers = { 'content-type': image.type || 'image/png' };
  const started = performance.now();
  const body = await api(`${base}?outputs=${outputs.join(',')}`, {
    method: 'POST',
    body: image,
    headers,
    signal,
  });
  const roundTripMs = performance.now() - started;
  const views = viewsFor(outputs);
  const pictures = await Promise.all(
    views.map(async (view) => {
      const blob = await api(`${base}?view=${view}`, {
        method: 'POST',
        body: image,
        headers: { ...headers, accept: 'image/png' },
        as: 'blob',
        signal,
      });
      return { view, url: URL.createObjectURL(blob) };
    }),
  );
  const bitmap = await createImageBitmap(image);
  const depthMap = body.depth?.metres?.depthMap ?? null;
  const depth = depthMap ? await decodeGreyPng(fromBase64(depthMap.data)) : null;
  const hover = h(
    'output',
    { id: 'depth-hover' },
    depth ? 'Point at the depth picture to read metres.' : 'No metric depth for this model.',
  );
  const figures = pictures.map(({ view, url }) => {
    const img = h('img', {
      src: url,
      alt: `${view} prediction`,
      'data-view': view,
      width: body.width,
      height: body.height,
    });
    if (view === 'depth' && depth) {
      img.addEventListener('mousemove', (e) => {
        const rect = img.getBoundingClientRect();
        const x = Math.min(depth.width - 1, Math.floor(((e.clientX - rect.left) / rect.width) * depth.width));
        const y = Math.min(
          depth.height - 1,
          Math.floor(((e.clientY - rect.top) / rect.height) * depth.height),
        );
        hover.textContent = `(${x}, ${y}): ${(depth.data[y * depth.width + x] / depthMap.scale).toFixed(2)} m`;
      });
    }
    return h('figure', null, img, h('figcaption', null, view));
  });
  const classes = (body.segmentation?.classes ?? []).filter((c) => c.pixelShare > 0);
  const instances = body.instances?.instances ?? [];
  const timings = { ...body.timings, roundTripMs };
  replace(
    result,
    h('h2', null, `Outputs (${body.width} x ${body.height})`),
    h('div', { class: 'views', id: 'predict-views' }, figures),
    hover,
    classes.length
      ? [
          h('h2', null, 'Classes'),
          h(
            'ul',
            { class: 'legend', id: 'predict-legend' },
            classes.map((c) =>
              h(
                'li',
                null,
                h('span', { class: 'swatch', style: `background:${rgb(c.color)}` }),
                `${c.name} ${(100 * c.pixelShare).toFixed(1)} %`,
              ),
            ),
          ),
        ]
      : null,
    body.instances
      ? [
          h('h2', null, `Instances (${body.instances.count})`),
          h(
            'div',
            { class: 'views' },
            h('figure', null, boxesCanvas(bitmap, instances), h('figcaption', null, 'boxes on the image')),
          ),
          h(
            'table',
            { id: 'predict-instances' },
            h(
              'thead',
              null,
              h(
                'tr',
                null,
                ['id', 'class', 'area px', 'bbox (x0, y0, x1, y1)', 'score'].map((t) =>
                  h('th', { scope: 'col' }, t),
                ),
              ),
            ),
            h(
              'tbody',
              null,
              instances.map((i) =>
                h(
                  'tr',
                  null,
                  h('td', null, i.id),
                  h('td', null, i.className ?? '–'),
                  h('td', { class: 'num' }, i.area),
                  h('td', null, i.bbox.join(', ')),
                  h('td', { class: 'num' }, fmt(i.score, 2)),
                ),
              ),
            ),
          ),
        ]
      : null,
    h('h2', null, 'Timings (ms)'),
    h(
      'dl',
      { class: 'facts', id: 'predict-timings' },
      Object.entries(timings).map(([k, v]) => [h('dt', null, k), h('dd', null, fmt(v, 1))]),
    ),
  );
}
