/**
 * The weighting comparison (Kendall et al.'s Table 1) as plan rows: a single-task model per task, the
 * unweighted sum, a fixed-weight grid, and the learned strategies, for any two or more of the tasks
 * ({@link studyRows}); {@link weightingStudyRows} is the bench's all-task table.
 *
 * @packageDocumentation
 */
import { ValidationError } from '../errors.js';
import { canonicalTasks, TASKS, type PerTask, type Task } from '../model/tasks.js';
import type { ExperimentRow } from './plan.js';

/** A fixed-weight point of the all-task grid: the instance and depth weights relative to segmentation's 1. */
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

/** What a comparison can include, each a kind of row. */
export const STUDY_METHODS = [
  'single-task',
  'equal',
  'fixed',
  'uncertainty',
  'uncertainty-positive',
  'gradnorm',
  'dwa',
] as const;

/** One kind of row of a comparison (see {@link studyRows}). */
export type StudyMethod = (typeof STUDY_METHODS)[number];

/** What {@link studyRows} builds rows for. */
export interface StudyRowsOptions {
  /** The tasks of the multi-task rows (at least two); each gets its single-task row. */
  tasks: readonly Task[];
  /** The kinds of rows, in any order (the rows come in {@link STUDY_METHODS} order). */
  methods: readonly StudyMethod[];
  /**
   * The fixed-weight points, each a weight per task of `tasks` (used when `methods` has `fixed`);
   * default {@link defaultFixedGrid}.
   */
  fixedGrid?: readonly PerTask<number>[];
}

/** Factors of the default grid around equal weights. Why 1/3, 1, 3: one factor-3 step either way. */
const DEFAULT_GRID_FACTORS = [1 / 3, 1, 3];

/**
 * The default fixed-weight grid of a study on `tasks`: the first task (in canonical order) at 1, every
 * other one at 1/3, 1 or 3 times it, so 3^(n-1) points. Why centred on equal weights: before training there
 * is nothing to centre it on for a user's data, and a factor-3 step each way brackets the learned ratios
 * the bench saw (0.27-1.83) on its data.
 */
export function defaultFixedGrid(tasks: readonly Task[]): PerTask<number>[] {
  const [reference, ...others] = canonicalTasks(tasks);
  let grid: PerTask<number>[] = [{ [reference!]: 1 }];
  for (const task of others) {
    grid = grid.flatMap((point) =>
      DEFAULT_GRID_FACTORS.map((factor) => ({ ...point, [task]: roundWeight(factor) })),
    );
  }
  return grid;
}

/**
 * The rows of a weighting comparison on `tasks`: a single-task row per task, the unweighted sum, a row per
 * fixed-weight point, and the learned strategies asked for, in {@link STUDY_METHODS} order. Row ids are
 * those of the bench's table (`segmentation-only`, `equal`, `fixed-1-0.3-1.2`, `uncertainty`, ...).
 *
 * @throws ValidationError naming the field (`tasks`, `methods[i]`, `fixedGrid[i].task`) when fewer than
 *   two tasks, an unknown or repeated method, or a grid point without a positive finite weight for each task.
 */
export function studyRows(options: StudyRowsOptions): ExperimentRow[] {
  const tasks = checkTasks(options.tasks);
  const methods = checkMethods(options.methods);
  const rows: ExperimentRow[] = [];
  for (const method of STUDY_METHODS.filter((m) => methods.has(m))) {
    if (method === 'single-task') rows.push(...tasks.map(single));
    else if (method === 'equal') {
      rows.push({
        id: 'equal',
        label: 'unweighted sum (equal)',
        group: 'equal',
        tasks,
        weighting: { strategy: 'equal' },
      });
    } else if (method === 'fixed') {
      rows.push(
        ...checkGrid(options.fixedGrid ?? defaultFixedGrid(tasks), tasks).map((w) => fixed(w, tasks)),
      );
    } else rows.push(learned(method, tasks));
  }
  return rows;
}

