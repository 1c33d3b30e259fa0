/**
 * The messages a worker and its training child exchange over the IPC channel of `child_process.fork`.
 *
 * The worker owns the job (its lock, its state in Redis); the child only trains. So everything the child
 * needs of the job travels in {@link StartMessage}, and everything it produces (progress records, the
 * result, a failure) comes back as a message that the worker applies to the job.
 *
 * @packageDocumentation
 */
import type { JobProgressRecord, TrainingJobData, TrainingJobResult } from '../src/queue/job-schemas.js';

/** The worker slot a job runs in, and the CPU cores the slot may use. */
export interface ChildSlot {
  /** The worker process (host:pid). */
  name: string;
  /** The slot, 0 .. WORKER_CONCURRENCY - 1. */
  slot: number;
  /** Cores of this slot: `training.replicas: auto` trains with that many replicas. */
  cores: number;
}

/** What the training processor reads of a job, and the one thing it may do to it (publish progress). */
export interface TrainingChildJob {
  /** The job id (also the model id). */
  id: string;
  data: TrainingJobData;
  /** The progress record earlier attempts left, if any. */
  progress: unknown;
  /** Attempts that already ended (0 on the first run). */
  attemptsMade: number;
  /** Where it runs (absent: the processor assumes every core of the machine). */
  slot?: ChildSlot | undefined;
  /** Publishes a progress record (the worker writes it to the job). */
  updateProgress(record: JobProgressRecord): Promise<void>;
}

/** Worker -> child: train this job. */
export interface StartMessage {
  type: 'start';
  job: Omit<TrainingChildJob, 'updateProgress'>;
}

/** Worker -> child: stop after the step in progress (writing a checkpoint), for `reason`. */
export interface AbortMessage {
  type: 'abort';
  reason: string;
}

/** Every message a worker sends to its child. */
export type ParentMessage = StartMessage | AbortMessage;

/** An error as it crosses the process boundary. */
export interface SerializedError {
  name: string;
  message: string;
  stack?: string | undefined;
  /** The `AppError` code, when there is one. */
  code?: string | undefined;
  /** True when retrying cannot help (invalid spec, dataset error): the job fails at once. */
  unrecoverable: boolean;
}

/** Child -> worker: loaded and ready for a job. Why a message: start-up (tsx, tfjs, wasm) takes seconds. */
export interface ReadyMessage {
  type: 'ready';
}

/** Child -> worker: still alive (sent on a timer, so a frozen event loop stops them). */
export interface HeartbeatMessage {
  type: 'heartbeat';
}

/** Child -> worker: a new progress record of the job. */
export interface ProgressMessage {
  type: 'progress';
  record: JobProgressRecord;
}

/** Child -> worker: the job finished. */
export interface CompletedMessage {
  type: 'completed';
  result: TrainingJobResult;
}

/** Child -> worker: the job's attempt failed (or stopped on an abort). */
export interface FailedMessage {
  type: 'failed';
  error: SerializedError;
}

/** Every message a child sends to its worker. */
export type ChildMessage =
  ReadyMessage | HeartbeatMessage | ProgressMessage | CompletedMessage | FailedMessage;

/** Whether `value` looks like a {@link ChildMessage} (the channel carries only ours, but it is a process boundary). */
export function isChildMessage(value: unknown): value is ChildMessage {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as { type?: unknown }).type === 'string' &&
    ['ready', 'heartbeat', 'progress', 'completed', 'failed'].includes((value as { type: string }).type)
  );
}

/** Whether `value` looks like a {@link ParentMessage}. */
export function isParentMessage(value: unknown): value is ParentMessage {
  return (
    typeof value === 'object' &&
    value !== null &&
    ((value as { type?: unknown }).type === 'start' || (value as { type?: unknown }).type === 'abort')
  );
}
