/**
 * Schemas of the study routes (`/v1/studies`): the request of `POST /v1/studies` and the study views.
 *
 * @packageDocumentation
 */
import { Type, type Static } from '@sinclair/typebox';
import { STUDY_METHODS } from '../../experiments/weighting-study.js';
import { MAX_STUDY_RUNS } from '../../experiments/study-plan.js';
import { JobNameSchema } from '../../model/job-labels.js';
import { TASKS } from '../../model/tasks.js';
import { MAX_SYNTHETIC_SCENES, TrainingSectionSchema } from '../../model/training-spec.js';
import { DEFAULT_PAGE_SIZE, idempotentSubmitHeadersSchema, MAX_PAGE_SIZE } from './training-job.js';
import { JobStatusSchema } from '../../queue/job-schemas.js';

const Split = Type.String({ minLength: 1, maxLength: 64, pattern: '^[A-Za-z0-9_-]+$' });
const Side = Type.Integer({ minimum: 32, maximum: 1024 });
const Scenes = (description: string) =>
  Type.Integer({ minimum: 1, maximum: MAX_SYNTHETIC_SCENES, description });

/** The dataset of a study: generated scenes in three splits, or a CityScapes-layout folder with three. */
export const StudyDatasetSchema = Type.Union([
  Type.Object(
    {
      kind: Type.Literal('synthetic'),
      train: Scenes('Training scenes'),
      validation: Scenes('Validation scenes (the best fixed point is chosen on them)'),
      test: Scenes('Test scenes (the table reports on them)'),
      size: Type.Tuple([Side, Side], { description: '[height, width] of the generated images' }),
      seed: Type.Integer({ minimum: 0, maximum: 2 ** 31 - 1, default: 1 }),
    },
    { additionalProperties: false },
  ),
  Type.Object(
    {
      kind: Type.Literal('cityscapes'),
      path: Type.String({ minLength: 1, maxLength: 512, description: 'Directory relative to DATA_DIR' }),
      trainSplit: { ...Split, default: 'train' },
      validationSplit: { ...Split, default: 'val' },
      testSplit: { ...Split, default: 'test' },
    },
    { additionalProperties: false },
  ),
]);

/** The example of the contract: the smallest study that says something (two methods, two seeds). */
export const EXAMPLE_STUDY_REQUEST = {
  dataset: { kind: 'synthetic', train: 32, validation: 8, test: 8, size: [64, 128], seed: 1 },
  methods: ['equal', 'uncertainty'],
  seeds: [1, 2],
  model: { width: 8, inputSize: [64, 128] },
  training: { epochs: 1, batchSize: 4 },
} as const;

/** The body of `POST /v1/studies`. */
export const StudyRequestSchema = Type.Object(
  {
    name: Type.Optional(JobNameSchema),
    dataset: StudyDatasetSchema,
    tasks: Type.Optional(
      Type.Array(Type.Union(TASKS.map((t) => Type.Literal(t))), {
        minItems: 2,
        maxItems: 3,
        uniqueItems: true,
        description: 'Tasks of the multi-task rows (default: all three); each also gets a single-task row.',
      }),
    ),
    methods: Type.Optional(
      Type.Array(Type.Union(STUDY_METHODS.map((m) => Type.Literal(m))), {
        minItems: 1,
        maxItems: STUDY_METHODS.length,
        uniqueItems: true,
        description:
          'Kinds of rows (default: single-task, equal, fixed, uncertainty, uncertainty-positive). fixed is one row per point of fixedGrid.',
      }),
    ),
    fixedGrid: Type.Optional(
      Type.Array(
        Type.Object(
          Object.fromEntries(
            TASKS.map((t) => [t, Type.Optional(Type.Number({ exclusiveMinimum: 0, maximum: 1000 }))]),
          ),
          { additionalProperties: false, description: 'A weight for each task of the study.' },
        ),
        {
          minItems: 1,
          maxItems: 27,
          description:
            'Fixed-weight points, a weight per task (default: the first task at 1, each other at 1/3, 1 or 3 times it).',
        },
      ),
    ),
    seeds: Type.Optional(
      Type.Array(Type.Integer({ minimum: 0, maximum: 2 ** 31 - 1 }), {
        minItems: 1,
        maxItems: 10,
        uniqueItems: true,
        description: 'One run of every row per seed (default [1, 2, 3]).',
      }),
    ),
    model: Type.Optional(
      Type.Object(
        {
          width: Type.Integer({ minimum: 4, maximum: 64 }),
          inputSize: Type.Tuple([Side, Side], { description: '[height, width], multiples of 32' }),
        },
        { additionalProperties: false, description: 'Default: width 16, input 64x128.' },
      ),
    ),
    training: Type.Optional(Type.Omit(TrainingSectionSchema, ['seed', 'replicas'])),
    curveEvery: Type.Optional(
      Type.Integer({
        minimum: 1,
        maximum: 10_000,
        description: 'Steps between two curve points (default 10).',
      }),
    ),
  },
  {
    additionalProperties: false,
    description: `A weighting comparison: rows (methods) x seeds, each an ordinary training job, at most ${MAX_STUDY_RUNS} runs.`,
    examples: [EXAMPLE_STUDY_REQUEST],
  },
);