/** The rows of the all-task weighting comparison (the bench's), with a fixed-weight row per grid point. */
export function weightingStudyRows(grid: readonly FixedWeights[] = DEFAULT_FIXED_GRID): ExperimentRow[] {
  return studyRows({
    tasks: TASKS,
    methods: STUDY_METHODS,
    fixedGrid: grid.map(({ instances, depth }) => ({ segmentation: 1, instances, depth })),
  });
}

/** Labels of the learned strategies. */
const LEARNED_LABELS: Record<string, string> = {
  uncertainty: 'uncertainty (Kendall et al.)',
  'uncertainty-positive': 'uncertainty-positive (Liebel & Koerner)',
  gradnorm: 'GradNorm',
  dwa: 'DWA',
};

function single(task: Task): ExperimentRow {
  return {
    id: `${task}-only`,
    label: `${task} only`,
    group: 'single-task',
    tasks: [task],
    weighting: { strategy: 'equal' },
  };
}

function fixed(weights: PerTask<number>, tasks: Task[]): ExperimentRow {
  const values = tasks.map((task) => weights[task]!);
  return {
    id: `fixed-${values.join('-')}`,
    label: `fixed ${values.join(' / ')}`,
    group: 'fixed',
    tasks,
    weighting: { strategy: 'fixed', weights: Object.fromEntries(tasks.map((t) => [t, weights[t]!])) },
  };
}

/**
 * Where the uncertainty strategies start s, stated in the row rather than left to the strategy's default.
 * Why explicit: the spec hash covers the spec with its schema defaults, not defaults applied in code, so a
 * stored result keeps saying which start it had.
 */
const INITIAL_LOG_VARIANCE = 'auto';

function learned(strategy: StudyMethod, tasks: Task[]): ExperimentRow {
  const uncertainty = strategy === 'uncertainty' || strategy === 'uncertainty-positive';
  return {
    id: strategy,
    label: LEARNED_LABELS[strategy]!,
    group: 'learned',
    tasks,
    weighting: uncertainty ? { strategy, initialLogVariance: INITIAL_LOG_VARIANCE } : { strategy },
  };
}

function checkTasks(tasks: readonly Task[]): Task[] {
  for (const [i, task] of tasks.entries()) {
    if (!(TASKS as readonly string[]).includes(task)) {
      throw new ValidationError(`tasks[${i}]: unknown task '${String(task)}' (one of ${TASKS.join(', ')})`);
    }
  }
  const canonical = canonicalTasks(tasks);
  if (canonical.length < 2) {
    throw new ValidationError(
      `tasks: a comparison of weightings needs at least two tasks, got ${canonical.length}`,
    );
  }
  return canonical;
}

function checkMethods(methods: readonly StudyMethod[]): Set<StudyMethod> {
  if (methods.length === 0) throw new ValidationError('methods: at least one method is needed');
  const seen = new Set<StudyMethod>();
  for (const [i, method] of methods.entries()) {
    if (!(STUDY_METHODS as readonly string[]).includes(method)) {
      throw new ValidationError(
        `methods[${i}]: unknown method '${String(method)}' (one of ${STUDY_METHODS.join(', ')})`,
      );
    }
    if (seen.has(method)) throw new ValidationError(`methods[${i}]: '${method}' is listed twice`);
    seen.add(method);
  }
  return seen;
}

function checkGrid(grid: readonly PerTask<number>[], tasks: Task[]): PerTask<number>[] {
  if (grid.length === 0) throw new ValidationError('fixedGrid: the fixed method needs at least one point');
  const ids = new Set<string>();
  return grid.map((point, i) => {
    for (const task of tasks) {
      const weight = point[task];
      if (typeof weight !== 'number' || !Number.isFinite(weight) || weight <= 0) {
        throw new ValidationError(
          `fixedGrid[${i}].${task}: must be a positive number, got ${String(weight)}`,
        );
      }
    }
    const id = tasks.map((task) => point[task]).join('-');
    if (ids.has(id)) throw new ValidationError(`fixedGrid[${i}]: the same point as an earlier one`);
    ids.add(id);
    return point;
  });
}

/** A grid weight to 4 significant digits, so that row ids stay short (1/3 -> 0.3333). */
function roundWeight(value: number): number {
  return Number(value.toPrecision(4));
}
