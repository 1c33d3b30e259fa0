/**
 * The service's configuration: one TypeBox schema for every environment variable it reads.
 *
 * Environment variables are read once, converted (numbers, comma-separated lists), given their defaults and
 * validated against {@link ConfigSchema}. Any invalid value fails start-up with a {@link ConfigError} whose
 * message names every bad variable, the value given and what it accepts. Unknown variables are ignored; an
 * empty or blank value counts as unset, so `PORT=` in a compose file means "use the default".
 *
 * The same schema renders the configuration table of README.md ({@link withConfigTable}); a test keeps the two equal.
 *
 * @packageDocumentation
 */
import path from 'node:path';
import {
  Kind,
  Type,
  type SchemaOptions,
  type Static,
  type TLiteral,
  type TSchema,
  type TUnion,
} from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';
import { ConfigError, type ConfigProblem } from './errors.js';

/**
 * Compute backends `TF_BACKEND` accepts, in the order `auto` tries them.
 * Why a list: the schema, the docs and `src/tf/` must agree on the names.
 */
export const TF_BACKEND_CHOICES = ['auto', 'tensorflow', 'wasm', 'cpu'] as const;

/** A value of `TF_BACKEND`. */
export type TfBackendSetting = (typeof TF_BACKEND_CHOICES)[number];

/**
 * Log levels `LOG_LEVEL` accepts: pino's levels, most to least severe, plus `silent`.
 * Why a list: the schema and `logger.ts` (which reads `LOG_LEVEL` before config is loaded) must agree.
 */
export const LOG_LEVEL_CHOICES = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

/** A value of `LOG_LEVEL`. */
export type LogLevelSetting = (typeof LOG_LEVEL_CHOICES)[number];

/**
 * Log formats `LOG_FORMAT` accepts. Why a list: the schema and `logger.ts` (which reads `LOG_FORMAT` before
 * config is loaded) must agree.
 */
export const LOG_FORMAT_CHOICES = ['json', 'pretty'] as const;

/** A value of `LOG_FORMAT`. */
export type LogFormatSetting = (typeof LOG_FORMAT_CHOICES)[number];

/** One mebibyte in bytes. Why: byte limits read better as multiples of it. */
const MiB = 1024 * 1024;

/** Builds a union of string literals (TypeBox's idiom for an enum of strings). */
function literalUnion<T extends string>(values: readonly T[], options: SchemaOptions): TUnion<TLiteral<T>[]> {
  return Type.Union(
    values.map((v) => Type.Literal(v)),
    options,
  );
}

/**
 * Schema of every environment setting. Keys are the environment variable names.
 *
 * Custom annotations, used by {@link loadConfig} and {@link renderConfigTable}:
 * - `accepts`: what a valid value looks like, in words, for error messages and the docs table
 *   (derived from the schema when absent);
 * - `secret`: the value is never printed, not even in error messages.
 */
