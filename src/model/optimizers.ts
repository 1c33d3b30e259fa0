import type { Optimizer } from '@tensorflow/tfjs';
import { ValidationError } from '../errors.js';
import { fusedAdam, tf } from '../tf/index.js';

/** Optimisers a job can ask for. */
export const OPTIMIZER_NAMES = ['adam', 'sgd'] as const;
export type OptimizerName = (typeof OPTIMIZER_NAMES)[number];

/** Learning-rate schedules: DeepLab's "poly" decay, or constant. */
export const LR_SCHEDULES = ['poly', 'constant'] as const;
export type LearningRateSchedule = (typeof LR_SCHEDULES)[number];

/** Adam's default step size (Kingma & Ba). */
export const DEFAULT_ADAM_LEARNING_RATE = 1e-3;
/** SGD's default: DeepLabV3's 0.01 with momentum 0.9. */
export const DEFAULT_SGD_LEARNING_RATE = 1e-2;
export const DEFAULT_MOMENTUM = 0.9;
/** Poly decay exponent 0.9, as in DeepLab: lr = base * (1 - step / total)^0.9. */
export const DEFAULT_POLY_POWER = 0.9;
/**
 * Learning rate of the log-variances: 0.01, ten times Adam's default: with Adam every step moves s by at
 * most about the learning rate, and s must follow log L as the losses fall (docs/model.md, "How fast s
 * reaches s*", measures it).
 */
export const DEFAULT_LOG_VARIANCE_LEARNING_RATE = 1e-2;
/** Decay of the log-variances' Adam first moment: Adam's default (docs/model.md, "How fast s reaches s*"). */
export const LOG_VARIANCE_BETA1 = 0.9;
/** Decay of the log-variances' Adam second moment (docs/model.md, "How fast s reaches s*"). */
export const LOG_VARIANCE_BETA2 = 0.999;
/**
 * Adam's epsilon for the log-variances: 1e-3 instead of tfjs' 1e-7. The gradient of s is dimensionless
 * (d/ds = (1 - L / sigma^2) / 2 in the regression form), so 1e-3 is a 0.2% mismatch of L and sigma^2; with
 * 1e-7 Adam scales float32 rounding noise at the optimum (~1e-8) up to steps of ~lr/3 and s wanders ~0.005
 * around s* with L held fixed; with 1e-3 it stays within 1e-6 (test/model/weighting-optimum.test.ts). Real
 * gradients (batch-to-batch loss noise of several percent) are far above it, so it does not slow s down.
 */
export const LOG_VARIANCE_EPSILON = 1e-3;
/** L2 weight decay on conv kernels (never on biases, batch-norm parameters or log-variances). */
export const DEFAULT_WEIGHT_DECAY = 1e-4;

/** The optimisation section of a training spec. */
export interface OptimizerSpec {
  name: OptimizerName;
  learningRate: number;
  momentum: number;
  weightDecay: number;
  schedule: LearningRateSchedule;
  polyPower: number;
  logVarianceLearningRate: number;
}

/** Fills the defaults of a partial {@link OptimizerSpec}. */
export function resolveOptimizerSpec(spec: Partial<OptimizerSpec> = {}): OptimizerSpec {
  const name = spec.name ?? 'adam';
  const resolved: OptimizerSpec = {
    name,
    learningRate:
      spec.learningRate ?? (name === 'adam' ? DEFAULT_ADAM_LEARNING_RATE : DEFAULT_SGD_LEARNING_RATE),
    momentum: spec.momentum ?? DEFAULT_MOMENTUM,
    weightDecay: spec.weightDecay ?? DEFAULT_WEIGHT_DECAY,
    schedule: spec.schedule ?? 'poly',
    polyPower: spec.polyPower ?? DEFAULT_POLY_POWER,
    logVarianceLearningRate: spec.logVarianceLearningRate ?? DEFAULT_LOG_VARIANCE_LEARNING_RATE,
  };
  if (!OPTIMIZER_NAMES.includes(resolved.name)) {
    throw new ValidationError(
      `training.optimizer must be one of ${OPTIMIZER_NAMES.join(', ')}, got ${resolved.name}`,
    );
  }
  for (const key of ['learningRate', 'logVarianceLearningRate'] as const) {
    if (!(resolved[key] > 0 && resolved[key] <= 1)) {
      throw new ValidationError(`training.${key} must be a number in (0, 1], got ${resolved[key]}`);
    }
  }
  if (!(resolved.momentum >= 0 && resolved.momentum < 1)) {
    throw new ValidationError(`training.momentum must be in [0, 1), got ${resolved.momentum}`);
  }
  if (!(resolved.weightDecay >= 0 && resolved.weightDecay < 1)) {
    throw new ValidationError(`training.weightDecay must be in [0, 1), got ${resolved.weightDecay}`);
  }
  if (!LR_SCHEDULES.includes(resolved.schedule)) {
    throw new ValidationError(
      `training.schedule must be one of ${LR_SCHEDULES.join(', ')}, got ${resolved.schedule}`,
    );
  }
  return resolved;
}

/**
 * Creates the network's optimiser: Adam (tfjs' own, with one fused kernel per variable on wasm; same state
 * and checkpoints), or SGD with Nesterov momentum.
 */
export function createOptimizer(spec: OptimizerSpec): Optimizer {
  return spec.name === 'adam'
    ? fusedAdam(spec.learningRate)
    : tf.train.momentum(spec.learningRate, spec.momentum, true);
}

/**
 * The log-variances' own optimiser: Adam at their own learning rate, with {@link LOG_VARIANCE_BETA1},
 * {@link LOG_VARIANCE_BETA2} and {@link LOG_VARIANCE_EPSILON} (no weight decay is ever applied).
 */
export function createWeightingOptimizer(spec: Pick<OptimizerSpec, 'logVarianceLearningRate'>): Optimizer {
  return fusedAdam(
    spec.logVarianceLearningRate,
    LOG_VARIANCE_BETA1,
    LOG_VARIANCE_BETA2,
    LOG_VARIANCE_EPSILON,
  );
}

/** Learning rate at a global step under the spec's schedule. */
export function learningRateAt(spec: OptimizerSpec, step: number, totalSteps: number): number {
  if (spec.schedule === 'constant' || totalSteps <= 0) return spec.learningRate;
  const progress = Math.min(step / totalSteps, 1);
  return spec.learningRate * Math.pow(1 - progress, spec.polyPower);
}

/**
 * Sets an optimiser's learning rate between steps. SGD/momentum expose `setLearningRate`; Adam keeps the rate
 * in a field it reads on every `applyGradients`, which is what this assigns.
 */
export function setLearningRate(optimizer: Optimizer, learningRate: number): void {
  const withSetter = optimizer as unknown as { setLearningRate?: (lr: number) => void };
  if (typeof withSetter.setLearningRate === 'function') withSetter.setLearningRate(learningRate);
  else (optimizer as unknown as { learningRate: number }).learningRate = learningRate;
}
