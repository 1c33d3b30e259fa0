/**
 * Error classes for the whole service.
 *
 * Every error this project throws on purpose is an {@link AppError}: it carries a stable machine-readable
 * `code` (UPPER_SNAKE_CASE, part of the HTTP contract), the HTTP `statusCode` the API answers with, and an
 * `expose` flag that says whether its message may be shown to a client. Nothing throws bare strings.
 *
 * The API turns any error into the body `{ "error": { "code", "message", "details"? } }` with
 * {@link toErrorBody}; anything that is not an `AppError` (a bug, a library failure) becomes
 * `INTERNAL_ERROR` with a generic message so that internals never leak.
 *
 * @packageDocumentation
 */

/** Options accepted by every {@link AppError} constructor. */
export interface AppErrorOptions {
  /** Structured, client-safe extra information (e.g. the list of invalid fields). Must be JSON-serialisable. */
  details?: unknown;
  /** The underlying error, kept for logs only; it never reaches a client. */
  cause?: unknown;
}

/** The JSON body of every error answer of the HTTP API. */
export interface ErrorBody {
  error: {
    /** Stable machine-readable code, UPPER_SNAKE_CASE. */
    code: string;
    /** Human-readable explanation, safe to show to the caller. */
    message: string;
    /** Optional structured details (validation problems, offending file, ...). */
    details?: unknown;
  };
}

/**
 * Code used for every error the service did not anticipate.
 * Why a constant: the error handler, {@link toErrorBody} and tests must agree on it.
 */
export const INTERNAL_ERROR_CODE = 'INTERNAL_ERROR';

/**
 * Message shown for every error the service did not anticipate.
 * Why generic: the real message may contain paths, stack fragments or library internals.
 */
export const INTERNAL_ERROR_MESSAGE = 'An internal error occurred.';

/**
 * Base class of all errors thrown on purpose by this project.
 *
 * Thrown directly only in the rare case that no subclass fits; prefer a subclass so that the `code` is
 * stable and documented.
 */
export class AppError extends Error {
  /** Stable machine-readable code, UPPER_SNAKE_CASE. */
  readonly code: string;
  /** HTTP status the API answers with when this error reaches a route. */
  readonly statusCode: number;
  /** Whether `message` may be shown to a client; false for 5xx errors unless a subclass says otherwise. */
  readonly expose: boolean;
  /** Structured, client-safe extra information. */
  readonly details?: unknown;

  /**
   * @param code - UPPER_SNAKE_CASE code, part of the API contract.
   * @param statusCode - HTTP status code.
   * @param message - Human-readable message; shown to clients when `expose` is true.
   * @param options - Details and cause.
   */
  constructor(code: string, statusCode: number, message: string, options: AppErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.code = code;
    this.statusCode = statusCode;
    this.expose = statusCode < 500;
    if (options.details !== undefined) this.details = options.details;
  }
}

/**
 * Thrown at start-up by `loadConfig` when one or more environment variables are invalid; the message names
 * every bad variable, the value given and what it accepts. Never reaches an HTTP client: `main` prints it
 * and exits with status 1.
 */
export class ConfigError extends AppError {
  /** One entry per invalid variable, in schema order. */
  readonly problems: readonly ConfigProblem[];

  /**
   * @param problems - The invalid variables (at least one).
   */
  constructor(problems: readonly ConfigProblem[]) {
    super('CONFIG_ERROR', 500, formatConfigProblems(problems), { details: problems });
    this.problems = problems;
  }
}

/** One invalid environment variable, as reported by {@link ConfigError}. */
export interface ConfigProblem {
  /** Environment variable name, e.g. `PORT`. */
  variable: string;
  /** The value given, already redacted for secrets (e.g. `"<hidden>"`). */
  value: string;
  /** What the variable accepts, e.g. `an integer from 1 to 65535`. */
  expected: string;
}

/** Renders the message of a {@link ConfigError}: one line per problem. */
function formatConfigProblems(problems: readonly ConfigProblem[]): string {
  const lines = problems.map((p) => `${p.variable}=${p.value} is invalid: expected ${p.expected}`);
  if (lines.length === 1) return `Invalid configuration: ${lines[0]}`;
  return `Invalid configuration (${lines.length} variables):\n${lines.map((l) => `  - ${l}`).join('\n')}`;
}

/** One problem found while validating a request or payload. */
export interface ValidationIssue {
  /** JSON pointer or dotted path of the offending field (e.g. `/body/training/epochs`). */
  path: string;
  /** What is wrong with it. */
  message: string;
}

/**
 * Thrown when a request (body, query, path, headers) or a job payload fails validation beyond what the route
 * schema checks, e.g. a field that is valid alone but contradicts another. Answered with 400.
 */
export class ValidationError extends AppError {
  /**
   * @param message - Summary of the problem.
   * @param details - The offending fields, if known.
   */
  constructor(message: string, details?: readonly ValidationIssue[]) {
    super('VALIDATION_ERROR', 400, message, { details });
  }
}