export const ConfigSchema = Type.Object({
  // 3000: the usual default for Node HTTP services; unprivileged, so no root needed.
  PORT: Type.Integer({
    minimum: 1,
    maximum: 65535,
    default: 3000,
    description: 'TCP port the HTTP API listens on.',
  }),
  // 0.0.0.0: inside a container the API must be reachable from outside it; set 127.0.0.1 on a shared host.
  HOST: Type.String({
    pattern: '^[A-Za-z0-9._:%-]+$',
    default: '0.0.0.0',
    accepts: 'a host name or IP address',
    description: 'Address the HTTP API binds to (`0.0.0.0` = all IPv4 interfaces, `::` = all interfaces).',
  }),
  // No default: unset means `npm start` starts a private redis-server, so the service runs with no setup.
  REDIS_URL: Type.Optional(
    Type.String({
      pattern: '^rediss?://\\S+$',
      accepts: 'a redis:// or rediss:// URL',
      description:
        'Redis used by the job queue, e.g. `redis://localhost:6379/0`. Unset: `npm start` starts a local redis-server.',
    }),
  ),
  // ./data: next to the checkout, where the synthetic-data CLI writes by default.
  DATA_DIR: Type.String({
    minLength: 1,
    default: './data',
    accepts: 'a directory path',
    description:
      'Root of the datasets; requests name datasets by a path inside it and nothing resolves outside it. Relative paths resolve against the working directory.',
  }),
  // ./artifacts: next to the checkout, so trained models survive restarts without extra setup.
  ARTIFACT_DIR: Type.String({
    minLength: 1,
    default: './artifacts',
    accepts: 'a directory path',
    description:
      'Where trained models (`models/{id}/`) and job checkpoints (`jobs/{id}/`) are stored. Relative paths resolve against the working directory.',
  }),
  // auto: picks the fastest backend that loads on this machine, so the same image runs everywhere.
  TF_BACKEND: literalUnion(TF_BACKEND_CHOICES, {
    default: 'auto',
    description:
      'TensorFlow.js backend. `auto` tries the native tensorflow build (GPU, then CPU), then wasm, then cpu.',
  }),
  // info: start-up, jobs and epochs are logged without per-step or per-request noise (requests are debug).
  LOG_LEVEL: literalUnion(LOG_LEVEL_CHOICES, {
    default: 'info',
    description:
      'Minimum level of the logs written to stdout (command-line tools write them to stderr). Each HTTP request is logged at `debug`.',
  }),
  // Empty: a local service should work with curl out of the box; set keys before exposing it.
  API_KEYS: Type.Array(Type.String({ pattern: '^[\\x21-\\x7E]+$' }), {
    default: [],
    secret: true,
    accepts: 'a comma-separated list of keys made of visible ASCII characters (no spaces)',
    description:
      'API keys clients must send on `/v1` routes as `Authorization: Bearer <key>`; empty turns authentication off. `/health/*`, `/metrics` and `/docs` stay open so probes and scrapers work.',
  }),
  // Empty: no browser page of another origin may read the API until someone lists it.
  CORS_ORIGINS: Type.Array(Type.String({ pattern: '^https?://[^/\\s]+$' }), {
    default: [],
    accepts: 'a comma-separated list of origins such as https://app.example.com or http://localhost:5173',
    description:
      'Browser origins (scheme://host[:port]) allowed to call the API from their pages (CORS), e.g. to load a model with tf.loadLayersModel; empty allows none. API_KEYS still apply: a page sends `Authorization: Bearer <key>`.',
  }),
  // 16 MiB: a 4096x4096 PNG of a street scene is well under it, while a runaway upload is cut off early.
  MAX_BODY_BYTES: Type.Integer({
    minimum: 1024,
    maximum: 1024 * MiB,
    default: 16 * MiB,
    description: 'Largest request body accepted, in bytes (default 16 MiB); larger ones get 413.',
  }),
  // 4096x4096: far above any training or input size, and a prediction's memory grows linearly with the
  // pixels at a few bytes each: one at this size peaks 0.1-0.2 GB above idle (bench/results/limits.md),
  // well under issue 11's 1 GB bound, so there is no need for a lower default.
  MAX_IMAGE_PIXELS: Type.Integer({
    minimum: 1,
    // sharp's own ceiling for input pixels (0x3FFF squared); a larger limit would be meaningless.
    maximum: 0x3fff * 0x3fff,
    default: 4096 * 4096,
    description:
      'Largest image accepted for prediction, in pixels (width x height); larger ones get 413. A prediction holds a few bytes per pixel (bench/results/limits.md).',
  }),
  // 1e9: about 11 minutes of rendering on one core (a 1024x1024 scene takes ~0.7 s) and ~2 GB of PNGs;
  // CityScapes-sized synthetic sets (3,000 scenes of 256x512 = 0.4e9) pass, while issue 14's Swagger
  // example (6,250 scenes of 1024x1024 = 6.6e9, ~25 minutes and ~7.5 GB) is refused at submission.
  MAX_JOB_GENERATED_PIXELS: Type.Integer({
    minimum: 1,
    maximum: Number.MAX_SAFE_INTEGER,
    default: 1_000_000_000,
    description:
      'Most pixels a training job may generate: synthetic scenes (training and validation) x height x width. A larger job gets 422 JOB_TOO_LARGE at submission.',
  }),
  // 20 GiB: CityScapes train+val (3,475 images) cached at 256x512 takes 8.2 GB (18 bytes a pixel), with
  // room for its generated twin; a dataset cached at full resolution (3.3 GB per thousand images at
  // 512x1024, 30+ GB in all) needs the limit raised on purpose.
  MAX_JOB_DATASET_BYTES: Type.Integer({
    minimum: 1,
    maximum: Number.MAX_SAFE_INTEGER,
    default: 20 * 1024 * MiB,
    description:
      'Most bytes a training job may write for its data: generated PNGs (~2 bytes a pixel) plus the target cache at the training resolution (18 bytes a pixel). A larger job gets 422 JOB_TOO_LARGE.',
  }),
  // 1e6: a step of a small model takes 0.1-1 s on a CPU, so a million steps is days of one worker; it
  // catches a typo in epochs (1000 epochs of 5,000 single-image batches would be 5e6) before it queues.
  MAX_JOB_TRAINING_STEPS: Type.Integer({
    minimum: 1,
    maximum: Number.MAX_SAFE_INTEGER,
    default: 1_000_000,
    description:
      'Most training steps a job may take: epochs x whole batches per epoch (training samples / batchSize). A longer job gets 422 JOB_TOO_LARGE.',
  }),
  // 1 GiB: room for checkpoints and models (a few MB each at width 8), logs and Redis's files when they
  // share the disk, after the job's own data is written.
  DISK_RESERVE_BYTES: Type.Integer({
    minimum: 0,
    maximum: Number.MAX_SAFE_INTEGER,
    default: 1024 * MiB,
    description:
      'Free space that must remain on the disk of ARTIFACT_DIR after a job writes its estimated data; a job that would leave less gets 422 INSUFFICIENT_DISK at submission.',
  }),
  // 100: a day of small training jobs on one worker; beyond that the queue hides a stuck worker.
  MAX_QUEUED_JOBS: Type.Integer({
    minimum: 1,
    maximum: 100_000,
    default: 100,
    description: 'Most training jobs waiting in the queue; a submission beyond it gets 503 with Retry-After.',
  }),
  // training: one queue per deployment; tests and side-by-side deployments on one Redis pick their own.
  QUEUE_NAME: Type.String({
    pattern: '^[A-Za-z0-9_-]{1,64}$',
    default: 'training',
    accepts: 'letters, digits, _ and -, at most 64 characters',
    description:
      'Name of the BullMQ queue the API submits training jobs to and workers take them from (keys are prefixed `scene-mtl:`).',
  }),
  // 3: a crash of the backend or the machine is retried twice (resuming from the checkpoint); a job that
  // fails three times fails for a reason of its own. Invalid specs and dataset errors are never retried.
  JOB_ATTEMPTS: Type.Integer({
    minimum: 1,
    maximum: 20,
    default: 3,
    description:
      'Times a failing training job is tried (each retry resumes from its newest checkpoint); invalid specs and dataset errors fail at once.',
  }),
  // 30 s: BullMQ's default; the training runs in a sandboxed child, so the worker renews its lock on time.
  WORKER_LOCK_DURATION_MS: Type.Integer({
    minimum: 1000,
    maximum: 3_600_000,
    default: 30_000,
    description:
      "How long a worker's claim on a job lasts without renewal (renewed every half of it); a killed worker's job is free again after it.",
  }),
  // 30 s: BullMQ's default; a job of a killed worker is back in the queue within lock + interval.
  WORKER_STALLED_INTERVAL_MS: Type.Integer({
    minimum: 500,
    maximum: 3_600_000,
    default: 30_000,
    description:
      'How often a worker looks for jobs whose worker died (lock expired) and puts them back in the queue to resume.',
  }),
  // 3: preemption or OOM-killing of a worker should not lose a long job; more than 3 deaths is the job's fault.
  WORKER_MAX_STALLED_COUNT: Type.Integer({
    minimum: 0,
    maximum: 100,
    default: 3,
    description: 'Times a job may lose its worker (killed, crashed) and be resumed before it is failed.',
  }),
  // 60 s: a child loads tsx, tfjs and the wasm module in 1.5-3 s here; twenty times that allows for a
  // loaded machine and a cold disk, and still frees a job whose child hangs while loading within a minute.
  WORKER_CHILD_STARTUP_TIMEOUT_MS: Type.Integer({
    minimum: 1000,
    maximum: 600_000,
    default: 60_000,
    description:
      'Longest wait for a training child process to load and say it is ready; a child that is slower is killed and the attempt fails (and is retried).',
  }),
  // 120 s: a child sends a heartbeat every second from its event loop, which one training step blocks; the
  // longest step of a large model on a CPU takes tens of seconds, so two minutes of silence means it hangs.
  WORKER_CHILD_HEARTBEAT_TIMEOUT_MS: Type.Integer({
    minimum: 1000,
    maximum: 3_600_000,
    default: 120_000,
    description:
      'Longest silence of a training child (it sends a heartbeat every second, blocked only by a training step): a silent child is killed and the attempt fails (and is retried). Must exceed the longest training step.',
  }),
  // auto: a CPU worker keeps every core busy with one job per core (tfjs' wasm backend runs on one thread),
  // and a native tensorflow worker (GPU, or its own multi-threaded CPU kernels) trains one job at a time.
  WORKER_CONCURRENCY: Type.Union([Type.Literal('auto'), Type.Integer({ minimum: 1, maximum: 256 })], {
    default: 'auto',
    accepts: 'auto, or an integer from 1 to 256',
    description:
      'Training jobs a worker runs at once, each in a slot and child process of its own. `auto`: one per core on wasm/cpu, 1 on native tensorflow. Slots share the cores evenly; `replicas: auto` uses a share.',
  }),
  // 1 s: live enough for a progress bar, and at most one Redis write per second per training job.
  PROGRESS_INTERVAL_MS: Type.Integer({
    minimum: 0,
    maximum: 600_000,
    default: 1000,
    description:
      'Least time between two progress updates a worker publishes for a job (0 = every step); epoch ends are always published.',
  }),
  // 15 s: below the 30-60 s idle timeouts of common proxies and load balancers, so streams stay open.
  SSE_HEARTBEAT_MS: Type.Integer({
    minimum: 100,
    maximum: 300_000,
    default: 15_000,
    description: 'Interval of the heartbeat comment on `/v1/training-jobs/{id}/events` streams.',
  }),
  // 60 s: a 16 MiB image (MAX_BODY_BYTES) then needs 2.3 Mbit/s, a 2.5 MB CityScapes PNG 0.4 Mbit/s (a
  // slow mobile uplink), while a client that sends a body slowly or never ends it holds a connection a minute.
  REQUEST_TIMEOUT_MS: Type.Integer({
    minimum: 1000,
    maximum: 3_600_000,
    default: 60_000,
    description:
      'Longest time to receive a whole request (headers and body); a slower one is answered 408 and closed. Answers are not limited: event streams stay open.',
  }),
  // 10 s: headers are a few hundred bytes that any client sends at once; ten seconds ride out a lost packet
  // or two on a bad link, and an unfinished header no longer holds a connection for a minute and a half.
  HEADERS_TIMEOUT_MS: Type.Integer({
    minimum: 1000,
    maximum: 600_000,
    default: 10_000,
    description:
      'Longest time to receive the request line and headers; a slower client is answered 408 and closed. At most REQUEST_TIMEOUT_MS.',
  }),
  // 512: half of the common 1024 open-file limit (ulimit -n), leaving the rest for Redis connections, model
  // files and logs; far more than the clients and proxy connections one API process serves.
  MAX_CONNECTIONS: Type.Integer({
    minimum: 1,
    maximum: 1_000_000,
    default: 512,
    description:
      'Most client connections the API holds open at once (keep-alive and event streams included); further connections are closed at once.',
  }),
  // 2: one prediction computes while the next decodes its image, without starving the event loop.
  PREDICT_CONCURRENCY: Type.Integer({
    minimum: 1,
    maximum: 64,
    default: 2,
    description: 'Predictions computed at the same time by this API process.',
  }),
  // 16: absorbs a burst of a few clients; a longer wait is better answered with 503 than a timeout.
  PREDICT_QUEUE_SIZE: Type.Integer({
    minimum: 0,
    maximum: 10_000,
    default: 16,
    description:
      'Predictions waiting for a free slot; beyond it requests get 503 with Retry-After (0 = no waiting).',
  }),
  // 4: what 8 clients on 2 threads form. On wasm a pass of 4 images at 128x256 takes as long per image as 4
  // passes (18.5 ms both, bench/results/predict.md), so batching does not help there; whether it costs is
  // within the noise (8 clients got 22.2/s with it and 26.9/s without in one run, 23.1/s and 20.1/s in the
  // next, each row 15 s, the later row faster both times). It pays where one pass has a large fixed cost
  // (GPU backends). A batch's last answer waits for the others' post-processing.
  PREDICT_BATCH_SIZE: Type.Integer({
    minimum: 1,
    maximum: 64,
    default: 4,
    description:
      'Most concurrent predictions of one model that share one forward pass (micro-batching; 1 = off).',
  }),
  // 2 ms: about 10% of one forward pass (~19 ms at 128x256 on wasm), long enough for requests sent together
  // to meet; only paid while another prediction is running (an idle service answers a lone request at once).
  PREDICT_BATCH_WAIT_MS: Type.Integer({
    minimum: 0,
    maximum: 1000,
    default: 2,
    description:
      'Under load, how long a prediction waits for others of the same model to share its forward pass, in ms (0 = only those already queued).',
  }),
  // on: a lone prediction's heads run on two threads when the second is idle (head-sharing.ts); under load
  // both threads have their own predictions and none is shared, so throughput is unchanged. off: one thread.
  PREDICT_SHARE_HEADS: literalUnion(['on', 'off'] as const, {
    default: 'on',
    description:
      "Whether a prediction arriving while a predictor thread is idle lends it some of its heads (instances, depth) and the depth maps' post-processing.",
  }),
  // 4: room for the models being compared (e.g. uncertainty vs. equal weights) without holding every model.
  MODEL_CACHE_SIZE: Type.Integer({
    minimum: 1,
    maximum: 1000,
    default: 4,
    description: 'Trained models kept loaded in memory for prediction (least recently used is evicted).',
  }),
  // --- Storage and logs (issue 14, items 8-9) ---
  // 16 GiB: a record takes 18 bytes a pixel (shard-format.ts), so CityScapes train + val at 256x512 (3475
  // records of 2.25 MiB) is 7.6 GiB: two resolutions of it, or one beside many synthetic ones, fit; a short
  // trial left 122 MB, so unbounded a month of trials would fill a laptop's disk.
  TARGET_CACHE_MAX_BYTES: Type.Integer({
    minimum: 0,
    maximum: Number.MAX_SAFE_INTEGER,
    default: 16 * 1024 * MiB,
    description:
      'Bytes the preprocessed target caches (`ARTIFACT_DIR/cache/`) may use together; after a job opens a cache, the least recently used others are removed until they fit (the one in use is kept, 0 keeps only it).',
  }),
  // json: one object per line is what log collectors parse; `pretty` is for a person at a terminal.
  LOG_FORMAT: literalUnion(LOG_FORMAT_CHOICES, {
    default: 'json',
    description:
      'Log lines: `json` (one JSON object per line, for collectors) or `pretty` (coloured, one readable line per entry, via pino-pretty, for terminals).',
  }),
});

