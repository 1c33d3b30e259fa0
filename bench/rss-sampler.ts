/**
 * Samples another process's resident set size (VmRSS in /proc/{pid}/status) every few milliseconds from a
 * thread of its own, so that the bench's event loop (busy parsing a 30 MB answer) never hides a peak.
 *
 * @packageDocumentation
 */
import { Worker } from 'node:worker_threads';

/** Sampling period. Why 20 ms: a prediction's peak lasts hundreds of ms; finer only costs CPU the API needs. */
export const SAMPLE_INTERVAL_MS = 20;

/** Slots of the shared Int32Array: stop flag, last sample, peak since reset (both KiB), samples taken. */
const STOP = 0;
const CURRENT = 1;
const PEAK = 2;
const COUNT = 3;

/** The sampling loop, as plain JavaScript (an eval'd thread has no TypeScript loader). */
const SAMPLER_SOURCE = `
const { workerData } = require('node:worker_threads');
const { readFileSync } = require('node:fs');
const state = new Int32Array(workerData.shared);
const sleeper = new Int32Array(new SharedArrayBuffer(4));
const path = '/proc/' + workerData.pid + '/status';
while (Atomics.load(state, ${STOP}) === 0) {
  let kib = -1;
  try {
    const match = /VmRSS:\\s+(\\d+)\\s+kB/.exec(readFileSync(path, 'utf8'));
    if (match) kib = Number(match[1]);
  } catch {}
  if (kib >= 0) {
    Atomics.store(state, ${CURRENT}, kib);
    if (kib > Atomics.load(state, ${PEAK})) Atomics.store(state, ${PEAK}, kib);
    Atomics.add(state, ${COUNT}, 1);
  }
  Atomics.wait(sleeper, 0, 0, workerData.intervalMs);
}
`;

/** Bytes per KiB, as /proc reports it. */
const KIB = 1024;

/** RSS of one process, sampled from a thread; values in bytes. */
export class RssSampler {
  private readonly state = new Int32Array(new SharedArrayBuffer(4 * 4));
  private readonly worker: Worker;

  /** Starts sampling `pid`. */
  constructor(pid: number, intervalMs = SAMPLE_INTERVAL_MS) {
    this.worker = new Worker(SAMPLER_SOURCE, {
      eval: true,
      workerData: { shared: this.state.buffer, pid, intervalMs },
    });
  }

  /** The latest sample. */
  current(): number {
    return Atomics.load(this.state, CURRENT) * KIB;
  }

  /** The highest sample since the last {@link RssSampler.resetPeak}. */
  peak(): number {
    return Atomics.load(this.state, PEAK) * KIB;
  }

  /** Samples taken so far (a check that the thread runs). */
  samples(): number {
    return Atomics.load(this.state, COUNT);
  }

  /** Starts a new peak from the latest sample. */
  resetPeak(): void {
    Atomics.store(this.state, PEAK, Atomics.load(this.state, CURRENT));
  }

  /** Mean of the samples over the next `ms` milliseconds: a steady level, not one sample's noise. */
  async mean(ms: number): Promise<number> {
    const values: number[] = [];
    const until = Date.now() + ms;
    while (Date.now() < until) {
      values.push(this.current());
      await new Promise((resolve) => setTimeout(resolve, SAMPLE_INTERVAL_MS));
    }
    return values.reduce((a, b) => a + b, 0) / Math.max(1, values.length);
  }

  /** Stops the thread. */
  async stop(): Promise<void> {
    Atomics.store(this.state, STOP, 1);
    await this.worker.terminate();
  }
}
