/**
 * What replica 0 (the trainer's thread), the supervisor thread and the replica threads tell each other.
 * Messages carry what happens once (start-up, the state to start from) and each step's shard; the step's
 * gradients go through the shared memory of the {@link Collective}, never through messages.
 *
 * @packageDocumentation
 */
import type { MessagePort } from 'node:worker_threads';
import type { OptimizerSpec } from '../optimizers.js';
import type { Task } from '../tasks.js';
import type { StrategyState, WeightingSnapshot, WeightingSpec } from '../weighting/index.js';
import type { CollectiveBuffers } from './collective.js';
import type { StepPlan } from './replica-stepper.js';
import type { HostShard, HostTensor } from './shards.js';

/**
 * A fault for fault tests: the replica thread of rank `rank` throws (`throw`) or ends its thread
 * (`exit`, as a crash would) in the middle of its `step`-th step (1-based), while the others wait for it.
 */
export interface ReplicaFault {
  rank: number;
  step: number;
  kind: 'throw' | 'exit';
}

/** What a replica thread builds its copy of the job from. */
export interface ReplicaJob {
  /** The network's topology (`model.toJSON(null, false)`), built afresh in the thread. */
  topology: object;
  tasks: Task[];
  weighting: WeightingSpec;
  optimizer: OptimizerSpec;
  /** The tfjs backend of replica 0 (replica threads run the same one). */
  backend: 'wasm' | 'cpu';
  fault?: ReplicaFault | undefined;
}

/** `workerData` of a replica thread. */
export interface ReplicaThreadData extends ReplicaJob {
  rank: number;
  collective: CollectiveBuffers;
  /** Its end of the channel to replica 0. */
  port: MessagePort;
}

/** `workerData` of the supervisor thread. */
export interface SupervisorData extends ReplicaJob {
  collective: CollectiveBuffers;
  /** One port per replica thread, rank 1 first. */
  ports: MessagePort[];
}

/** An optimiser slot as it crosses to a replica thread. */
export interface SlotTensor extends HostTensor {
  name: string;
}

/** Replica 0 -> thread: take this state (weights, optimiser slots, strategy), then answer `synced`. */
export interface SyncMessage {
  type: 'sync';
  /** Every weight of the model (`model.getWeights()` order), batch-norm statistics included. */
  weights: Float32Array[];
  /** Each optimiser's `getWeights()`, by the name the trainer checkpoints it under; empty before step 1. */
  optimizers: Record<string, SlotTensor[]>;
  strategy: StrategyState;
}

/** Replica 0 -> thread: train one step on this shard (answered through the collective only). */
export interface StepMessage {
  type: 'step';
  shard: HostShard;
  learningRate: number;
  plan: StepPlan;
  /** Replica 0's strategy state before the step (GradNorm's and DWA's weights are decided there). */
  strategy: StrategyState;
  /** GradNorm: also take part in the per-task gradient norms after the step. */
  norms: boolean;
}

/** Replica 0 -> thread: report your state (tests and diagnostics). */
export interface ProbeMessage {
  type: 'probe';
}

/** Every message replica 0 sends a replica thread. */
export type ToReplica = SyncMessage | StepMessage | ProbeMessage;

/** Thread -> replica 0: what a thread holds, for tests and diagnostics. */
export interface ReplicaProbe {
  rank: number;
  /** `tf.memory().numTensors` in the thread. */
  numTensors: number;
  /** Its trainable weights, in the model's order. */
  weights: Float32Array[];
  /** Its strategy's weights and log-variances. */
  weighting: WeightingSnapshot;
  steps: number;
}

/** Every message a replica thread sends replica 0. */
export type FromReplica =
  | { type: 'ready' }
  | { type: 'synced' }
  | { type: 'error'; message: string }
  | ({ type: 'probe' } & ReplicaProbe);

/** Replica 0 -> supervisor. */
export type ToSupervisor = { type: 'terminate'; rank: number } | { type: 'close' };

/** Supervisor -> replica 0: a replica thread ended (it has marked the collective failed unless closing). */
export interface ReplicaExited {
  type: 'exited';
  rank: number;
  code: number;
  error?: string | undefined;
}
