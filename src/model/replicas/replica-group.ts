/**
 * Synchronous data-parallel training over worker threads of one process: replica 0 is the trainer's own
 * thread, replicas 1 .. N-1 are threads with their own tfjs backend and copy of the network
 * (`replica-thread.ts`), started and watched by a supervisor thread (`replica-supervisor.ts`).
 *
 * @packageDocumentation
 */
import { once } from 'node:events';
import { MessageChannel, type MessagePort, type Worker } from 'node:worker_threads';
import type { LayersModel, Optimizer } from '@tensorflow/tfjs';
import { disposeBatch, type SceneBatch } from '../../data/batch.js';
import { ReplicaError } from '../../errors.js';
import type { OptimizerSpec } from '../optimizers.js';
import { taskLossValues, type StepContext, type StepLosses } from '../train-step.js';
import { TASKS, type PerTask, type Task } from '../tasks.js';
import type { WeightingSpec } from '../weighting/index.js';
import { Collective, CollectiveFailure } from './collective.js';
import type { DataParallelSteps } from './data-parallel-steps.js';
import type {
  FromReplica,
  ReplicaExited,
  ReplicaFault,
  ReplicaProbe,
  SlotTensor,
  StepMessage,
  SupervisorData,
  ToReplica,
  ToSupervisor,
} from './replica-messages.js';
import { ReplicaStepper, type StepPlan } from './replica-stepper.js';
import {
  lossScales,
  readBatch,
  shardSizes,
  shardToBatch,
  sliceShard,
  taskPixelCounts,
  type HostShard,
} from './shards.js';
import { siblingEntry, spawnThread } from './spawn-thread.js';

/**
 * Longest wait for the replica threads to load tfjs, their backend and the network. Why 60 s: it takes
 * about a second each here; sixty times that allows for a loaded machine, like the training child's own.
 */
export const DEFAULT_REPLICA_STARTUP_TIMEOUT_MS = 60_000;
/**
 * Floats of the collective beyond the model's weights: the strategy's learned parameters (3 log-variances
 * today), the task losses and the total. Why 64: far more than any strategy here learns.
 */
const STRATEGY_ROOM = 64;

/** What {@link ReplicaGroup.start} needs. */
export interface ReplicaGroupOptions {
  /** Replicas, replica 0 (the caller's thread) included: at least 2. */
  replicas: number;
  /** The network replica 0 trains; the threads build its topology (their weights come from `attach`). */
  model: LayersModel;
  tasks: readonly Task[];
  weighting: WeightingSpec;
  optimizer: OptimizerSpec;
  /** Replica 0's tfjs backend; the threads select the same one. */
  backend: 'wasm' | 'cpu';
  startupTimeoutMs?: number;
  /** Fault tests only (see {@link ReplicaFault}). */
  fault?: ReplicaFault;
}

/** A pending request to one replica thread. */
interface Pending {
  expect: FromReplica['type'];
  resolve: (message: FromReplica) => void;
  reject: (err: Error) => void;
}

/**
 * N synchronous data-parallel replicas: per step the batch is cut into N shards, each replica computes
 * the gradient of its shard's share of the batch's loss, the gradients (and batch-norm moving statistics)
 * are averaged through shared memory, and every replica applies the same update. The trainer keeps
 * everything else (checkpoints, progress, validation, the abort) as replica 0.
 *
 * A replica that throws, exits or is terminated fails the step in progress on every replica with a
 * {@link ReplicaError}; the group is then broken and must be closed.
 */
export class ReplicaGroup implements DataParallelSteps {
  private readonly stepper: ReplicaStepper;
  private readonly pending = new Map<number, Pending>();
  private readonly exited = new Map<number, ReplicaExited>();
  /** The batch of the last step and its plan, for GradNorm's norms of the same batch. */
  private last: { batch: SceneBatch; own: HostShard; plan: StepPlan } | undefined;
  private closed: Promise<void> | undefined;
  private readonly supervisorExit: Promise<void>;

  private constructor(
    readonly replicas: number,
    private readonly collective: Collective,
    private readonly supervisor: Worker,
    private readonly ports: MessagePort[],
  ) {
    this.stepper = new ReplicaStepper(collective);
    ports.forEach((port, i) => port.on('message', (message: FromReplica) => this.onMessage(i + 1, message)));
    supervisor.on('message', (message: ReplicaExited) => this.onExited(message));
    supervisor.on('error', (err) => this.collective.fail(0, `the replica supervisor failed: ${err.message}`));
    this.supervisorExit = once(supervisor, 'exit').then(() => undefined);
  }

