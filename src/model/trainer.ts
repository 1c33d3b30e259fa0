/**
 * The training loop: resume from the newest checkpoint, then epoch by epoch a step per batch, validation
 * and a checkpoint, reporting progress as it goes. The maths of a step is in `train-step.ts`, the
 * checkpoint layout in `checkpoint.ts`.
 *
 * @packageDocumentation
 */
import type { LayersModel, Optimizer, Variable } from '@tensorflow/tfjs';
import { disposeBatch, type SceneBatch } from '../data/batch.js';
import { ConflictError, TrainingAbortedError } from '../errors.js';
import type { BatchSource } from './batch-source.js';
import {
  latestCheckpoint,
  restoreCheckpoint,
  saveCheckpoint,
  type CheckpointRef,
  type TrainingPosition,
} from './checkpoint.js';
import {
  createOptimizer,
  createWeightingOptimizer,
  learningRateAt,
  setLearningRate,
  type OptimizerSpec,
} from './optimizers.js';
import {
  taskGradientNorms,
  taskLossValues,
  trainStep,
  type StepContext,
  type StepLosses,
} from './train-step.js';
import {
  type EpochMetrics,
  type EpochSummary,
  type PartialEpoch,
  type StepProgress,
  weightingReport,
} from './training-progress.js';
import { canonicalTasks, type PerTask, type Task } from './tasks.js';
import type { DataParallelSteps } from './replicas/data-parallel-steps.js';
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
  /**
   * Synchronous data-parallel replicas (`replicas/ReplicaGroup`): each step's batch is shared out among
   * them, and every replica applies the mean of their gradients. Checkpoints, progress, validation and
   * the abort stay this run's own (it is replica 0). The caller starts and closes the group.
   */
  replicas?: DataParallelSteps;
}

/** What {@link train} returns once every epoch ran. */
export interface TrainingResult {
  history: EpochSummary[];
  steps: number;
  /** The checkpoint the run resumed from, if any. */
  resumedFrom?: string;
}

/** A run while it trains: what the loop's functions share and advance. */
interface TrainingRun {
  readonly options: TrainOptions;
  /** The network, strategy and optimisers a step works on (tasks in the network's output order). */
  readonly step: StepContext;
  /** The optimisers by the names their slots are checkpointed under. */
  readonly optimizers: { network: Optimizer; weighting: Optimizer };
  readonly totalSteps: number;
  history: EpochSummary[];
  position: TrainingPosition;
  partial: PartialEpoch;
  resumedFrom?: CheckpointRef;
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
  const run = startRun(options);
  try {
    await resumeFromCheckpoint(run);
    await options.replicas?.attach(run.step, run.optimizers);
    for (let epoch = run.position.epoch; epoch < options.epochs; epoch++) {
      await trainEpoch(run, epoch);
      await finishEpoch(run, epoch);
    }
    return {
      history: run.history,
      steps: run.position.globalStep,
      ...(run.resumedFrom ? { resumedFrom: run.resumedFrom.name } : {}),
    };
  } finally {
    run.optimizers.network.dispose();
    run.optimizers.weighting.dispose();
  }
}

/** A fresh run at step 0: the optimisers (owned by the run) and the variables they update. */
function startRun(options: TrainOptions): TrainingRun {
  const optimizers = {
    network: createOptimizer(options.optimizer),
    weighting: createWeightingOptimizer(options.optimizer),
  };
  return {
    options,
    step: createStepContext(options.model, options.tasks, options.strategy, optimizers, options.optimizer),
    optimizers,
    totalSteps: options.epochs * options.data.stepsPerEpoch,
    history: [],
    position: { epoch: 0, stepInEpoch: 0, globalStep: 0 },
    partial: newPartialEpoch(),
  };
}

/**
 * What a step works on: the network's trainable variables (those of conv kernels decayed), the strategy
 * and the two optimisers, tasks in the network's output order. Exported for the replica threads, which
 * build the same context around their copy of the network.
 */
