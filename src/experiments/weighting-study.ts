/**
 * The weighting comparison (Kendall et al.'s Table 1) as plan rows: the three single-task models, the
 * unweighted sum, a fixed-weight grid, and the learned strategies.
 *
 * @packageDocumentation
 */
import { TASKS } from '../model/tasks.js';
import type { ExperimentRow } from './plan.js';

/** A fixed-weight point: the instance and depth weights relative to segmentation's 1. */
export interface FixedWeights {
  instances: number;
  depth: number;
}

/**
 * The default grid: instances/segmentation in {0.1, 0.3, 0.9} x depth/segmentation in {0.4, 1.2, 3.6}.
 * Why these: the learned strategies of the earlier single-seed bench ended at instance/segmentation
 * weight ratios of 0.27-0.47 and depth/segmentation 0.57-1.83 (uncertainty 0.27 / 1.83, positive
 * 0.30 / 1.43, GradNorm 0.47 / 0.57), and uncertainty's optimum 1/(2L) moves the instance ratio down
 * (towards L_seg / L_inst ~ 0.1) as the losses fall; a factor-3 log grid centred on (0.3, 1.2) spans
 * all of that with one step to spare on each side.
 */
export const DEFAULT_FIXED_GRID: readonly FixedWeights[] = [0.1, 0.3, 0.9].flatMap((instances) =>
  [0.4, 1.2, 3.6].map((depth) => ({ instances, depth })),
);

/** The rows of the weighting comparison, with a fixed-weight row per grid point. */
export function weightingStudyRows(grid: readonly FixedWeights[] = DEFAULT_FIXED_GRID): ExperimentRow[] {
  const all = [...TASKS];
  return [
    single('segmentation'),
    single('instances'),
    single('depth'),
    {
      id: 'equal',
      label: 'unweighted sum (equal)',
      group: 'equal',
      tasks: all,
      weighting: { strategy: 'equal' },
    },
    ...grid.map(({ instances, depth }): ExperimentRow => ({
      id: `fixed-1-${instances}-${depth}`,
      label: `fixed 1 / ${instances} / ${depth}`,
      group: 'fixed',
      tasks: all,
      weighting: { strategy: 'fixed', weights: { segmentation: 1, instances, depth } },
    })),
    learned('uncertainty', 'uncertainty (Kendall et al.)'),
    learned('uncertainty-positive', 'uncertainty-positive (Liebel & Koerner)'),
    learned('gradnorm', 'GradNorm'),
    learned('dwa', 'DWA'),
  ];
}

function single(task: (typeof TASKS)[number]): ExperimentRow {
  return {
    id: `${task}-only`,
    label: `${task} only`,
    group: 'single-task',
    tasks: [task],
    weighting: { strategy: 'equal' },
  };
}

/**
 * Where the uncertainty strategies start s, stated in the row rather than left to the strategy's default.
 * Why explicit: the spec hash covers the spec with its schema defaults, not defaults applied in code, so a
 * stored result keeps saying which start it had.
 */
const INITIAL_LOG_VARIANCE = 'auto';

function learned(strategy: string, label: string): ExperimentRow {
  const uncertainty = strategy === 'uncertainty' || strategy === 'uncertainty-positive';
  return {
    id: strategy,
    label,
    group: 'learned',
    tasks: [...TASKS],
    weighting: uncertainty ? { strategy, initialLogVariance: INITIAL_LOG_VARIANCE } : { strategy },
  };
}
