/**
 * Tiny DOM helpers: elements are built with `h()` from properties and children (text is always a text
 * node, never parsed as HTML, so nothing the API returns can inject markup).
 */

/**
 * Creates an element.
 * @param {string} tag - Tag name.
 * @param {Record<string, unknown> | null} [props] - Attributes; `on*` functions become listeners,
 *   `class`, `for`, `aria-*`, `data-*` and the rest become attributes; `false`/`null`/`undefined` are skipped.
 * @param {...(Node | string | number | null | undefined | false | Array<unknown>)} children - Children.
 * @returns {HTMLElement}
 */
export function h(tag, props, ...children) {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(props ?? {})) {
    if (value === false || value === null || value === undefined) continue;
    if (key.startsWith('on') && typeof value === 'function') el.addEventListener(key.slice(2), value);
    else if (key === 'value') el.value = value;
    else el.setAttribute(key, value === true ? '' : String(value));
  }
  append(el, children);
  return el;
}

/** Appends children (nested arrays flattened, empty values skipped). */
export function append(parent, children) {
  for (const child of children.flat(Infinity)) {
    if (child === null || child === undefined || child === false) continue;
    parent.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return parent;
}

/** Replaces every child of `parent`. */
export function replace(parent, ...children) {
  parent.replaceChildren();
  return append(parent, children);
}

/** A number with a fixed count of decimals, or an en dash when missing. */
export function fmt(value, decimals = 3) {
  return typeof value === 'number' && Number.isFinite(value) ? value.toFixed(decimals) : '–';
}

/** Seconds as "1 h 02 min", "3 min 05 s" or "12 s". */
export function duration(seconds) {
  if (typeof seconds !== 'number' || !Number.isFinite(seconds)) return '–';
  const s = Math.round(seconds);
  if (s >= 3600)
    return `${Math.floor(s / 3600)} h ${String(Math.floor((s % 3600) / 60)).padStart(2, '0')} min`;
  if (s >= 60) return `${Math.floor(s / 60)} min ${String(s % 60).padStart(2, '0')} s`;
  return `${s} s`;
}

/** A status badge. */
export function statusBadge(status) {
  return h('span', { class: `status status-${status}`, 'data-status': status }, status);
}

/** The `rgb()` CSS colour of an [r, g, b] triple. */
export function rgb(color) {
  return `rgb(${color[0]}, ${color[1]}, ${color[2]})`;
}
