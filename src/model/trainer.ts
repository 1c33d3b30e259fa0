import type { LayersModel, NamedTensorMap, Optimizer, Scalar, Tensor, Variable } from '@tensorflow/tfjs';
import { ConflictError, TrainingAbortedError } from '../errors.js';
import { tf } from '../tf/index.js';
import { disposeBatch, type SceneBatch } from '../data/batch.js';
import type { BatchSource } from './batch-source.js';
import { lastSharedLayer } from './network.js';
import { latestCheckpoint, restoreCheckpoint, saveCheckpoint, type CheckpointRef } from './checkpoint.js';
import {
  createOptimizer,
  createWeightingOptimizer,
  learningRateAt,
  setLearningRate,
  type OptimizerSpec,
} from './optimizers.js';
import { taskLosses } from './task-losses.js';
import { canonicalTasks, type PerTask, type Task } from './tasks.js';
import type { EpochMetrics, EpochSummary, PartialEpoch, StepProgress } from './training-progress.js';
import type { WeightingStrategy } from './weighting/index.js';

export type { EpochMetrics, EpochSummary, StepProgress } from './training-progress.js';

/** What {@link train} needs. */
export interface TrainOptions {
  model: LayersModel;
  tasks: readonly Task[];
  strategy: WeightingStrategy;
  optimizer: OptimizerSpec;
  epochs: number;
  data: BatchSource;
  /** Validation after each epoch; its result lands in the history. */
  evaluate?: (model: LayersModel, batches: AsyncIterable<SceneBatch>) => Promise<EpochMetrics>;
  /** Directory for checkpoints (one per epoch); none are written when unset. */
  checkpointDir?: string;
  /** Continue from the newest checkpoint in `checkpointDir`, if there is one. */
  resume?: boolean;
  /**
   * Identifies what is being trained (e.g. a hash of the spec); stored in checkpoints, and a resume from a
   * checkpoint with another key is refused, so a reused id never continues an unrelated run.
   */
  resumeKey?: string;
  /** Stops training after the step in progress. */
  signal?: AbortSignal;
  /** Write a checkpoint when stopping on the signal (a worker shutting down), so a resumed job loses nothing. */
  checkpointOnAbort?: boolean;
  onStep?: (progress: StepProgress) => void | Promise<void>;
  onEpoch?: (summary: EpochSummary) => void | Promise<void>;
}

/** What {@link train} returns once every epoch ran. */
export interface TrainingResult {
  history: EpochSummary[];
  steps: number;
  /** The checkpoint the run resumed from, if any. */
  resumedFrom?: string;
}

/**
 * Trains a multi-task model: a custom minimise loop (gradients of the weighted loss for the network's
 * weights and the strategy's learned parameters, applied by two optimisers: the network's with poly decay
 * and L2 on conv kernels, the log-variances' with their own learning rate and no decay), yielding to the
 * event loop between steps, with validation and a checkpoint after every epoch and resume from the newest
 * checkpoint.
 *
 * @throws TrainingAbortedError when `signal` fires (after the step in progress).
 */
