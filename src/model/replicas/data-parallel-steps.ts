import type { LayersModel, Optimizer } from '@tensorflow/tfjs';
import type { SceneBatch } from '../../data/batch.js';
import type { StepContext, StepLosses } from '../train-step.js';
import type { PerTask, Task } from '../tasks.js';

/**
 * What the trainer asks of data-parallel replicas (implemented by {@link ReplicaGroup}): the two step
 * functions of `train-step.ts` over the whole batch, shared out among the replicas.
 */
export interface DataParallelSteps {
  /** Replicas, the trainer's own (replica 0) included. */
  readonly replicas: number;
  /**
   * Brings every replica to the run's state (weights, batch-norm statistics, optimiser slots, strategy),
   * after a resume and before the first step.
   */
  attach(context: StepContext, optimizers: Record<string, Optimizer>): Promise<void>;
  /**
   * `trainStep` on the whole batch: each replica's gradient of its share, averaged, one identical update on
   * every replica.
   *
   * @param learningRate - The network optimiser's rate for this step (already set on replica 0's).
   * @returns The losses of the whole batch.
   */
  trainStep(context: StepContext, batch: SceneBatch, learningRate: number): StepLosses;
  /** `taskLossValues` of the whole batch, each replica's share with its own batch statistics. */
  taskLossValues(model: LayersModel, tasks: readonly Task[], batch: SceneBatch): PerTask<number>;
  /** `taskGradientNorms` of the whole batch of the last {@link trainStep}. */
  taskGradientNorms(model: LayersModel, tasks: readonly Task[], batch: SceneBatch): PerTask<number>;
}