/** The validated configuration: one property per environment variable. */
export type Config = Static<typeof ConfigSchema>;

/** Name of one setting in {@link ConfigSchema}. */
export type ConfigKey = keyof Config;

/** Custom annotations this module reads from a property schema. */
interface Annotations {
  accepts?: string;
  secret?: boolean;
  description?: string;
  default?: unknown;
}

/** Placeholder printed instead of a secret value. Why: error messages end up in logs and CI output. */
const HIDDEN_VALUE = '<hidden>';

/** Matches an integer written in decimal. Why strict: `Number('')`, `Number('1e3')` and `parseInt('3000abc')` would accept too much. */
const INTEGER_PATTERN = /^[+-]?\d+$/;

/** Matches the credentials in a URL. Why: `REDIS_URL` may carry a password that must not reach stderr. */
const URL_CREDENTIALS_PATTERN = /^([a-z][a-z0-9+.-]*:\/\/)[^@/]*@/i;

/** Variables holding filesystem paths; resolved to absolute paths after validation. */
const PATH_KEYS = ['DATA_DIR', 'ARTIFACT_DIR'] as const satisfies readonly ConfigKey[];

/** Returns the property schemas of {@link ConfigSchema} in declaration order. */
function configProperties(): [ConfigKey, TSchema & Annotations][] {
  return Object.entries(ConfigSchema.properties) as [ConfigKey, TSchema & Annotations][];
}

