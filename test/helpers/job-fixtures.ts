/**
 * Job data shared by the queue tests, written once so that a change of the job schemas is one edit.
 */
import type { JobProgressRecord } from '../../src/queue/job-schemas.js';

/** One finished epoch of a job's history. */
export type EpochEntry = JobProgressRecord['history'][number];

/**
 * The first epoch of a depth-only run, as a worker records it: the smallest valid history entry.
 *
 * @param miou - The validation metric it reports (`metrics.miou`), so tests can tell entries apart.
 */
export function firstEpochEntry(miou: number): EpochEntry {
  return {
    epoch: 1,
    losses: { depth: 1 },
    weights: { depth: 1 },
    learningRate: 0.1,
    durationMs: 5,
    metrics: { miou },
  };
}
