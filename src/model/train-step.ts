/**
 * One optimisation step of the multi-task network, and GradNorm's per-task gradient norms: the maths of
 * a step, apart from the loop around it (`trainer.ts`).
 *
 * @packageDocumentation
 */
import type { LayersModel, NamedTensorMap, Optimizer, Scalar, Tensor, Variable } from '@tensorflow/tfjs';
import type { SceneBatch } from '../data/batch.js';
import { tf } from '../tf/index.js';
import { lastSharedLayer } from './network.js';
import { taskLosses } from './task-losses.js';
import type { PerTask, Task } from './tasks.js';
import type { WeightingStrategy } from './weighting/index.js';

/** What {@link trainStep} needs besides the batch: the network, the strategy and their optimisers. */
export interface StepContext {
  model: LayersModel;
  /** In the network's output order (canonical). */
  tasks: readonly Task[];
  strategy: WeightingStrategy;
  /** Updates the network's weights. */
  optimizer: Optimizer;
  /** Updates the strategy's learned parameters (e.g. log-variances). */
  weightingOptimizer: Optimizer;
  /** The network's trainable variables. */
  networkVariables: Variable[];
  /** Names of the variables that get L2 weight decay (conv kernels). */
  decayed: Set<string>;
  /** L2 coefficient added to the gradients of `decayed` variables. */
  weightDecay: number;
  /**
   * Data-parallel replicas only (`replicas/`): replaces `grads` in place by their mean over every replica
   * and returns the step's losses for the whole batch. Absent in a single process.
   */
  allReduce?: (grads: NamedTensorMap, losses: PerTask<Scalar>, total: Scalar) => StepLosses;
}

/** The numbers of one step. */
export interface StepLosses {
  /** Raw (unweighted) loss of each task. */
  losses: PerTask<number>;
  /** The weighted total that was minimised. */
  total: number;
}

/**
 * One optimisation step: gradients of the strategy's weighted loss for the network's weights and the
 * strategy's variables, L2 decay on conv kernels, each set applied by its own optimiser.
 *
 * @returns The raw task losses and the weighted total, as numbers.
 */
export function trainStep(context: StepContext, batch: SceneBatch): StepLosses {
  const { model, tasks, strategy, optimizer, weightingOptimizer, networkVariables, decayed, weightDecay } =
    context;
  let raw: PerTask<Scalar> = {};
  const { value, grads } = tf.variableGrads(() => {
    const outputs = model.apply(batch.images, { training: true }) as Tensor | Tensor[];
    raw = taskLosses(Array.isArray(outputs) ? outputs : [outputs], tasks, batch);
    for (const loss of Object.values(raw)) tf.keep(loss);
    return strategy.combine(raw);
  }, [...networkVariables, ...strategy.variables]);
  try {
    const reduced = context.allReduce?.(grads, raw, value);
    const networkGrads: NamedTensorMap = {};
    for (const variable of networkVariables) {
      const grad = grads[variable.name]!;
      networkGrads[variable.name] =
        weightDecay > 0 && decayed.has(variable.name)
          ? tf.tidy(() => tf.add(grad, tf.mul(weightDecay, variable)))
          : grad;
    }
    optimizer.applyGradients(networkGrads);
    if (strategy.variables.length > 0) {
      const strategyGrads: NamedTensorMap = {};
      for (const variable of strategy.variables) strategyGrads[variable.name] = grads[variable.name]!;
      weightingOptimizer.applyGradients(strategyGrads);
      strategy.afterUpdate?.();
    }
    tf.dispose(Object.values(networkGrads).filter((t) => !Object.values(grads).includes(t)));
    if (reduced !== undefined) return reduced;
    const losses = Object.fromEntries(
      tasks.map((task) => [task, raw[task]!.dataSync()[0]!]),
    ) as PerTask<number>;
    return { losses, total: value.dataSync()[0]! };
  } finally {
    tf.dispose([value, ...Object.values(grads), ...(Object.values(raw) as Scalar[])]);
  }
}

/**
 * ||grad_W L_i|| at the last shared layer's kernel for every task (GradNorm's input), each from its own
 * gradient pass on the batch. Batch-norm running statistics are restored afterwards so that these extra
 * training-mode passes do not count as extra updates.
 */
export function taskGradientNorms(
  model: LayersModel,
  tasks: readonly Task[],
  batch: SceneBatch,
  /** Data-parallel replicas only: the mean of every replica's gradient in place of this one's. */
  reduce?: (task: Task, gradient: Tensor) => Tensor,
): PerTask<number> {
  const shared = lastSharedLayer(model).trainableWeights[0]!.read() as Variable;
  return withRestoredStatistics(model, () => {
    const norms: PerTask<number> = {};
    tasks.forEach((task, i) => {
      norms[task] = tf.tidy(() => {
        const { value, grads } = tf.variableGrads(() => {
          const outputs = model.apply(batch.images, { training: true }) as Tensor | Tensor[];
          const losses = taskLosses(Array.isArray(outputs) ? outputs : [outputs], tasks, batch);
          return losses[tasks[i]!]!;
        }, [shared]);
        value.dispose();
        const gradient = grads[shared.name]!;
        return tf.norm(reduce ? reduce(tasks[i]!, gradient) : gradient).dataSync()[0]!;
      });
    });
    return norms;
  });
}

/**
 * The raw loss of every task on a batch, in training mode (batch statistics), as the step on it would see
 * them before its update: what the uncertainty strategies' `"auto"` start is set from. Batch-norm running
 * statistics are restored afterwards, so this pass is not an extra update.
 */
export function taskLossValues(
  model: LayersModel,
  tasks: readonly Task[],
  batch: SceneBatch,
): PerTask<number> {
  return withRestoredStatistics(model, () =>
    tf.tidy(() => {
      const outputs = model.apply(batch.images, { training: true }) as Tensor | Tensor[];
      const losses = taskLosses(Array.isArray(outputs) ? outputs : [outputs], tasks, batch);
      return Object.fromEntries(tasks.map((task) => [task, losses[task]!.dataSync()[0]!])) as PerTask<number>;
    }),
  );
}

/** Runs `fn` (training-mode passes) and puts the batch-norm running statistics back as they were. */
function withRestoredStatistics<T>(model: LayersModel, fn: () => T): T {
  const statistics = model.nonTrainableWeights.map((w) => ({ variable: w, value: tf.clone(w.read()) }));
  try {
    return fn();
  } finally {
    for (const { variable, value } of statistics) {
      variable.write(value);
      value.dispose();
    }
  }
}