/**
 * Converts one raw environment string to the type its schema expects.
 * Values that cannot be converted are returned unchanged, so that validation reports them as given.
 */
function convert(schema: TSchema, raw: string): unknown {
  switch (schema[Kind]) {
    case 'Integer':
      return INTEGER_PATTERN.test(raw) ? Number(raw) : raw;
    case 'Union': {
      // A word or a number (`auto` or `4`): a number when the union takes integers and it is one.
      const members = (schema as TSchema & { anyOf: TSchema[] }).anyOf;
      const takesIntegers = members.some((member) => member[Kind] === 'Integer');
      return takesIntegers && INTEGER_PATTERN.test(raw) ? Number(raw) : raw;
    }
    case 'Array':
      return raw
        .split(',')
        .map((item) => item.trim())
        .filter((item) => item !== '');
    default:
      return raw;
  }
}

/** Describes in words what a property accepts, for error messages and the docs table. */
export function describeAccepted(schema: TSchema): string {
  const annotated = schema as TSchema & Annotations;
  if (annotated.accepts !== undefined) return annotated.accepts;
  switch (schema[Kind]) {
    case 'Integer': {
      const { minimum, maximum } = schema as { minimum?: number; maximum?: number };
      if (minimum !== undefined && maximum !== undefined) return `an integer from ${minimum} to ${maximum}`;
      if (minimum !== undefined) return `an integer of at least ${minimum}`;
      if (maximum !== undefined) return `an integer of at most ${maximum}`;
      return 'an integer';
    }
    case 'Union': {
      const members = (schema as TSchema & { anyOf: TSchema[] }).anyOf;
      const literals = members.map((m) => (m as { const?: unknown }).const);
      if (literals.every((l) => typeof l === 'string')) return `one of ${literals.join(', ')}`;
      return 'a valid value';
    }
    case 'String':
      return 'a string';
    default:
      return 'a valid value';
  }
}