  /**
   * Starts the replica threads and waits until each has built its copy of the network.
   *
   * @throws ReplicaError when a thread fails to start or is not ready in time.
   */
  static async start(options: ReplicaGroupOptions): Promise<ReplicaGroup> {
    const { replicas, model } = options;
    if (!Number.isInteger(replicas) || replicas < 2) {
      throw new RangeError(`a replica group needs at least 2 replicas, got ${replicas}`);
    }
    const weights = model.weights.reduce((n, w) => n + w.read().size, 0);
    const buffers = Collective.allocate(replicas, weights + 2 * TASKS.length + 1 + STRATEGY_ROOM);
    const channels = Array.from({ length: replicas - 1 }, () => new MessageChannel());
    const ports = channels.map((c) => c.port2);
    const data: SupervisorData = {
      topology: model.toJSON(null, false) as object,
      tasks: [...options.tasks],
      weighting: options.weighting,
      optimizer: options.optimizer,
      backend: options.backend,
      fault: options.fault,
      collective: buffers,
      ports,
    };
    const supervisor = spawnThread(siblingEntry(import.meta.url, 'replica-supervisor'), {
      workerData: data,
      transferList: ports,
    });
    const group = new ReplicaGroup(
      replicas,
      new Collective(buffers, 0),
      supervisor,
      channels.map((c) => c.port1),
    );
    const timeoutMs = options.startupTimeoutMs ?? DEFAULT_REPLICA_STARTUP_TIMEOUT_MS;
    try {
      await withTimeout(
        Promise.all(group.ports.map((_, i) => group.expect(i + 1, 'ready'))),
        timeoutMs,
        `the replica threads were not ready within ${timeoutMs} ms`,
      );
      return group;
    } catch (err) {
      await group.close();
      throw err instanceof ReplicaError ? err : new ReplicaError(describe(err));
    }
  }

  /** Sends replica 0's state to every thread and waits until each has taken it. */
  async attach(context: StepContext, optimizers: Record<string, Optimizer>): Promise<void> {
    this.throwIfBroken();
    const weights = context.model.getWeights().map((w) => w.dataSync() as Float32Array);
    const slots: Record<string, SlotTensor[]> = {};
    for (const [key, optimizer] of Object.entries(optimizers)) {
      const named = optimizer.iterations > 0 ? await optimizer.getWeights() : [];
      slots[key] = named.map(({ name, tensor }) => ({
        name,
        data: tensor.dataSync() as Float32Array | Int32Array,
        shape: [...tensor.shape],
        dtype: tensor.dtype === 'int32' ? 'int32' : 'float32',
      }));
      // getWeights() returns a fresh iterations scalar; the slot variables stay owned by the optimiser.
      named[0]?.tensor.dispose();
    }
    const strategy = context.strategy.state();
    await Promise.all(
      this.ports.map((_, i) => {
        const waiting = this.expect(i + 1, 'synced');
        this.post(i + 1, { type: 'sync', weights, optimizers: slots, strategy });
        return waiting;
      }),
    );
  }

  /**
   * One data-parallel step of the whole batch (see the class). Replica 0 trains the first shard itself.
   *
   * @throws ReplicaError when a replica failed; replica 0's own errors as they are.
   */
  trainStep(context: StepContext, batch: SceneBatch, learningRate: number): StepLosses {
    this.throwIfBroken();
    const { plans, shards, own } = this.plan(batch, context.tasks);
    const strategy = context.strategy.state();
    const norms = context.strategy.needsTaskGradientNorms === true;
    shards.forEach((shard, i) => {
      const message: StepMessage = {
        type: 'step',
        shard,
        learningRate,
        plan: plans[i + 1]!,
        strategy,
        norms,
      };
      const buffers = Object.values(shard.tensors).map((t) => t.data.buffer as ArrayBuffer);
      this.ports[i]!.postMessage(message satisfies ToReplica, buffers);
    });
    this.last = { batch, own, plan: plans[0]! };
    return this.onShard(own, (shard) => this.stepper.step(context, shard, plans[0]!));
  }

  /** GradNorm's norms of the whole batch of the last {@link trainStep} (every replica computes its part). */
  taskGradientNorms(model: LayersModel, tasks: readonly Task[], batch: SceneBatch): PerTask<number> {
    this.throwIfBroken();
    const last = this.last;
    if (last?.batch !== batch) throw new Error('replica norms: not the batch of the last step');
    return this.onShard(last.own, (shard) => this.stepper.taskGradientNorms(model, tasks, shard, last.plan));
  }

  /**
   * `taskLossValues` of the whole batch as the replicas' next step will see it: each replica's shard with
   * its own batch statistics, combined by the shards' loss factors. Replica 0 computes every shard itself
   * (a one-off pass, for the uncertainty strategies' `"auto"` start), so no thread is involved.
   */
  taskLossValues(model: LayersModel, tasks: readonly Task[], batch: SceneBatch): PerTask<number> {
    this.throwIfBroken();
    const { sizes, active, host, starts, scales } = this.shares(batch, tasks);
    const total: PerTask<number> = {};
    sizes.forEach((size, k) => {
      if (size === 0) return;
      const shard = shardToBatch(sliceShard(host, starts[k]!, size, false));
      try {
        const losses = taskLossValues(model, tasks, shard);
        for (const task of tasks) {
          total[task] = (total[task] ?? 0) + ((scales[k]![task] ?? 0) * losses[task]!) / active;
        }
      } finally {
        disposeBatch(shard);
      }
    });
    return total;
  }

