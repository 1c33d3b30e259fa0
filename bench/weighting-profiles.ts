/**
 * The profiles of `npm run bench:weighting` (bench/weighting.ts): each a study request, as
 * `POST /v1/studies` takes it, of every method of the paper's Table 1 and the optional baselines. In a
 * module of their own so that tests can check the committed results against them
 * (test/experiments/weighting-study.test.ts).
 *
 * @packageDocumentation
 */
import {
  DEFAULT_FIXED_GRID,
  resolveStudyRequest,
  STUDY_METHODS,
  studyPlan,
  type ExperimentPlan,
  type StudyRequest,
} from '../src/experiments/index.js';
import { TASKS } from '../src/model/tasks.js';

/** Every method, and the bench's fixed grid (segmentation 1; see weighting.md for why these points). */
const ALL_METHODS = {
  tasks: [...TASKS],
  methods: [...STUDY_METHODS],
  fixedGrid: DEFAULT_FIXED_GRID.map(({ instances, depth }) => ({ segmentation: 1, instances, depth })),
};

/**
 * The real table: the sizes (64x128, width 16, 400 / 100 / 100 scenes), 40 epochs of 50 steps
 * (2,000 steps), 3 seeds. Adam at 3e-3 with poly decay, batch 8, as the earlier bench.
 */
export const STANDARD: StudyRequest = {
  name: 'standard',
  dataset: { kind: 'synthetic', train: 400, validation: 100, test: 100, size: [64, 128], seed: 7 },
  ...ALL_METHODS,
  model: { width: 16, inputSize: [64, 128] },
  training: { epochs: 40, batchSize: 8, learningRate: 3e-3 },
  seeds: [1, 2, 3],
  curveEvery: 20,
};

/**
 * For checking the bench, not for conclusions: every row, 2 seeds (so the spread is computed), at width 8
 * on 96 / 32 / 32 scenes for 25 epochs of 12 steps (300 steps); an estimated 15–20 minutes on 2 free cores (bench/results/weighting.md).
 */
export const QUICK: StudyRequest = {
  name: 'quick',
  dataset: { kind: 'synthetic', train: 96, validation: 32, test: 32, size: [64, 128], seed: 7 },
  ...ALL_METHODS,
  model: { width: 8, inputSize: [64, 128] },
  training: { epochs: 25, batchSize: 8, learningRate: 3e-3 },
  seeds: [1, 2],
  curveEvery: 10,
};

/** Every profile by name (`--profile`). */
export const PROFILES: Record<string, StudyRequest> = { standard: STANDARD, quick: QUICK };

/** The experiment plan a profile makes (rows x seeds), as the study that runs it plans it. */
export function profilePlan(profile: StudyRequest): ExperimentPlan {
  return studyPlan(resolveStudyRequest(profile)).plan;
}