/** Renders a raw value for an error message, hiding secrets and URL credentials. */
function displayValue(schema: TSchema & Annotations, raw: string | undefined): string {
  if (raw === undefined) return '(unset)';
  if (schema.secret === true) return HIDDEN_VALUE;
  return JSON.stringify(raw.replace(URL_CREDENTIALS_PATTERN, `$1${HIDDEN_VALUE}@`));
}

/**
 * Reads, converts, defaults and validates the configuration from environment variables.
 *
 * @param env - The environment to read; `process.env` by default. Variables not in {@link ConfigSchema}
 *   are ignored, and empty or blank values count as unset.
 * @returns The validated configuration, with `DATA_DIR` and `ARTIFACT_DIR` resolved to absolute paths.
 * @throws {@link ConfigError} naming every invalid variable, the value given and what it accepts.
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const candidate: Record<string, unknown> = {};
  const rawValues = new Map<ConfigKey, string>();
  for (const [key, schema] of configProperties()) {
    const raw = env[key]?.trim();
    if (raw === undefined || raw === '') continue;
    rawValues.set(key, raw);
    candidate[key] = convert(schema, raw);
  }
  const value = Value.Default(ConfigSchema, candidate);

  const badKeys = new Set<string>();
  for (const error of Value.Errors(ConfigSchema, value)) {
    const key = error.path.split('/')[1];
    if (key !== undefined && key !== '') badKeys.add(key);
  }
  if (badKeys.size > 0) {
    const problems: ConfigProblem[] = configProperties()
      .filter(([key]) => badKeys.has(key))
      .map(([key, schema]) => ({
        variable: key,
        value: displayValue(schema, rawValues.get(key)),
        expected: describeAccepted(schema),
      }));
    throw new ConfigError(problems);
  }

  const config = value as Config;
  // Why: Node refuses a headers timeout longer than the request timeout (and it would be meaningless).
  if (config.HEADERS_TIMEOUT_MS > config.REQUEST_TIMEOUT_MS) {
    throw new ConfigError([
      {
        variable: 'HEADERS_TIMEOUT_MS',
        value: JSON.stringify(
          rawValues.get('HEADERS_TIMEOUT_MS') ?? `${config.HEADERS_TIMEOUT_MS} (default)`,
        ),
        expected: `at most REQUEST_TIMEOUT_MS (${config.REQUEST_TIMEOUT_MS})`,
      },
    ]);
  }
  for (const key of PATH_KEYS) config[key] = path.resolve(config[key]);
  return config;
}

/**
 * Returns a copy of `config` that is safe to log or show: secrets (see the `secret` annotation) are replaced
 * by a count or a placeholder and credentials in URLs are masked.
 *
 * @param config - A validated configuration.
 * @returns A plain object with the same keys.
 */
