/**
 * The fuzz test's requests: for every operation of openapi.yaml, one request per malformed value of each
 * parameter and body field (the rest valid, so that each value reaches its check), bad bodies and content
 * types, broken images, bad API keys, wrong methods; then seeded random combinations of those.
 */
import { tinySpec } from '../../helpers/training.js';
import type { ImageBody } from './broken-images.js';
import {
  badAuthorizations,
  CONTENT_TYPES,
  MALFORMED_BODIES,
  MALFORMED_HEADER_VALUES,
  MALFORMED_JSON_VALUES,
  MALFORMED_URL_VALUES,
  type WireValue,
} from './malformed-values.js';
import { fieldPaths, type Operation, type OperationParameter } from './openapi-operations.js';

/** One request, as it goes on the wire. */
export interface WireRequest {
  /** What it tests, for the failure report. */
  label: string;
  /** The operation (`POST /v1/training-jobs`), or `-` for none. */
  operation: string;
  method: string;
  /** The request target: path and query, percent-encoded (or not, on purpose). */
  target: string;
  headers: [string, string][];
  body?: Buffer;
}

/** What the plan needs to build valid requests. */
export interface PlanContext {
  /** The valid API key. */
  apiKey: string;
  /** A job that exists (queued). */
  jobId: string;
  /** A model that exists and is never deleted. */
  modelId: string;
  /** Models the DELETE operation may delete (one each time, then unknown ids). */
  spareModelIds: string[];
  /** Models broken on disk (a manifest that is not JSON, a missing weights file, ...). */
  brokenModelIds: string[];
  /** Images the prediction route gets: good ones and broken ones. */
  goodImages: ImageBody[];
  brokenImages: ImageBody[];
  /** Seeded random numbers in [0, 1). */
  random: () => number;
}

/** Valid query values by parameter name. Why a table: the contract gives types, not good examples. */
const VALID_QUERY: Readonly<Record<string, string[]>> = {
  status: ['queued', 'running', 'cancelling', 'completed', 'failed', 'cancelled'],
  limit: ['1', '20', '100'],
  offset: ['0', '3'],
  outputs: ['segmentation', 'depth,instances', 'segmentation,instances,depth'],
  view: ['segmentation', 'instances', 'depth', 'overlay'],
};

/** A JSON fragment marker in a body, replaced by the raw fragment after JSON.stringify. */
const RAW_MARK = '@@fuzz-raw@@';

/** Builds the plan; see the module documentation. */
export class RequestPlan {
  private readonly requests: WireRequest[] = [];
  private spare = 0;

  constructor(
    private readonly operations: readonly Operation[],
    private readonly context: PlanContext,
  ) {}

  /** Every systematic request, then random combinations until there are at least `total`. */
  build(total: number): WireRequest[] {
    for (const op of this.operations) {
      this.parameters(op);
      this.bodies(op);
      this.authorizations(op);
      if (op.jsonBody !== undefined) this.jsonFields(op);
      if (op.path.endsWith('/predict')) this.images(op);
    }
    this.wrongMethods();
    while (this.requests.length < total) this.randomCombination();
    return this.requests;
  }

