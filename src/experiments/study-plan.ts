/**
 * A study as a client asks for one (`POST /v1/studies`): a dataset, the tasks, the weighting methods to
 * compare, seeds and the settings every run shares, turned into the experiment plan the bench also runs
 * (`plan.ts`). Pure, like the plan: the same request gives the same runs and spec hashes.
 *
 * @packageDocumentation
 */
import { ValidationError } from '../errors.js';
import { canonicalTasks, TASKS, type PerTask, type Task } from '../model/tasks.js';
import { planRuns, type ExperimentDataset, type ExperimentPlan, type PlannedRun } from './plan.js';
import { studyRows, type StudyMethod } from './weighting-study.js';

/** What a study compares and on what; every field but `dataset` has a default. */
export interface StudyRequest {
  /** Shown in lists and reports; default: the tasks and the dataset. */
  name?: string | undefined;
  dataset: ExperimentDataset;
  /** The multi-task rows' tasks (two or more); default: all three. */
  tasks?: Task[] | undefined;
  /** Kinds of rows; default {@link DEFAULT_STUDY_METHODS}. */
  methods?: StudyMethod[] | undefined;
  /** Fixed-weight points (with `fixed`), a weight per task; default: `defaultFixedGrid`. */
  fixedGrid?: PerTask<number>[] | undefined;
  /** One run of every row per seed; default {@link DEFAULT_STUDY_SEEDS}. */
  seeds?: number[] | undefined;
  /** The training spec's `model` section; default {@link DEFAULT_STUDY_MODEL}. */
  model?: { width: number; inputSize: [number, number] } | undefined;
  /** The training spec's `training` section without `seed` and `replicas` (set per run). */
  training?: Record<string, unknown> | undefined;
  /** Steps between two points of the recorded curves; default {@link DEFAULT_STUDY_CURVE_EVERY}. */
  curveEvery?: number | undefined;
}

/**
 * The default methods: the paper's Table 1 without the optional baselines. Why GradNorm and DWA are left
 * out: they cost a run per seed each (GradNorm about two, for its extra gradients), and the question a
 * study answers first is uncertainty against the unweighted sum and a fixed grid.
 */
export const DEFAULT_STUDY_METHODS: readonly StudyMethod[] = [
  'single-task',
  'equal',
  'fixed',
  'uncertainty',
  'uncertainty-positive',
];

/** Default seeds. Why three: the fewest that give a spread (mean ± std) worth reading. */
export const DEFAULT_STUDY_SEEDS: readonly number[] = [1, 2, 3];

/** Default model: the bench's (width 16, 64x128 input), where its comparison is known to separate. */
export const DEFAULT_STUDY_MODEL = { width: 16, inputSize: [64, 128] as [number, number] };

/** Default curve resolution. Why 10 steps: a few hundred points for a few-thousand-step run. */
export const DEFAULT_STUDY_CURVE_EVERY = 10;

/** Most runs one study may plan. Why 200: the standard bench (17 rows x 3 seeds) four times over. */
export const MAX_STUDY_RUNS = 200;

/** The request with every default filled in, as a study stores it. */
export type ResolvedStudyRequest = Required<Omit<StudyRequest, 'fixedGrid'>> &
  Pick<StudyRequest, 'fixedGrid'>;

/** Fills in the defaults of a request (see {@link StudyRequest}). */
export function resolveStudyRequest(request: StudyRequest): ResolvedStudyRequest {
  // Unknown tasks are left for studyRows to name; the default name lists the known ones.
  const tasks = request.tasks ?? [...TASKS];
  const resolved: ResolvedStudyRequest = {
    name: request.name ?? `${canonicalTasks(tasks).join('+')} on ${datasetName(request.dataset)}`,
    dataset: request.dataset,
    tasks,
    methods: [...(request.methods ?? DEFAULT_STUDY_METHODS)],
    seeds: [...(request.seeds ?? DEFAULT_STUDY_SEEDS)],
    model: request.model ?? DEFAULT_STUDY_MODEL,
    training: request.training ?? {},
    curveEvery: request.curveEvery ?? DEFAULT_STUDY_CURVE_EVERY,
  };
  if (request.fixedGrid !== undefined) resolved.fixedGrid = request.fixedGrid;
  return resolved;
}

/**
 * The experiment plan of a study: the comparison's rows (`studyRows`) on its dataset, times its seeds.
 *
 * @throws ValidationError naming the field (`tasks`, `methods[1]`, `fixedGrid[0].depth`, `seeds`,
 *   `training.epochs` ...) when the request cannot make a plan, or it would need more than
 *   {@link MAX_STUDY_RUNS} runs.
 */
export function studyPlan(request: ResolvedStudyRequest): { plan: ExperimentPlan; runs: PlannedRun[] } {
  if (new Set(request.seeds).size !== request.seeds.length) {
    throw new ValidationError('seeds must be distinct', [{ path: '/seeds', message: 'must be distinct' }]);
  }
  const rows = studyRows({
    tasks: request.tasks,
    methods: request.methods,
    ...(request.fixedGrid !== undefined ? { fixedGrid: request.fixedGrid } : {}),
  });
  const count = rows.length * request.seeds.length;
  if (count > MAX_STUDY_RUNS) {
    const message = `${rows.length} rows x ${request.seeds.length} seeds is ${count} runs, more than the ${MAX_STUDY_RUNS} a study may have`;
    throw new ValidationError(`methods: ${message}`, [{ path: '/methods', message }]);
  }
  const plan: ExperimentPlan = {
    name: request.name,
    dataset: request.dataset,
    model: request.model,
    training: request.training,
    rows,
    seeds: request.seeds,
    curveEvery: request.curveEvery,
  };
  return { plan, runs: planRuns(plan) };
}

/** A short name of a dataset for a default study name. */
function datasetName(dataset: ExperimentDataset): string {
  if (dataset.kind === 'cityscapes') return dataset.path;
  const [h, w] = dataset.size;
  return `synthetic ${dataset.train}/${dataset.validation}/${dataset.test} scenes of ${h}x${w}`;
}
