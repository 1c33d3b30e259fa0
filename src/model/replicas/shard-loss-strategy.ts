import type { Scalar } from '@tensorflow/tfjs';
import { tf } from '../../tf/index.js';
import type { PerTask, Task } from '../tasks.js';
import type {
  StrategyName,
  StrategyState,
  TaskLossTensors,
  WeightingSnapshot,
  WeightingStrategy,
} from '../weighting/index.js';

/**
 * A replica's view of the job's weighting strategy: the same strategy (and the same learned variables),
 * combining each task's shard loss times that replica's factor (`shards.ts`, {@link scales}), so that the
 * mean of the replicas' combined losses, and of their gradients, is the whole batch's. Everything else is
 * the strategy's own.
 */
export class ShardLossStrategy implements WeightingStrategy {
  /** This replica's loss factor per task for the step in progress. */
  scales: PerTask<number> = {};

  /** @param inner - The job's strategy. */
  constructor(readonly inner: WeightingStrategy) {}

  get name(): StrategyName {
    return this.inner.name;
  }

  get tasks(): readonly Task[] {
    return this.inner.tasks;
  }

  get variables(): WeightingStrategy['variables'] {
    return this.inner.variables;
  }

  get needsTaskGradientNorms(): boolean {
    return this.inner.needsTaskGradientNorms === true;
  }

  combine(losses: TaskLossTensors): Scalar {
    return tf.tidy(() => {
      const scaled: TaskLossTensors = {};
      for (const [task, loss] of Object.entries(losses) as [Task, Scalar][]) {
        scaled[task] = tf.mul(loss, this.scales[task] ?? 1);
      }
      return this.inner.combine(scaled);
    });
  }

  snapshot(): WeightingSnapshot {
    return this.inner.snapshot();
  }

  afterUpdate(): void {
    this.inner.afterUpdate?.();
  }

  afterStep(info: { rawLosses: PerTask<number>; gradientNorms?: PerTask<number> }): void {
    this.inner.afterStep?.(info);
  }

  get needsInitialLosses(): boolean {
    return this.inner.needsInitialLosses === true;
  }

  initialize(rawLosses: PerTask<number>): void {
    this.inner.initialize?.(rawLosses);
  }

  onEpochEnd(meanLosses: PerTask<number>): void {
    this.inner.onEpochEnd?.(meanLosses);
  }

  state(): StrategyState {
    return this.inner.state();
  }

  restore(state: StrategyState): void {
    this.inner.restore(state);
  }

  dispose(): void {
    // The job's strategy belongs to the job.
  }
}
