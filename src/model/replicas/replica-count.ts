/**
 * How many replicas a job trains with: `training.replicas` resolved against the backend, the cores the
 * job may use and its batch size.
 *
 * @packageDocumentation
 */

/** What `training.replicas` accepts besides a number: pick from the backend and the free cores. */
export const AUTO_REPLICAS = 'auto';

/** A value of `training.replicas`. */
export type ReplicaSetting = number | typeof AUTO_REPLICAS;

/**
 * Most replicas a job may ask for. Why 64: more than the cores of any single CPU machine a worker runs on;
 * each replica is a thread holding a copy of the network, its optimiser slots and its share of the batch.
 */
export const MAX_REPLICAS = 64;

/**
 * Fewest samples `auto` gives a replica. Why 2: batch norm normalises each replica's share with that share's
 * own statistics; over a single image they are statistics of its pixels only, a noisier estimate than the
 * batch's, so `auto` keeps at least two images per replica (an explicit `replicas` may go down to one).
 */
export const MIN_AUTO_SHARD = 2;

/** What {@link resolveReplicaCount} needs besides the setting. */
export interface ReplicaEnvironment {
  /** The tfjs backend the job trains on: replicas are threads of the wasm or cpu backend only. */
  backend: 'tensorflow' | 'wasm' | 'cpu';
  /** Cores this job may use (its worker slot's share, or the machine's). */
  cores: number;
  /** The job's (global) batch size. */
  batchSize: number;
}

/**
 * The replica count a job trains with.
 *
 * - On the native `tensorflow` backend always 1: it already spreads each kernel over every core (or runs
 *   on the GPU), and its addon does not load in worker threads.
 * - `auto`: one replica per core the job may use, but never fewer than {@link MIN_AUTO_SHARD} samples per
 *   replica (so batch 2 trains in one process, batch 4 on two cores in two).
 * - A number: as asked, capped by the batch size (a replica without a sample would only add work).
 */
export function resolveReplicaCount(setting: ReplicaSetting, environment: ReplicaEnvironment): number {
  const { backend, cores, batchSize } = environment;
  if (backend === 'tensorflow') return 1;
  const wanted =
    setting === AUTO_REPLICAS
      ? Math.min(Math.floor(cores), Math.floor(batchSize / MIN_AUTO_SHARD))
      : Math.min(setting, batchSize);
  return Math.max(1, Math.min(MAX_REPLICAS, wanted));
}