/** Headers of `POST /v1/studies`. */
export const SubmitStudyHeadersSchema = idempotentSubmitHeadersSchema('study');

/** Statuses of a study. */
export const StudyStatusSchema = Type.Union(
  ['queued', 'running', 'cancelling', 'cancelled', 'completed', 'failed'].map((s) => Type.Literal(s)),
  {
    description:
      'queued: no run has started; running: runs are training; cancelling: cancel requested, runs still stopping; cancelled; completed: every run scored; failed: every run ended and some failed or were cancelled.',
  },
);

const RunCountsSchema = Type.Record(Type.String(), Type.Integer({ minimum: 0 }), {
  description: 'Runs per job status.',
});

/** One run of a study. */
export const StudyRunViewSchema = Type.Object({
  id: Type.String({ description: '<row>-seed<k>' }),
  row: Type.String(),
  seed: Type.Integer(),
  jobId: Type.String({
    description: 'Its training job (GET /v1/training-jobs/{jobId}); a reused run has none (see `reused`).',
  }),
  status: JobStatusSchema,
  percent: Type.Number({ minimum: 0, maximum: 100 }),
  modelId: Type.Optional(Type.String()),
  scored: Type.Boolean({ description: 'Its test-split result is in the table.' }),
  reused: Type.Optional(
    Type.Literal(true, {
      description:
        'Scored from an earlier result of the same run and spec, handed in when the study was submitted (the weighting bench resuming from its committed results); such a run has no job.',
    }),
  ),
  error: Type.Optional(Type.Object({ code: Type.String(), message: Type.String() })),
});

const StudyFields = {
  id: Type.String(),
  name: Type.String(),
  status: StudyStatusSchema,
  createdAt: Type.String({ format: 'date-time' }),
  cancelRequestedAt: Type.Optional(Type.String({ format: 'date-time' })),
  finishedAt: Type.Optional(Type.String({ format: 'date-time' })),
  runCounts: RunCountsSchema,
};

/** A study with its runs and table. */
export const StudySchema = Type.Object({
  ...StudyFields,
  request: Type.Unknown({ description: 'The request with every default filled in.' }),
  runs: Type.Array(StudyRunViewSchema),
  table: Type.Optional(
    Type.Unknown({
      description:
        "The comparison over the runs scored so far: per row (method) each metric's mean and std over seeds (test and validation), Delta_m against the single-task rows, mean rank, final weights, sigmas and s - s*, wall time, and which fixed row is best on validation.",
    }),
  ),
});

/** A study in a list. */
export const StudySummarySchema = Type.Object({
  ...StudyFields,
  runsPlanned: Type.Integer({ minimum: 1 }),
});

/** `GET /v1/studies`. */
export const StudyListSchema = Type.Object({
  items: Type.Array(StudySummarySchema),
  total: Type.Integer({ minimum: 0 }),
  limit: Type.Integer({ minimum: 1 }),
  offset: Type.Integer({ minimum: 0 }),
});

/** Query of `GET /v1/studies`. */
export const ListStudiesQuerySchema = Type.Object({
  limit: Type.Integer({ minimum: 1, maximum: MAX_PAGE_SIZE, default: DEFAULT_PAGE_SIZE }),
  offset: Type.Integer({ minimum: 0, maximum: 1_000_000, default: 0 }),
});

/** Query of `DELETE /v1/studies/{id}`. */
export const DeleteStudyQuerySchema = Type.Object({
  models: Type.Boolean({ default: false, description: "Also delete the models the study's runs trained." }),
});

/** Query of `GET /v1/studies/{id}/table`. */
export const StudyTableQuerySchema = Type.Object({
  format: Type.Union([Type.Literal('markdown'), Type.Literal('csv')], { default: 'markdown' }),
});

/** The request of `POST /v1/studies`, as validated. */
export type StudyRequestBody = Static<typeof StudyRequestSchema>;

/** `GET /v1/studies/{id}/curves`. */
export const StudyCurvesSchema = Type.Object({
  classes: Type.Array(Type.Object({ trainId: Type.Integer(), name: Type.String() })),
  runs: Type.Array(
    Type.Object({
      id: Type.String(),
      row: Type.String(),
      label: Type.String(),
      group: Type.String(),
      seed: Type.Integer(),
      tasks: Type.Array(Type.String()),
      curve: Type.Array(Type.Unknown(), {
        description:
          '{ step, losses, weights, logVariances?, sigmas?, logVarianceGaps? } every curveEvery steps.',
      }),
      final: Type.Unknown({
        description: 'Weights (and log-variances, sigmas, s - s*) after the last epoch.',
      }),
      perClassIoU: Type.Union([Type.Array(Type.Union([Type.Number(), Type.Null()])), Type.Null()]),
    }),
  ),
});