export function redactConfig(config: Config): Record<ConfigKey, unknown> {
  const out = { ...config } as Record<ConfigKey, unknown>;
  for (const [key, schema] of configProperties()) {
    const value = out[key];
    if (schema.secret === true) {
      out[key] = Array.isArray(value) ? `${HIDDEN_VALUE} (${value.length})` : HIDDEN_VALUE;
    } else if (typeof value === 'string') {
      out[key] = value.replace(URL_CREDENTIALS_PATTERN, `$1${HIDDEN_VALUE}@`);
    }
  }
  return out;
}

/** The configuration read by {@link getConfig}; undefined until first asked. */
let cachedConfig: Config | undefined;

/**
 * Returns the configuration of this process, reading `process.env` on the first call only.
 *
 * @throws {@link ConfigError} on the first call when the environment is invalid.
 */
export function getConfig(): Config {
  cachedConfig ??= loadConfig(process.env);
  return cachedConfig;
}

/** Escapes text for a markdown table cell. */
function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\n/g, ' ');
}

/** Renders a default value for the docs table. */
function renderDefault(schema: TSchema & Annotations): string {
  const value = schema.default;
  if (value === undefined) return '_unset_';
  if (Array.isArray(value)) return value.length === 0 ? '_empty_' : `\`${value.join(',')}\``;
  return `\`${String(value)}\``;
}

