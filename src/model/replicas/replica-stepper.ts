import type { LayersModel, NamedTensorMap, Scalar, Tensor } from '@tensorflow/tfjs';
import type { SceneBatch } from '../../data/batch.js';
import { tf } from '../../tf/index.js';
import { taskGradientNorms, trainStep, type StepContext, type StepLosses } from '../train-step.js';
import type { PerTask, Task } from '../tasks.js';
import type { Collective } from './collective.js';
import { ShardLossStrategy } from './shard-loss-strategy.js';

/** What every replica needs to know of a step besides its shard. */
export interface StepPlan {
  /** Replicas holding samples this step (ranks `0 .. active - 1`); the others contribute nothing. */
  active: number;
  /** This replica's loss factor per task (`lossScales` in `shards.ts`). */
  scales: PerTask<number>;
}

/**
 * The part of a data-parallel step that is the same on every replica, replica 0 (the trainer's thread)
 * and the replica threads alike: `trainStep` on the replica's shard with its scaled losses, the mean of
 * the gradients (and batch-norm moving statistics) of every replica in place of its own, then the one
 * update; and GradNorm's gradient norms of the whole batch.
 */
export class ReplicaStepper {
  private readonly strategies = new WeakMap<StepContext['strategy'], ShardLossStrategy>();

  /** @param collective - This replica's handle on the shared memory. */
  constructor(readonly collective: Collective) {}

  /**
   * One step on this replica's shard.
   *
   * @returns The step's losses for the whole batch (the same numbers on every replica).
   * @throws CollectiveFailure when another replica failed meanwhile.
   */
  step(context: StepContext, shard: SceneBatch, plan: StepPlan): StepLosses {
    const strategy = this.shardStrategy(context.strategy);
    strategy.scales = plan.scales;
    return trainStep(
      {
        ...context,
        strategy,
        allReduce: (grads, losses, total) => this.reduceStep(context, plan, grads, losses, total),
      },
      shard,
    );
  }

  /**
   * GradNorm's ||grad_W L_i|| of the whole batch: each replica's gradient of its scaled task loss at the
   * last shared layer, averaged over the replicas before the norm is taken.
   */
  taskGradientNorms(
    model: LayersModel,
    tasks: readonly Task[],
    shard: SceneBatch,
    plan: StepPlan,
  ): PerTask<number> {
    return taskGradientNorms(model, tasks, shard, (task, gradient) => {
      const slot = this.collective.slot;
      const values = gradient.dataSync();
      const scale = plan.scales[task] ?? 0;
      for (let i = 0; i < values.length; i++) slot[i] = values[i]! * scale;
      const mean = this.collective.allReduceMean(values.length, plan.active);
      return tf.tensor(mean.slice(), gradient.shape, 'float32');
    });
  }

  /**
   * The all-reduce of a step: packs this replica's gradients, batch-norm moving statistics, scaled task
   * losses and weighted total into its slot, and replaces each by the mean over the active replicas.
   */
  private reduceStep(
    context: StepContext,
    plan: StepPlan,
    grads: NamedTensorMap,
    losses: PerTask<Scalar>,
    total: Scalar,
  ): StepLosses {
    const variables = [...context.networkVariables, ...context.strategy.variables];
    const statistics = context.model.nonTrainableWeights;
    const slot = this.collective.slot;
    let offset = 0;
    for (const variable of variables) {
      const grad = grads[variable.name];
      if (grad === undefined) slot.fill(0, offset, offset + variable.size);
      else slot.set(grad.dataSync(), offset);
      offset += variable.size;
    }
    for (const weight of statistics) {
      slot.set(weight.read().dataSync(), offset);
      offset += weight.read().size;
    }
    for (const task of context.tasks) {
      slot[offset++] = (losses[task]?.dataSync()[0] ?? 0) * (plan.scales[task] ?? 0);
    }
    slot[offset++] = total.dataSync()[0]!;

    const mean = this.collective.allReduceMean(offset, plan.active);
    offset = 0;
    for (const variable of variables) {
      grads[variable.name]?.dispose();
      grads[variable.name] = tf.tensor(mean.slice(offset, offset + variable.size), variable.shape, 'float32');
      offset += variable.size;
    }
    for (const weight of statistics) {
      const { size, shape } = weight.read();
      const value: Tensor = tf.tensor(mean.slice(offset, offset + size), shape, 'float32');
      weight.write(value);
      value.dispose();
      offset += size;
    }
    const global: PerTask<number> = {};
    for (const task of context.tasks) global[task] = mean[offset++]!;
    return { losses: global, total: mean[offset]! };
  }

  private shardStrategy(strategy: StepContext['strategy']): ShardLossStrategy {
    let wrapped = this.strategies.get(strategy);
    if (wrapped === undefined) {
      wrapped = new ShardLossStrategy(strategy);
      this.strategies.set(strategy, wrapped);
    }
    return wrapped;
  }
}