export function createStepContext(
  model: LayersModel,
  tasks: readonly Task[],
  strategy: WeightingStrategy,
  optimizers: { network: Optimizer; weighting: Optimizer },
  optimizer: Pick<OptimizerSpec, 'weightDecay'>,
): StepContext {
  return {
    model,
    // The network's outputs follow the canonical task order; pair losses with them in that order.
    tasks: canonicalTasks(tasks),
    strategy,
    optimizer: optimizers.network,
    weightingOptimizer: optimizers.weighting,
    networkVariables: model.trainableWeights.map((w) => w.read() as Variable),
    // By the name the layer gave it: a second model of the same layers in one process (the next job of a
    // reused training child, a replica) gets variable names with a suffix (`conv/kernel_1`).
    decayed: new Set(
      model.trainableWeights
        .filter((w) => w.originalName.endsWith('/kernel'))
        .map((w) => (w.read() as Variable).name),
    ),
    weightDecay: optimizer.weightDecay,
  };
}

/**
 * Continues from the newest checkpoint when asked to and there is one: weights, optimiser slots, strategy,
 * history, the partial epoch's sums and the position.
 *
 * @throws ConflictError when the checkpoint belongs to another run (another `resumeKey`).
 */
async function resumeFromCheckpoint(run: TrainingRun): Promise<void> {
  const { options } = run;
  if (!options.resume || options.checkpointDir === undefined) return;
  const ref = await latestCheckpoint(options.checkpointDir);
  if (ref === undefined) return;
  run.resumedFrom = ref;
  const restored = await restoreCheckpoint({ ref, model: options.model, optimizers: run.optimizers });
  const savedKey = restored.run.resumeKey;
  if (options.resumeKey !== undefined && savedKey !== undefined && savedKey !== options.resumeKey) {
    throw new ConflictError(
      `checkpoints in ${options.checkpointDir} belong to a different training run; use another id or remove them`,
    );
  }
  options.strategy.restore(restored.strategy);
  run.history = restored.run.history;
  if (restored.run.partial !== undefined) run.partial = { ...restored.run.partial, startedAt: Date.now() };
  run.position = {
    epoch: restored.epoch,
    stepInEpoch: restored.stepInEpoch,
    globalStep: restored.globalStep,
  };
}

/** Writes a checkpoint of the run where it stands (with the partial epoch's sums when mid-epoch). */
function writeCheckpoint(run: TrainingRun, root: string, partial?: PartialEpoch): Promise<CheckpointRef> {
  const { options, step } = run;
  return saveCheckpoint({
    root,
    position: run.position,
    model: step.model,
    optimizers: run.optimizers,
    strategy: step.strategy.state(),
    run: {
      history: run.history,
      ...(options.resumeKey !== undefined ? { resumeKey: options.resumeKey } : {}),
      ...(partial ? { partial } : {}),
    },
  });
}

/**
 * The steps of one epoch, from where the run stands in it.
 *
 * @throws TrainingAbortedError when the signal fired, before the next step.
 */
async function trainEpoch(run: TrainingRun, epoch: number): Promise<void> {
  const { signal } = run.options;
  for await (const batch of run.options.data.train(epoch, run.position.stepInEpoch)) {
    if (signal?.aborted) {
      disposeBatch(batch);
      throw await abortRun(run, signal);
    }
    await runStep(run, epoch, batch);
  }
}

/** Stops a run on its signal: a mid-epoch checkpoint first when asked to; returns the error to throw. */
async function abortRun(run: TrainingRun, signal: AbortSignal): Promise<TrainingAbortedError> {
  const { checkpointOnAbort, checkpointDir } = run.options;
  if (checkpointOnAbort && checkpointDir !== undefined && run.position.stepInEpoch > 0) {
    await writeCheckpoint(run, checkpointDir, run.partial);
  }
  return new TrainingAbortedError(run.position.globalStep, String(signal.reason ?? 'aborted'));
}