/**
 * Renders the configuration table as markdown: one row per variable with its default, what it accepts and
 * its description, in schema order.
 *
 * @returns A markdown table, ending with a newline.
 */
export function renderConfigTable(): string {
  const rows = configProperties().map(([key, schema]) =>
    [`\`${key}\``, renderDefault(schema), describeAccepted(schema), schema.description ?? ''].map(cell),
  );
  const header = ['Variable', 'Default', 'Accepts', 'Description'];
  // Pad every column to its widest cell, as Prettier formats markdown tables, so `prettier --check docs` passes.
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]?.length ?? 0)));
  const line = (cells: readonly string[]) =>
    `| ${cells.map((c, i) => c.padEnd(widths[i] ?? 0)).join(' | ')} |`;
  const lines = [line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)];
  return `${lines.join('\n')}\n`;
}

/** Marker lines around the configuration table in README.md. */
export const CONFIG_TABLE_START =
  '<!-- config-table:start (generated from src/config.ts by `npx tsx src/cli/print-config-table.ts --write`) -->';
/** See {@link CONFIG_TABLE_START}. */
export const CONFIG_TABLE_END = '<!-- config-table:end -->';

/**
 * Returns `readme` with the text between {@link CONFIG_TABLE_START} and {@link CONFIG_TABLE_END} replaced
 * by {@link renderConfigTable}, so the README's table is always generated from the schema.
 *
 * @param readme - The README's current content; it must contain both markers.
 * @returns The README with a fresh table.
 */
export function withConfigTable(readme: string): string {
  const start = readme.indexOf(CONFIG_TABLE_START);
  const end = readme.indexOf(CONFIG_TABLE_END);
  if (start < 0 || end < start) throw new Error('README.md lacks the config-table markers');
  const head = readme.slice(0, start + CONFIG_TABLE_START.length);
  return `${head}\n\n${renderConfigTable().trimEnd()}\n\n${readme.slice(end)}`;
}
