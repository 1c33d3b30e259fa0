/**
 * The training children of one worker: a child that finished a job cleanly is kept for the next one
 * (start-up costs seconds: tsx, tfjs, the wasm module), every other child is killed.
 *
 * @packageDocumentation
 */
import { TrainingChildProcess, type TrainingChildOptions } from './training-child-process.js';

/** Keeps idle children for reuse; starts new ones when none is idle. */
export class TrainingChildPool {
  private readonly idle: TrainingChildProcess[] = [];
  private readonly all = new Set<TrainingChildProcess>();
  private closed = false;

  /** @param options - How each child is started and watched. */
  constructor(private readonly options: TrainingChildOptions) {}

  /**
   * An idle child, or a new one once it is ready.
   *
   * @param signal - Aborting it stops a start-up in progress.
   */
  async retain(signal?: AbortSignal): Promise<TrainingChildProcess> {
    if (this.closed) throw new Error('the training child pool is closed');
    for (let child = this.idle.pop(); child !== undefined; child = this.idle.pop()) {
      if (child.idle) return child;
    }
    const child = await TrainingChildProcess.start(this.options, signal);
    this.all.add(child);
    void child.exited.then(() => this.all.delete(child));
    return child;
  }

  /**
   * Hands a child back after a job.
   *
   * @param child - From {@link retain}.
   * @param reusable - False after a failure or abort: the child is killed (a backend that failed may be
   *   in any state, and an aborted child may still be writing its checkpoint).
   */
  release(child: TrainingChildProcess, reusable: boolean): void {
    if (reusable && child.idle && !this.closed) this.idle.push(child);
    else child.kill();
  }

  /** Kills every child (idle or not) and waits for their exit. */
  async close(): Promise<void> {
    this.closed = true;
    this.idle.length = 0;
    const children = [...this.all];
    for (const child of children) child.kill();
    await Promise.all(children.map((child) => child.exited));
  }
}