/** One step on `batch` (which it disposes), then progress and a turn of the event loop. */
async function runStep(run: TrainingRun, epoch: number, batch: SceneBatch): Promise<void> {
  const { options, step: context, totalSteps } = run;
  const { model, tasks, strategy } = context;
  const started = performance.now();
  const learningRate = learningRateAt(options.optimizer, run.position.globalStep, totalSteps);
  setLearningRate(context.optimizer, learningRate);
  const { replicas } = options;
  let step: StepLosses;
  try {
    // "auto" log-variances start at the optimum for this (the first) batch's raw losses.
    if (strategy.needsInitialLosses) {
      strategy.initialize?.(
        replicas ? replicas.taskLossValues(model, tasks, batch) : taskLossValues(model, tasks, batch),
      );
    }
    step = replicas ? replicas.trainStep(context, batch, learningRate) : trainStep(context, batch);
    if (strategy.needsTaskGradientNorms) {
      strategy.afterStep?.({
        rawLosses: step.losses,
        gradientNorms: replicas
          ? replicas.taskGradientNorms(model, tasks, batch)
          : taskGradientNorms(model, tasks, batch),
      });
    } else {
      strategy.afterStep?.({ rawLosses: step.losses });
    }
  } finally {
    disposeBatch(batch);
  }
  for (const task of tasks) {
    run.partial.lossSums[task] = (run.partial.lossSums[task] ?? 0) + (step.losses[task] ?? 0);
  }
  run.partial.steps += 1;
  run.position = {
    epoch,
    stepInEpoch: run.position.stepInEpoch + 1,
    globalStep: run.position.globalStep + 1,
  };
  const snapshot = strategy.snapshot();
  await options.onStep?.({
    epoch,
    epochs: options.epochs,
    step: run.position.globalStep,
    stepInEpoch: run.position.stepInEpoch,
    stepsPerEpoch: options.data.stepsPerEpoch,
    totalSteps,
    losses: step.losses,
    totalLoss: step.total,
    ...weightingReport(snapshot),
    learningRate,
    stepMs: performance.now() - started,
  });
  // Let timers, I/O and lock renewals run between steps.
  await new Promise<void>((resolve) => setImmediate(resolve));
}

/** Ends an epoch: the strategy's epoch hook, validation, the summary in the history, a checkpoint. */
async function finishEpoch(run: TrainingRun, epoch: number): Promise<void> {
  const { options, totalSteps } = run;
  const { tasks, strategy } = run.step;
  const steps = Math.max(run.partial.steps, 1);
  const meanLosses = Object.fromEntries(
    tasks.map((task) => [task, (run.partial.lossSums[task] ?? 0) / steps]),
  ) as PerTask<number>;
  strategy.onEpochEnd?.(meanLosses);
  const metrics = await validate(run);
  const snapshot = strategy.snapshot();
  run.position = { epoch: epoch + 1, stepInEpoch: 0, globalStep: run.position.globalStep };
  const summary: EpochSummary = {
    epoch: epoch + 1,
    losses: meanLosses,
    ...weightingReport(snapshot),
    learningRate: learningRateAt(options.optimizer, run.position.globalStep, totalSteps),
    ...(metrics ? { metrics } : {}),
    durationMs: Date.now() - run.partial.startedAt,
  };
  run.history = [...run.history, summary];
  // The checkpoint's copy of the history is written before the summary names it.
  if (options.checkpointDir !== undefined) {
    summary.checkpoint = (await writeCheckpoint(run, options.checkpointDir)).name;
  }
  run.partial = newPartialEpoch();
  await options.onEpoch?.(summary);
}

/** The validation metrics after an epoch, when the run has an evaluator. */
async function validate(run: TrainingRun): Promise<EpochMetrics | undefined> {
  const { evaluate, model, data } = run.options;
  return evaluate ? evaluate(model, data.validation()) : undefined;
}

/** The sums of an epoch that has not started. */
function newPartialEpoch(): PartialEpoch {
  return { lossSums: {}, steps: 0, startedAt: Date.now() };
}
