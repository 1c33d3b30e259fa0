/**
 * Training gauges of `/metrics`, in the API process although training runs in worker processes.
 *
 * How the numbers get here: a worker already publishes each job's progress record (`job.updateProgress`,
 * every step when `PROGRESS_INTERVAL_MS` is 0, else at most once per interval, and at every epoch end);
 * BullMQ turns each into a `progress` event on the queue's event stream, which the API reads anyway for the
 * SSE streams (`JobEventHub`). These metrics are updated from those events, so a worker needs no metrics
 * port of its own and a scrape of any API process sees every worker's jobs.
 *
 * - `scene_mtl_training_steps_total`: training steps done, by every job (counter; the steps between two
 *   published records are counted when the later one arrives);
 * - `scene_mtl_training_step_seconds`: duration of the latest step of each published record (histogram:
 *   every step with `PROGRESS_INTERVAL_MS=0`, otherwise a sample of one step per interval);
 * - `scene_mtl_training_loss{slot,task}`: the latest raw loss of each task (`task="total"`: the weighted
 *   total that was minimised) of the job running in each worker slot;
 * - `scene_mtl_training_sigma{slot,task}`: the latest learned sigma = exp(s / 2) of each task (uncertainty
 *   strategies only).
 *
 * Label sets stay bounded: `slot` is the worker slot (`host:pid/slot`), not the job id, and a job's series
 * are removed when it leaves its slot (completed, failed, removed, stalled, put back in the queue, or
 * delayed for a retry). Every API process counts every job: aggregate across API processes with `max`.
 *
 * @packageDocumentation
 */
import { Counter, Gauge, Histogram, type Registry } from 'prom-client';
import { isProgressRecord } from '../../queue/job-view.js';
import type { JobEventName } from '../../queue/job-event-hub.js';
import type { JobProgressRecord } from '../../queue/job-schemas.js';

/**
 * Step duration buckets (s). Why: from a tiny test model on a GPU (5 ms) to a large model's step on a
 * loaded CPU (a minute; WORKER_CHILD_HEARTBEAT_TIMEOUT_MS bounds a step at two by default).
 */
const STEP_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60];

/** Events after which a job no longer runs in the slot it ran in. */
const LEFT_SLOT_EVENTS: ReadonlySet<JobEventName> = new Set([
  'completed',
  'failed',
  'removed',
  'stalled',
  'waiting',
  'delayed',
]);

/** Label value of `task` for the weighted total loss. */
const TOTAL_TASK = 'total';

/** What is remembered of a running job: where its series are and the last step counted. */
interface RunningJob {
  slot: string;
  lastStep: number;
  tasks: string[];
}

/** The record from an event's data (BullMQ may hand it as JSON text), or undefined. */
function progressRecordOf(data: unknown): JobProgressRecord | undefined {
  let value = data;
  if (typeof value === 'string') {
    try {
      value = JSON.parse(value);
    } catch {
      return undefined;
    }
  }
  return isProgressRecord(value) ? value : undefined;
}

/** The training metrics; feed it every job event with {@link TrainingMetrics.onJobEvent}. */
export class TrainingMetrics {
  private readonly steps: Counter;
  private readonly stepSeconds: Histogram;
  private readonly loss: Gauge<'slot' | 'task'>;
  private readonly sigma: Gauge<'slot' | 'task'>;
  private readonly running = new Map<string, RunningJob>();

  /**
   * @param registry - The app's registry.
   * @param prefix - The metric name prefix.
   */
  constructor(registry: Registry, prefix: string) {
    this.steps = new Counter({
      name: `${prefix}training_steps_total`,
      help: 'Training steps done by the jobs of this queue, as their progress records report them.',
      registers: [registry],
    });
    this.stepSeconds = new Histogram({
      name: `${prefix}training_step_seconds`,
      help: 'Duration of a training step (the latest step of each published progress record).',
      buckets: STEP_BUCKETS,
      registers: [registry],
    });
    this.loss = new Gauge({
      name: `${prefix}training_loss`,
      help: 'Latest raw loss of each task (task "total": the weighted total minimised) of the job in each worker slot.',
      labelNames: ['slot', 'task'] as const,
      registers: [registry],
    });
    this.sigma = new Gauge({
      name: `${prefix}training_sigma`,
      help: 'Latest learned task uncertainty sigma = exp(s / 2) of each task of the job in each worker slot (uncertainty strategies).',
      labelNames: ['slot', 'task'] as const,
      registers: [registry],
    });
  }

  /** Jobs whose series are shown now. */
  get runningJobs(): number {
    return this.running.size;
  }

  /**
   * Updates the metrics from one event of the queue's stream.
   *
   * @param jobId - The job.
   * @param event - What happened.
   * @param data - The event's data (a progress record for `progress`).
   */
  onJobEvent(jobId: string, event: JobEventName, data: unknown): void {
    if (event === 'progress') {
      const record = progressRecordOf(data);
      if (record !== undefined) this.onProgress(jobId, record);
    } else if (LEFT_SLOT_EVENTS.has(event)) {
      this.forget(jobId);
    }
  }

  private onProgress(jobId: string, record: JobProgressRecord): void {
    const latest = record.latest;
    if (latest === undefined || record.worker === undefined) return;
    const slot = `${record.worker.name}/${record.worker.slot}`;
    let job = this.running.get(jobId);
    if (job !== undefined && job.slot !== slot) {
      this.forget(jobId); // taken over by another slot (a retry elsewhere)
      job = undefined;
    }
    if (job === undefined) {
      // Why step - 1: the step of the first record seen is new; earlier ones were counted elsewhere (or
      // before this process started), and counting them now would show a burst that never happened.
      job = { slot, lastStep: latest.step - 1, tasks: [] };
      this.running.set(jobId, job);
    }
    if (latest.step <= job.lastStep) return; // the same step again (an epoch-end record)
    this.steps.inc(latest.step - job.lastStep);
    job.lastStep = latest.step;
    this.stepSeconds.observe(latest.stepMs / 1000);
    const tasks = Object.keys(latest.losses);
    job.tasks = tasks;
    for (const task of tasks)
      this.loss.set({ slot, task }, latest.losses[task as keyof typeof latest.losses]!);
    this.loss.set({ slot, task: TOTAL_TASK }, latest.totalLoss);
    for (const [task, s] of Object.entries(latest.logVariances ?? {})) {
      this.sigma.set({ slot, task }, Math.exp((s as number) / 2));
    }
  }

  /** Removes the series of a job that left its slot. */
  private forget(jobId: string): void {
    const job = this.running.get(jobId);
    if (job === undefined) return;
    this.running.delete(jobId);
    for (const task of [...job.tasks, TOTAL_TASK]) this.loss.remove({ slot: job.slot, task });
    for (const task of job.tasks) this.sigma.remove({ slot: job.slot, task });
  }
}