export async function train(options: TrainOptions): Promise<TrainingResult> {
  const { model, strategy, epochs, data, signal } = options;
  // The network's outputs follow the canonical task order; pair losses with them in that order.
  const tasks = canonicalTasks(options.tasks);
  const optimizer = createOptimizer(options.optimizer);
  const weightingOptimizer = createWeightingOptimizer(options.optimizer);
  const optimizers = { network: optimizer, weighting: weightingOptimizer };
  const networkVariables = model.trainableWeights.map((w) => w.read() as Variable);
  const decayed = new Set(
    model.trainableWeights.filter((w) => w.name.endsWith('/kernel')).map((w) => (w.read() as Variable).name),
  );
  const totalSteps = epochs * data.stepsPerEpoch;

  let history: EpochSummary[] = [];
  let position = { epoch: 0, stepInEpoch: 0, globalStep: 0 };
  let partial: PartialEpoch = { lossSums: {}, steps: 0, startedAt: Date.now() };
  let resumedFrom: CheckpointRef | undefined;
  try {
    if (options.resume && options.checkpointDir !== undefined) {
      resumedFrom = await latestCheckpoint(options.checkpointDir);
      if (resumedFrom !== undefined) {
        const state = await restoreCheckpoint({ ref: resumedFrom, model, optimizers });
        const savedKey = state.run.resumeKey;
        if (options.resumeKey !== undefined && savedKey !== undefined && savedKey !== options.resumeKey) {
          throw new ConflictError(
            `checkpoints in ${options.checkpointDir} belong to a different training run; use another id or remove them`,
          );
        }
        strategy.restore(state.strategy);
        history = state.run.history;
        const saved = state.run.partial;
        partial = saved !== undefined ? { ...saved, startedAt: Date.now() } : partial;
        position = { epoch: state.epoch, stepInEpoch: state.stepInEpoch, globalStep: state.globalStep };
      }
    }

    const checkpoint = (extraPartial?: PartialEpoch) =>
      saveCheckpoint({
        root: options.checkpointDir!,
        position,
        model,
        optimizers,
        strategy: strategy.state(),
        run: {
          history,
          ...(options.resumeKey !== undefined ? { resumeKey: options.resumeKey } : {}),
          ...(extraPartial ? { partial: extraPartial } : {}),
        },
      });

    for (let epoch = position.epoch; epoch < epochs; epoch++) {
      for await (const batch of data.train(epoch, position.stepInEpoch)) {
        if (signal?.aborted) {
          disposeBatch(batch);
          if (options.checkpointOnAbort && options.checkpointDir !== undefined && position.stepInEpoch > 0) {
            await checkpoint(partial);
          }
          throw new TrainingAbortedError(position.globalStep, String(signal.reason ?? 'aborted'));
        }
        const started = performance.now();
        const learningRate = learningRateAt(options.optimizer, position.globalStep, totalSteps);
        setLearningRate(optimizer, learningRate);
        let step: { losses: PerTask<number>; total: number };
        try {
          step = trainStep({
            model,
            tasks,
            strategy,
            batch,
            optimizer,
            weightingOptimizer,
            networkVariables,
            decayed,
            weightDecay: options.optimizer.weightDecay,
          });
          if (strategy.needsTaskGradientNorms) {
            strategy.afterStep?.({
              rawLosses: step.losses,
              gradientNorms: taskGradientNorms(model, tasks, batch),
            });
          } else {
            strategy.afterStep?.({ rawLosses: step.losses });
          }
        } finally {
          disposeBatch(batch);
        }
        for (const task of tasks)
          partial.lossSums[task] = (partial.lossSums[task] ?? 0) + (step.losses[task] ?? 0);
        partial.steps += 1;
        position = { epoch, stepInEpoch: position.stepInEpoch + 1, globalStep: position.globalStep + 1 };
        const snapshot = strategy.snapshot();
        await options.onStep?.({
          epoch,
          epochs,
          step: position.globalStep,
          stepInEpoch: position.stepInEpoch,
          stepsPerEpoch: data.stepsPerEpoch,
          totalSteps,
          losses: step.losses,
          totalLoss: step.total,
          weights: snapshot.weights,
          ...(snapshot.logVariances ? { logVariances: snapshot.logVariances } : {}),
          learningRate,
          stepMs: performance.now() - started,
        });
        // Let timers, I/O and lock renewals run between steps.
        await new Promise<void>((resolve) => setImmediate(resolve));
      }

      const meanLosses = Object.fromEntries(
        tasks.map((task) => [task, (partial.lossSums[task] ?? 0) / Math.max(partial.steps, 1)]),
      ) as PerTask<number>;
      strategy.onEpochEnd?.(meanLosses);
      const metrics = options.evaluate ? await options.evaluate(model, data.validation()) : undefined;
      const snapshot = strategy.snapshot();
      position = { epoch: epoch + 1, stepInEpoch: 0, globalStep: position.globalStep };
      const summary: EpochSummary = {
        epoch: epoch + 1,
        losses: meanLosses,
        weights: snapshot.weights,
        ...(snapshot.logVariances ? { logVariances: snapshot.logVariances } : {}),
        learningRate: learningRateAt(options.optimizer, position.globalStep, totalSteps),
        ...(metrics ? { metrics } : {}),
        durationMs: Date.now() - partial.startedAt,
      };
      history = [...history, summary];
      if (options.checkpointDir !== undefined) summary.checkpoint = (await checkpoint()).name;
      partial = { lossSums: {}, steps: 0, startedAt: Date.now() };
      await options.onEpoch?.(summary);
    }
    return {
      history,
      steps: position.globalStep,
      ...(resumedFrom ? { resumedFrom: resumedFrom.name } : {}),
    };
  } finally {
    optimizer.dispose();
    weightingOptimizer.dispose();
  }
}

/** One optimisation step; returns the raw task losses and the weighted total as numbers. */
function trainStep(args: {
  model: LayersModel;
  tasks: readonly Task[];
  strategy: WeightingStrategy;
  batch: SceneBatch;
  optimizer: Optimizer;
  weightingOptimizer: Optimizer;
  networkVariables: Variable[];
  decayed: Set<string>;
  weightDecay: number;
}): { losses: PerTask<number>; total: number } {
  const {
    model,
    tasks,
    strategy,
    batch,
    optimizer,
    weightingOptimizer,
    networkVariables,
    decayed,
    weightDecay,
  } = args;
  let raw: PerTask<Scalar> = {};
  const { value, grads } = tf.variableGrads(() => {
    const outputs = model.apply(batch.images, { training: true }) as Tensor | Tensor[];
    raw = taskLosses(Array.isArray(outputs) ? outputs : [outputs], tasks, batch);
    for (const loss of Object.values(raw)) tf.keep(loss);
    return strategy.combine(raw);
  }, [...networkVariables, ...strategy.variables]);
  try {
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
function taskGradientNorms(model: LayersModel, tasks: readonly Task[], batch: SceneBatch): PerTask<number> {
  const shared = lastSharedLayer(model).trainableWeights[0]!.read() as Variable;
  const statistics = model.nonTrainableWeights.map((w) => ({ variable: w, value: tf.clone(w.read()) }));
  try {
    const norms: PerTask<number> = {};
    tasks.forEach((task, i) => {
      norms[task] = tf.tidy(() => {
        const { value, grads } = tf.variableGrads(() => {
          const outputs = model.apply(batch.images, { training: true }) as Tensor | Tensor[];
          const losses = taskLosses(Array.isArray(outputs) ? outputs : [outputs], tasks, batch);
          return losses[tasks[i]!]!;
        }, [shared]);
        value.dispose();
        return tf.norm(grads[shared.name]!).dataSync()[0]!;
      });
    });
    return norms;
  } finally {
    for (const { variable, value } of statistics) {
      variable.write(value);
      value.dispose();
    }
  }
}