/** Thrown when a resource named by the request (training job, model, dataset, route) does not exist. Answered with 404. */
export class NotFoundError extends AppError {
  /** @param message - Which resource was not found, e.g. `Model "abc" not found`. */
  constructor(message: string) {
    super('NOT_FOUND', 404, message);
  }
}

/**
 * Thrown when a request conflicts with the current state of a resource, e.g. cancelling a job that has
 * finished, deleting a model in use, or reusing an Idempotency-Key with a different body. Answered with 409.
 */
export class ConflictError extends AppError {
  /** @param message - What conflicts with what. */
  constructor(message: string) {
    super('CONFLICT', 409, message);
  }
}

/**
 * Thrown when a request needs a job that nobody trains or will train, e.g. deleting a queued or running
 * job (cancel it first). Answered with 409 and code `JOB_RUNNING`.
 */
export class JobRunningError extends AppError {
  /** @param message - Which job, in which state, and what to do instead. */
  constructor(message: string) {
    super('JOB_RUNNING', 409, message);
  }
}

/** Thrown when API keys are configured and a request carries no key or an unknown one. Answered with 401. */
export class UnauthorizedError extends AppError {
  /** @param message - Why the request is not authorised; never echoes the key given. */
  constructor(message = 'A valid API key is required.') {
    super('UNAUTHORIZED', 401, message);
  }
}

/** Thrown when a request body or an uploaded image exceeds `MAX_BODY_BYTES` or `MAX_IMAGE_PIXELS`. Answered with 413. */
export class PayloadTooLargeError extends AppError {
  /** @param message - Which limit was exceeded and by how much. */
  constructor(message: string) {
    super('PAYLOAD_TOO_LARGE', 413, message);
  }
}

/**
 * Thrown at submission when a training job's estimated cost exceeds a configured limit
 * (`MAX_JOB_GENERATED_PIXELS`, `MAX_JOB_DATASET_BYTES`, `MAX_JOB_TRAINING_STEPS`). Answered with 422; the
 * message names the limit, the job's number and the limit's; `details` has them as data.
 */
export class JobTooLargeError extends AppError {
  /**
   * @param message - Which limit, the numbers and what to change.
   * @param details - `{ limit, value, max }`.
   */
  constructor(message: string, details: { limit: string; value: number; max: number }) {
    super('JOB_TOO_LARGE', 422, message, { details });
  }
}

/**
 * Thrown at submission when writing a job's estimated data would leave less free disk under
 * `ARTIFACT_DIR` than `DISK_RESERVE_BYTES`. Answered with 422; the message names the numbers.
 */
export class InsufficientDiskError extends AppError {
  /**
   * @param message - What the job needs, what is free and the reserve.
   * @param details - `{ limit, neededBytes, freeBytes, reserveBytes }`.
   */
  constructor(
    message: string,
    details: { limit: string; neededBytes: number; freeBytes: number; reserveBytes: number },
  ) {
    super('INSUFFICIENT_DISK', 422, message, { details });
  }
}

/** Thrown when a request body has a content type the route does not accept (e.g. a GIF sent to predict). Answered with 415. */
export class UnsupportedMediaTypeError extends AppError {
  /** @param message - The type given and the types accepted. */
  constructor(message: string) {
    super('UNSUPPORTED_MEDIA_TYPE', 415, message);
  }
}

/**
 * Thrown when a model is in the artifact store but cannot be used: its manifest.json is missing, not JSON or
 * lacks a field the service reads, or its model.json / weights.bin are missing, unreadable or do not match.
 * Answered with 409: the request is fine, the model's state is not; deleting the model (or training it
 * again) resolves it. `details` names the model and the problem (file names only, no server paths).
 */
export class ModelBrokenError extends AppError {
  /** The broken model's id. */
  readonly modelId: string;
  /** What is wrong, e.g. `weights.bin is missing`. */
  readonly problem: string;

  /**
   * @param modelId - The model.
   * @param problem - What is wrong with its files, naming the file.
   * @param options - Cause (e.g. the loader's error), kept for logs.
   */
  constructor(modelId: string, problem: string, options: Omit<AppErrorOptions, 'details'> = {}) {
    super('MODEL_BROKEN', 409, `model ${modelId} is broken: ${problem}`, {
      ...options,
      details: { model: modelId, problem },
    });
    this.modelId = modelId;
    this.problem = problem;
  }
}

/**
 * Thrown when the service cannot take the request right now but may later: Redis down, the training queue
 * at `MAX_QUEUED_JOBS`, or the prediction queue full. Answered with 503 and, when known, a `Retry-After`
 * header. Its message is shown to clients (it is written for them).
 */
export class ServiceUnavailableError extends AppError {
  /** Seconds after which a retry may succeed; sent as `Retry-After`. */
  readonly retryAfterSeconds?: number;
  override readonly expose = true;