  private pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.context.random() * items.length)]!;
  }

  /** A valid id for the operation's `{id}`. */
  private validId(op: Operation): string {
    if (op.path.startsWith('/v1/training-jobs')) return this.context.jobId;
    if (op.method === 'DELETE') return this.context.spareModelIds[this.spare++] ?? `gone-${this.spare}`;
    return this.context.modelId;
  }

  /** A valid request of `op`; `change` edits it before it is added. */
  private add(
    op: Operation,
    label: string,
    change: (r: WireRequest & { query: string[] }) => void = () => {},
  ): void {
    const request: WireRequest & { query: string[] } = {
      label: `${op.key}: ${label}`,
      operation: op.key,
      method: op.method,
      target: op.path.replace('{id}', this.validId(op)),
      headers: op.secured ? [['authorization', `Bearer ${this.context.apiKey}`]] : [],
      query: op.parameters
        .filter((p) => p.in === 'query' && this.context.random() < 0.5)
        .map((p) => `${p.name}=${this.pick(VALID_QUERY[p.name] ?? ['x'])}`),
    };
    if (op.jsonBody !== undefined) setJson(request, JSON.stringify(tinySpec()));
    if (op.path.endsWith('/predict')) setImage(request, this.pick(this.context.goodImages));
    change(request);
    const { query, ...wire } = request;
    if (query.length > 0) wire.target += `?${query.join('&')}`;
    this.requests.push(wire);
  }

  /** Each malformed value in each parameter, and repeated, nested, unknown and garbled query keys. */
  private parameters(op: Operation): void {
    for (const param of op.parameters) {
      const values = param.in === 'header' ? MALFORMED_HEADER_VALUES : MALFORMED_URL_VALUES;
      for (const value of values)
        this.add(op, `${param.in} ${param.name} = ${value.label}`, (r) => setParam(r, param, value, op));
      if (param.in === 'query') {
        const good = VALID_QUERY[param.name]?.[0] ?? 'x';
        this.add(
          op,
          `query ${param.name} twice`,
          (r) => void (r.query = [`${param.name}=${good}`, `${param.name}=${good}`]),
        );
        this.add(op, `query ${param.name}[a]`, (r) => void (r.query = [`${param.name}[a]=${good}`]));
        this.add(op, `query ${param.name} without a value`, (r) => void (r.query = [param.name]));
      }
    }
    if (op.path.startsWith('/v1/models/{id}') && op.method !== 'DELETE') {
      for (const id of this.context.brokenModelIds) {
        this.add(op, `the broken model ${id}`, (r) => void (r.target = op.path.replace('{id}', id)));
      }
    }
    this.add(op, 'an unknown query parameter', (r) => r.query.push('zz=1'));
    this.add(op, 'a garbled query key', (r) => r.query.push('%zz=1&=&&==&%00=%00'));
    this.add(op, 'a query of 1000 keys', (r) =>
      r.query.push(...Array.from({ length: 1000 }, (_, i) => `k${i}=${i}`)),
    );
  }

  /** Malformed whole bodies as JSON, and a body in each content type. */
  private bodies(op: Operation): void {
    for (const { label, body } of MALFORMED_BODIES) {
      this.add(op, `body: ${label}`, (r) => setBody(r, 'application/json', Buffer.from(body, 'latin1')));
    }
    for (const type of CONTENT_TYPES) {
      this.add(op, `content type ${type}`, (r) => {
        const current = r.body ?? Buffer.from('{}');
        setBody(r, type, current);
      });
    }
    this.add(op, 'a content type without a body', (r) => {
      delete r.body;
      r.headers = r.headers.filter(([name]) => name !== 'content-length');
    });
    this.add(op, 'a body shorter than its Content-Length (answered 408)', (r) => {
      setBody(r, 'application/json', Buffer.from('{}'));
      r.headers.push(['content-length', '10']);
    });
    this.add(op, 'a body longer than its Content-Length', (r) => {
      setBody(r, 'application/json', Buffer.from('{}{}'));
      r.headers.push(['content-length', '2']);
    });
    this.add(op, 'a chunked body', (r) => {
      setBody(r, 'application/json', Buffer.from('2\r\n{}\r\n0\r\n\r\n'));
      r.headers.push(['transfer-encoding', 'chunked']);
    });
  }

  /** Every bad Authorization header on a secured operation. */
  private authorizations(op: Operation): void {
    if (!op.secured) return;
    for (const auth of badAuthorizations(this.context.apiKey)) {
      this.add(
        op,
        `authorization ${auth === undefined ? 'missing' : JSON.stringify(auth.slice(0, 40))}`,
        (r) => {
          r.headers = r.headers.filter(([name]) => name !== 'authorization');
          if (auth !== undefined) r.headers.push(['authorization', auth]);
        },
      );
    }
  }

  /** Each malformed JSON value in each body field, each field removed, an unknown field in each object. */
  private jsonFields(op: Operation): void {
    for (const path of fieldPaths(op.jsonBody!)) {
      const name = path.join('.');
      for (const fragment of MALFORMED_JSON_VALUES) {
        this.add(op, `body ${name} = ${fragment.slice(0, 30)}`, (r) =>
          setJson(r, specWith(path, RAW_MARK), fragment),
        );
      }
      this.add(op, `body ${name} removed`, (r) => setJson(r, specWith(path, undefined)));
      this.add(op, `body ${name} with an unknown field`, (r) =>
        setJson(r, specWith([...path, 'unknownField'], 1)),
      );
    }
    this.add(op, 'body with an unknown field', (r) => setJson(r, specWith(['unknownField'], { a: [1] })));
  }

  /** Every broken image, and the good ones with each view and outputs. */
  private images(op: Operation): void {
    for (const image of this.context.brokenImages)
      this.add(op, `image: ${image.label}`, (r) => setImage(r, image));
    for (const image of this.context.goodImages) {
      for (const view of [undefined, ...VALID_QUERY.view!]) {
        this.add(op, `image: ${image.label}, view ${view ?? 'none'}`, (r) => {
          setImage(r, image);
          r.query = view === undefined ? ['outputs=segmentation,depth'] : [`view=${view}`];
        });
      }
    }
    this.add(op, 'a good image with Accept: image/png', (r) => r.headers.push(['accept', 'image/png']));
    this.add(op, 'a good image with a garbled Accept', (r) =>
      r.headers.push(['accept', ';;q=x, */*;q=1e400']),
    );
  }

  /** Methods the contract does not list for a path, and paths it does not list. */
  private wrongMethods(): void {
    const paths = [...new Set(this.operations.map((op) => op.path))];
    for (const path of paths) {
      const listed = new Set(this.operations.filter((op) => op.path === path).map((op) => op.method));
      for (const method of ['PUT', 'PATCH', 'DELETE', 'OPTIONS', 'BREW']) {
        if (listed.has(method)) continue;
        this.requests.push({
          label: `${method} ${path}`,
          operation: '-',
          method,
          target: path.replace('{id}', this.context.jobId),
          headers: [['authorization', `Bearer ${this.context.apiKey}`]],
        });
      }
    }
    for (const target of [
      '/v1',
      '/v1/',
      '/v2/training-jobs',
      '//v1/models',
      '/v1/models/tiny/predict/extra',
      '*',
    ]) {
      this.requests.push({ label: `GET ${target}`, operation: '-', method: 'GET', target, headers: [] });
    }
  }

  /** One to three mutations of one operation, drawn from the pools above. */
  private randomCombination(): void {
    const op = this.pick(this.operations);
    const mutations = 1 + Math.floor(this.context.random() * 3);
    const labels: string[] = [];
    this.add(op, 'random', (r) => {
      for (let i = 0; i < mutations; i++) {
        const kind = this.pick(['param', 'body', 'type', 'auth', 'field', 'image'] as const);
        if (kind === 'param' && op.parameters.length > 0) {
          const param = this.pick(op.parameters);
          const value = this.pick(param.in === 'header' ? MALFORMED_HEADER_VALUES : MALFORMED_URL_VALUES);
          setParam(r, param, value, op);
          labels.push(`${param.name}=${value.label}`);
        } else if (kind === 'body') {
          const body = this.pick(MALFORMED_BODIES);
          setBody(r, 'application/json', Buffer.from(body.body, 'latin1'));
          labels.push(`body ${body.label}`);
        } else if (kind === 'type') {
          const type = this.pick(CONTENT_TYPES);
          setBody(r, type, r.body ?? Buffer.alloc(0));
          labels.push(`type ${type}`);
        } else if (kind === 'auth' && op.secured) {
          const auth = this.pick(badAuthorizations(this.context.apiKey));
          r.headers = r.headers.filter(([name]) => name !== 'authorization');
          if (auth !== undefined) r.headers.push(['authorization', auth]);
          labels.push(`auth ${String(auth).slice(0, 20)}`);
        } else if (kind === 'field' && op.jsonBody !== undefined) {
          const path = this.pick(fieldPaths(op.jsonBody));
          const fragment = this.pick(MALFORMED_JSON_VALUES);
          setJson(r, specWith(path, RAW_MARK), fragment);
          labels.push(`${path.join('.')}=${fragment.slice(0, 20)}`);
        } else if (kind === 'image') {
          const image = this.pick(this.context.brokenImages);
          setImage(r, image);
          labels.push(image.label);
        }
      }
      r.label = `${op.key}: random ${labels.join(', ') || 'valid'}`;
    });
  }
}