  /** Every replica thread's state (rank 1 first), for tests and diagnostics; between steps only. */
  async probe(): Promise<ReplicaProbe[]> {
    this.throwIfBroken();
    const replies = await Promise.all(
      this.ports.map((_, i) => {
        const waiting = this.expect(i + 1, 'probe');
        this.post(i + 1, { type: 'probe' });
        return waiting;
      }),
    );
    return replies as (FromReplica & ReplicaProbe)[];
  }

  /** Ends one replica thread at once, as a crash would (fault tests); resolves once it is gone. */
  async terminate(rank: number): Promise<void> {
    if (this.exited.has(rank)) return;
    const gone = new Promise<void>((resolve) => {
      const onMessage = (message: ReplicaExited): void => {
        if (message.rank !== rank) return;
        this.supervisor.off('message', onMessage);
        resolve();
      };
      this.supervisor.on('message', onMessage);
    });
    this.supervisor.postMessage({ type: 'terminate', rank } satisfies ToSupervisor);
    await gone;
  }

  /** Ends every replica thread and the supervisor. Safe to call more than once. */
  close(): Promise<void> {
    this.closed ??= (async () => {
      if (this.collective.failure() === undefined) this.collective.fail(0, 'the replica group was closed');
      this.supervisor.postMessage({ type: 'close' } satisfies ToSupervisor);
      await this.supervisorExit;
      for (const port of this.ports) port.close();
      for (const pending of this.pending.values())
        pending.reject(new ReplicaError('the replica group was closed'));
      this.pending.clear();
    })();
    return this.closed;
  }

  /** Shards, plans and pixel counts of a batch: replica k gets the k-th contiguous share. */
  private plan(
    batch: SceneBatch,
    tasks: readonly Task[],
  ): { plans: StepPlan[]; shards: HostShard[]; own: HostShard } {
    const { sizes, active, host, starts, scales } = this.shares(batch, tasks);
    const plans = scales.map((s) => ({ active, scales: s }));
    // A replica without a sample of its own trains on a copy of the first one with factor 0: it still
    // takes part in the all-reduce (which leaves it out) and applies the same update.
    const shards = sizes
      .slice(1)
      .map((size, i) => (size > 0 ? sliceShard(host, starts[i + 1]!, size) : sliceShard(host, 0, 1)));
    return { plans, shards, own: sliceShard(host, 0, sizes[0]!, false) };
  }

  /** How a batch is shared out: samples per replica, where each share starts, and its loss factors. */
  private shares(batch: SceneBatch, tasks: readonly Task[]) {
    const sizes = shardSizes(batch.size, this.replicas);
    const active = sizes.filter((size) => size > 0).length;
    const host = readBatch(batch);
    const starts = sizes.map((_, k) => sizes.slice(0, k).reduce((a, b) => a + b, 0));
    const counts = sizes.map((size, k) => (size > 0 ? taskPixelCounts(host, tasks, starts[k]!, size) : {}));
    const scales = lossScales(counts, active, tasks);
    return { sizes, active, host, starts, scales };
  }

  /** Runs `work` on replica 0's shard (as tensors), turning failures into the group's errors. */
  private onShard<T>(own: HostShard, work: (shard: SceneBatch) => T): T {
    const shard = shardToBatch(own);
    try {
      return work(shard);
    } catch (err) {
      if (err instanceof CollectiveFailure) throw new ReplicaError(err.message);
      // Replica 0's own failure: the others must not wait for it.
      this.collective.fail(0, describe(err));
      throw err;
    } finally {
      disposeBatch(shard);
    }
  }

  private throwIfBroken(): void {
    const failure = this.collective.failure();
    if (failure !== undefined) throw new ReplicaError(failure.message);
  }

  private post(rank: number, message: ToReplica): void {
    this.ports[rank - 1]!.postMessage(message);
  }

  private expect(rank: number, type: FromReplica['type']): Promise<FromReplica> {
    const exited = this.exited.get(rank);
    if (exited !== undefined) return Promise.reject(exitError(exited));
    return new Promise((resolve, reject) => this.pending.set(rank, { expect: type, resolve, reject }));
  }

  private onMessage(rank: number, message: FromReplica): void {
    const pending = this.pending.get(rank);
    if (pending === undefined) return;
    if (message.type === 'error') {
      this.pending.delete(rank);
      pending.reject(new ReplicaError(`replica ${rank} failed: ${message.message}`));
    } else if (message.type === pending.expect) {
      this.pending.delete(rank);
      pending.resolve(message);
    }
  }

  private onExited(message: ReplicaExited): void {
    this.exited.set(message.rank, message);
    const pending = this.pending.get(message.rank);
    this.pending.delete(message.rank);
    pending?.reject(exitError(message));
  }
}

function exitError(exited: ReplicaExited): ReplicaError {
  return new ReplicaError(
    `replica thread ${exited.rank} exited (code ${exited.code})${exited.error ? `: ${exited.error}` : ''}`,
  );
}

function describe(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

async function withTimeout<T>(work: Promise<T>, ms: number, message: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      work,
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new ReplicaError(message)), ms);
      }),
    ]);
  } finally {
    clearTimeout(timer);
  }
}
