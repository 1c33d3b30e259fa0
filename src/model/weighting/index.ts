import { ValidationError } from '../../errors.js';
import type { PerTask, Task } from '../tasks.js';
import { DwaWeighting } from './dwa.js';
import { GradNormWeighting } from './gradnorm.js';
import { StaticWeighting } from './static.js';
import { STRATEGY_NAMES, type StrategyName, type WeightingStrategy } from './strategy.js';
import {
  DEFAULT_INITIAL_LOG_VARIANCE,
  UncertaintyWeighting,
  type InitialLogVariance,
} from './uncertainty.js';

export * from './strategy.js';
export {
  DEFAULT_INITIAL_LOG_VARIANCE,
  effectiveWeight,
  uncertaintyTerm,
  type InitialLogVariance,
} from './uncertainty.js';
export * from './optimal-log-variance.js';
export { dwaWeights, DEFAULT_DWA_TEMPERATURE } from './dwa.js';
export { gradNormUpdate, DEFAULT_GRADNORM_ALPHA } from './gradnorm.js';

/** A job's weighting section: the strategy and its parameters. */
export interface WeightingSpec {
  strategy: StrategyName;
  /** `fixed` only: weight per task. */
  weights?: PerTask<number>;
  /** Uncertainty strategies: where s = log(sigma^2) starts (default `"auto"`; see {@link InitialLogVariance}). */
  initialLogVariance?: InitialLogVariance;
  /** DWA: temperature. */
  temperature?: number;
  /** GradNorm: asymmetry alpha. */
  alpha?: number;
}

/** Creates the strategy a spec names, for the given tasks. */
export function createWeighting(spec: WeightingSpec, tasks: readonly Task[]): WeightingStrategy {
  switch (spec.strategy) {
    case 'uncertainty':
    case 'uncertainty-positive':
      return new UncertaintyWeighting(
        tasks,
        spec.strategy,
        spec.initialLogVariance ?? DEFAULT_INITIAL_LOG_VARIANCE,
      );
    case 'fixed':
    case 'equal':
      return new StaticWeighting(tasks, spec.strategy, spec.weights);
    case 'dwa':
      return new DwaWeighting(tasks, spec.temperature);
    case 'gradnorm':
      return new GradNormWeighting(tasks, spec.alpha);
    default:
      throw new ValidationError(
        `weighting.strategy must be one of ${STRATEGY_NAMES.join(', ')}, got ${String((spec as { strategy: unknown }).strategy)}`,
      );
  }
}
