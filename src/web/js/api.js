/**
 * The API client of the dashboard: every call goes through `api()`, which adds the bearer key when one is
 * stored, turns error bodies into {@link ApiError}s, and asks for a key (via the `auth-required` event) on
 * 401. Server-Sent Events are read with fetch (not EventSource) so that the key travels in a header.
 */

/** sessionStorage key of the API key. Why sessionStorage: the key lives as long as the tab, no longer. */
const KEY_STORAGE = 'scene-mtl.apiKey';

/** An error answer of the API: status, code and message (and per-field issues in `details`). */
export class ApiError extends Error {
  constructor(status, body) {
    const error = body?.error ?? {};
    super(error.message ?? `HTTP ${status}`);
    this.name = 'ApiError';
    this.status = status;
    this.code = error.code ?? `HTTP_${status}`;
    this.details = error.details;
  }

  /** The message with one line per field issue, as a person should read it. */
  describe() {
    const issues = Array.isArray(this.details) ? this.details : [];
    return [this.message, ...issues.map((i) => `${i.path ?? ''}: ${i.message}`)].join('\n');
  }
}

/** The stored API key, if any. */
export function apiKey() {
  return sessionStorage.getItem(KEY_STORAGE);
}

/** Stores (or with null, forgets) the API key. */
export function setApiKey(key) {
  if (key) sessionStorage.setItem(KEY_STORAGE, key);
  else sessionStorage.removeItem(KEY_STORAGE);
}

function headersWith(extra) {
  const headers = new Headers(extra ?? {});
  const key = apiKey();
  if (key) headers.set('authorization', `Bearer ${key}`);
  return headers;
}

async function failure(response) {
  let body;
  try {
    body = await response.json();
  } catch {
    body = undefined;
  }
  const error = new ApiError(response.status, body);
  if (response.status === 401) window.dispatchEvent(new CustomEvent('auth-required', { detail: error }));
  return error;
}

/**
 * Calls the API.
 * @param {string} path - Path with query, e.g. `/v1/training-jobs?limit=20`.
 * @param {{ method?: string, json?: unknown, body?: BodyInit, headers?: Record<string,string>, as?: 'json'|'blob'|'response', signal?: AbortSignal }} [options]
 */
export async function api(path, options = {}) {
  const headers = headersWith(options.headers);
  let body = options.body;
  if (options.json !== undefined) {
    headers.set('content-type', 'application/json');
    body = JSON.stringify(options.json);
  }
  const response = await fetch(path, {
    method: options.method ?? 'GET',
    headers,
    body,
    signal: options.signal,
  });
  if (!response.ok) throw await failure(response);
  if (options.as === 'response') return response;
  if (options.as === 'blob') return response.blob();
  if (response.status === 204) return undefined;
  return response.json();
}

/**
 * Reads a Server-Sent Events stream until it ends or `signal` aborts, calling `onEvent(name, data)` for
 * each event (data parsed as JSON).
 */
export async function readEvents(path, onEvent, signal) {
  const response = await fetch(path, { headers: headersWith({ accept: 'text/event-stream' }), signal });
  if (!response.ok) throw await failure(response);
  const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = '';
  for (;;) {
    const { value, done } = await reader.read();
    if (done) return;
    buffer += value;
    let end;
    while ((end = buffer.indexOf('\n\n')) >= 0) {
      const block = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      let name = 'message';
      const data = [];
      for (const line of block.split('\n')) {
        if (line.startsWith('event:')) name = line.slice(6).trim();
        else if (line.startsWith('data:')) data.push(line.slice(5).trimStart());
      }
      if (data.length > 0) onEvent(name, JSON.parse(data.join('\n')));
    }
  }
}