  /**
   * @param message - What is unavailable.
   * @param retryAfterSeconds - Suggested wait before retrying, in whole seconds.
   */
  constructor(message: string, retryAfterSeconds?: number) {
    super('SERVICE_UNAVAILABLE', 503, message);
    if (retryAfterSeconds !== undefined) this.retryAfterSeconds = retryAfterSeconds;
  }
}

/**
 * Thrown when a dataset on disk cannot be used: a missing split, an image without its label file, a file
 * that does not decode, or a path outside `DATA_DIR`. Answered with 422 when found while checking a request;
 * fails the job when found during training.
 */
export class DatasetError extends AppError {
  /** The offending file or directory, relative to `DATA_DIR` (never an absolute server path). */
  readonly file: string;

  /**
   * @param message - What is wrong with the file.
   * @param file - The offending file, relative to `DATA_DIR`.
   * @param options - Cause (e.g. the decoder error), kept for logs.
   */
  constructor(message: string, file: string, options: Omit<AppErrorOptions, 'details'> = {}) {
    super('DATASET_ERROR', 422, `${message} (${file})`, { ...options, details: { file } });
    this.file = file;
  }
}

/**
 * Thrown when the compute backend fails: the backend named by `TF_BACKEND` cannot be loaded, or a kernel
 * fails at run time. Answered with 500; the message is logged but not shown to clients.
 */
export class BackendError extends AppError {
  /**
   * @param message - What failed, for logs.
   * @param options - Cause (the tfjs error), kept for logs.
   */
  constructor(message: string, options: Omit<AppErrorOptions, 'details'> = {}) {
    super('BACKEND_ERROR', 500, message, options);
  }
}

/**
 * Thrown by the trainer when its AbortSignal fires: it finishes the step in progress (and, when asked,
 * writes a checkpoint) and stops. The worker turns it into a cancelled job, or a job to resume on SIGTERM.
 */
export class TrainingAbortedError extends AppError {
  /** Global step count when training stopped. */
  readonly step: number;

  /**
   * @param step - Steps completed when training stopped.
   * @param reason - Why the signal fired (e.g. "cancelled", "SIGTERM"), for logs.
   */
  constructor(step: number, reason = 'aborted') {
    super('TRAINING_ABORTED', 409, `training stopped after step ${step}: ${reason}`);
    this.step = step;
  }
}

/**
 * Stops work that is not a training step (dataset generation, target caching, evaluation, saving) once
 * `signal` has fired, the same way the trainer stops between steps.
 *
 * @param signal - The job's signal, if it has one.
 * @param step - Steps completed so far (0 before training).
 * @throws {@link TrainingAbortedError} when the signal has fired.
 */
export function throwIfAborted(signal: AbortSignal | undefined, step = 0): void {
  if (signal?.aborted) throw new TrainingAbortedError(step, String(signal.reason ?? 'aborted'));
}

/** Why a training child stopped doing its job: see {@link TrainingChildError}. */
export type TrainingChildFailure = 'TRAINING_CHILD_EXITED' | 'TRAINING_CHILD_UNRESPONSIVE';

/**
 * Thrown by a worker when the child process that trains a job exits before the job ends (a crash, an
 * out-of-memory kill, `kill -9`, during start-up or training), or stops answering (no `ready` within the
 * start-up timeout, no heartbeat within the heartbeat timeout). The attempt fails, and the job is retried
 * from its newest checkpoint like any other failure.
 */
export class TrainingChildError extends AppError {
  /**
   * @param code - `TRAINING_CHILD_EXITED` or `TRAINING_CHILD_UNRESPONSIVE`.
   * @param message - What happened, shown in the job's error.
   */
  constructor(code: TrainingChildFailure, message: string) {
    super(code, 500, message);
  }
}

/**
 * Turns any thrown value into the API's error body.
 *
 * An {@link AppError} keeps its code, its message when `expose` is true, and its details; everything else
 * (including an `AppError` whose message is not exposed) gets a generic message. Details are dropped when
 * the message is hidden, since they could carry the same internals.
 *
 * @param err - Anything that was thrown.
 * @returns `{ error: { code, message, details? } }`.
 */
export function toErrorBody(err: unknown): ErrorBody {
  if (err instanceof AppError) {
    if (!err.expose) return { error: { code: err.code, message: INTERNAL_ERROR_MESSAGE } };
    const body: ErrorBody = { error: { code: err.code, message: err.message } };
    if (err.details !== undefined) body.error.details = err.details;
    return body;
  }
  return { error: { code: INTERNAL_ERROR_CODE, message: INTERNAL_ERROR_MESSAGE } };
}

/**
 * Thrown by a data-parallel training step when one of its replicas failed (threw, crashed, was ended):
 * the step is lost and the attempt fails (and is retried from the newest checkpoint). A 500: nothing a
 * client sent is wrong.
 */
export class ReplicaError extends AppError {
  /** @param message - Which replica failed and why, shown in the job's error. */
  constructor(message: string) {
    super('REPLICA_FAILED', 500, message);
  }
}