/** Puts a malformed value into a parameter of the request. */
function setParam(
  r: WireRequest & { query: string[] },
  param: OperationParameter,
  value: WireValue,
  op: Operation,
): void {
  if (param.in === 'path') r.target = op.path.replace(`{${param.name}}`, value.wire);
  else if (param.in === 'query')
    r.query = [...r.query.filter((q) => !q.startsWith(`${param.name}=`)), `${param.name}=${value.wire}`];
  else r.headers.push([param.name, value.wire]);
}

/** Sets the body and its content type (replacing both). */
function setBody(r: WireRequest, type: string, body: Buffer): void {
  r.headers = r.headers.filter(([name]) => name !== 'content-type');
  if (type !== '') r.headers.push(['content-type', type]);
  r.body = body;
}

/** Sets a JSON body; `fragment` replaces the marker string when given. */
function setJson(r: WireRequest, json: string, fragment?: string): void {
  const text = fragment === undefined ? json : json.replace(JSON.stringify(RAW_MARK), fragment);
  setBody(r, 'application/json', Buffer.from(text, 'utf8'));
}

/** Sets an image body. */
function setImage(r: WireRequest, image: ImageBody): void {
  setBody(r, image.contentType, image.body);
}

/** `tinySpec()` as JSON with `value` at `path` (intermediate objects created; `undefined` deletes it). */
function specWith(path: (string | number)[], value: unknown): string {
  const spec = tinySpec() as Record<string | number, unknown>;
  let node: Record<string | number, unknown> = spec;
  for (const key of path.slice(0, -1)) {
    const next = node[key];
    node[key] = typeof next === 'object' && next !== null ? next : {};
    node = node[key] as Record<string | number, unknown>;
  }
  const last = path.at(-1)!;
  if (value === undefined) delete node[last];
  else node[last] = value;
  return JSON.stringify(spec);
}
