/** Models: every trained model (broken ones too, so they can be deleted), newest first. */
import { api } from '../api.js';
import { fmt, h, replace } from '../dom.js';

/** Deletes a model after asking; resolves true when it was deleted. */
export async function deleteModel(id) {
  if (!confirm(`Delete model ${id}? Its files are removed.`)) return false;
  await api(`/v1/models/${encodeURIComponent(id)}`, { method: 'DELETE' });
  return true;
}

function modelRow(model, refresh) {
  const link = h('a', { href: `#/models/${encodeURIComponent(model.id)}` }, model.name ?? model.id);
  const remove = h(
    'button',
    { type: 'button', onclick: async () => (await deleteModel(model.id)) && refresh() },
    'Delete',
  );
  if (model.status === 'broken') {
    return h(
      'tr',
      { 'data-model': model.id },
      h('td', null, model.id),
      h('td', { colspan: 5, class: 'error' }, `broken: ${model.problem}`),
      h('td', null, remove),
    );
  }
  const m = model.metrics ?? {};
  return h(
    'tr',
    { 'data-model': model.id },
    h('td', null, link),
    h('td', null, (model.tasks ?? []).join(', ')),
    h('td', null, model.strategy),
    h('td', null, (model.inputSize ?? []).join(' x ')),
    h('td', { class: 'num' }, fmt(m.meanIoU)),
    h('td', null, new Date(model.createdAt).toLocaleString()),
    h(
      'td',
      null,
      h('a', { href: `#/predict?model=${encodeURIComponent(model.id)}` }, 'Predict'),
      ' ',
      remove,
    ),
  );
}

/** Renders the models list. */
export async function render(main, _params, signal) {
  const body = h('tbody');
  async function refresh() {
    const { items } = await api('/v1/models', { signal });
    replace(
      body,
      items.length
        ? items.map((m) => modelRow(m, refresh))
        : h('tr', null, h('td', { colspan: 7, class: 'muted' }, 'No models yet: a completed job makes one.')),
    );
  }
  await refresh();
  replace(
    main,
    h('h1', null, 'Models'),
    h(
      'div',
      { class: 'table-wrap' },
      h(
        'table',
        { id: 'models' },
        h(
          'thead',
          null,
          h(
            'tr',
            null,
            ['Model', 'Tasks', 'Strategy', 'Input (h x w)', 'mIoU', 'Created', ''].map((t) =>
              h('th', { scope: 'col' }, t),
            ),
          ),
        ),
        body,
      ),
    ),
  );
}
