/**
 * The "both cores" row: the project's synchronous data-parallel training (`training.replicas`,
 * src/model/replicas/) at the phase's global batch. Replica 0 is this thread, replicas 1 .. N-1 are the
 * project's replica threads; one step is `ReplicaGroup.trainStep` on the whole batch: the batch read back
 * and cut into shards, every replica's forward and backward on its shard, the all-reduce of the gradients
 * and batch-norm statistics through shared memory, and the same Adam update on every replica.
 *
 * Same network (seeded, so the same initial weights as the single-process runner), same batch, same
 * equal-weights strategy and the project's Adam without weight decay as {@link TfjsRunner}.
 *
 * @packageDocumentation
 */
import {
  createOptimizer,
  createWeightingOptimizer,
  resolveOptimizerSpec,
  type OptimizerSpec,
} from '../../src/model/optimizers.js';
import { ReplicaGroup } from '../../src/model/replicas/replica-group.js';
import { createStepContext } from '../../src/model/trainer.js';
import { TASKS } from '../../src/model/tasks.js';
import { createWeighting, type WeightingSpec } from '../../src/model/weighting/index.js';
import { referenceModel } from './export-tfjs.js';
import type { PreparedPhase, StepRunner, StepTiming } from './step-runner.js';

/** The comparison's loss: the three task losses summed (what the torch port does). */
const WEIGHTING: WeightingSpec = { strategy: 'equal' };
/** The project's Adam defaults; no weight decay, since the port has none (as {@link TfjsRunner}). */
const OPTIMIZER: OptimizerSpec = resolveOptimizerSpec({ name: 'adam', weightDecay: 0 });

/** What one prepared phase holds. */
interface ReplicaRun {
  group: ReplicaGroup;
  /** Releases replica 0's network, optimisers and strategy. */
  dispose(): void;
  step(): void;
}

/** tfjs over `replicas` local replicas (threads of this process) at the phase's global batch. */
export class TfjsReplicasRunner implements StepRunner {
  readonly id: string;
  readonly label: string;
  readonly framework = 'tfjs' as const;
  private run: ReplicaRun | undefined;

  constructor(readonly replicas: number) {
    this.id = `tfjs-${replicas}-replicas`;
    this.label = `tfjs-wasm, ${replicas} replicas`;
  }

  async start(): Promise<Record<string, unknown>> {
    return { replicas: this.replicas };
  }

  async prepare({ spec, batch }: PreparedPhase): Promise<string | undefined> {
    if (spec.kind !== 'train') return 'replicas are a training feature';
    // Its own copy of the seeded network: the single-process runner trains the phase's model.
    const model = referenceModel(spec.inputSize);
    const strategy = createWeighting(WEIGHTING, TASKS);
    const optimizers = {
      network: createOptimizer(OPTIMIZER),
      weighting: createWeightingOptimizer(OPTIMIZER),
    };
    const context = createStepContext(model, TASKS, strategy, optimizers, OPTIMIZER);
    const dispose = () => {
      strategy.dispose();
      optimizers.network.dispose();
      optimizers.weighting.dispose();
      model.dispose();
    };
    try {
      const group = await ReplicaGroup.start({
        replicas: this.replicas,
        model,
        tasks: TASKS,
        weighting: WEIGHTING,
        optimizer: OPTIMIZER,
        backend: 'wasm',
      });
      await group.attach(context, optimizers);
      const step = () => void group.trainStep(context, batch, OPTIMIZER.learningRate);
      this.run = { group, dispose, step };
      return undefined;
    } catch (err) {
      dispose();
      throw err;
    }
  }

  /**
   * One synchronous step. Wall time: in this thread, until replica 0 has applied its update (what the
   * trainer waits for). The other replicas apply theirs at the same time and may end a little later, so
   * the step then waits for them (a probe round trip, untimed) before the next runner's step, which they
   * would otherwise share the cores with; CPU time is taken after that wait, so it counts their whole
   * step (and the probe's ~1-2 ms of copies).
   */
  async step(): Promise<StepTiming> {
    const run = this.run;
    if (run === undefined) throw new Error(`${this.label}: prepare() did not set up a training phase`);
    const cpu = process.cpuUsage();
    const start = performance.now();
    run.step();
    const ms = performance.now() - start;
    await run.group.probe();
    // Process-wide (getrusage): every thread of this process, so the replica threads' CPU time counts.
    const used = process.cpuUsage(cpu);
    return { ms, cpuMs: (used.user + used.system) / 1000 };
  }

  /** The replica threads live in this process: its pid covers their CPU time. */
  pids(): number[] {
    return [process.pid];
  }

  async finishPhase(): Promise<void> {
    const run = this.run;
    this.run = undefined;
    if (run === undefined) return;
    await run.group.close();
    run.dispose();
  }

  async close(): Promise<void> {
    await this.finishPhase();
  }
}
