/**
 * Schemas of the training-job routes. The job view and the spec come from the queue and model modules,
 * so the contract, the worker and the validation share one definition.
 *
 * @packageDocumentation
 */
import { Type, type Static } from '@sinclair/typebox';
import { JobStatusSchema, TrainingJobSchema } from '../../queue/job-schemas.js';
import { NameLabelFilterQuerySchema } from './common.js';

export { TrainingSpecSchema } from '../../model/training-spec.js';
export { TrainingJobSchema, TrainingJobSummarySchema } from '../../queue/job-schemas.js';

/** Views of one job: the whole job, or its summary (no spec, history, checkpoints). */
export const JOB_VIEWS = ['full', 'summary'] as const;

/** Query of `GET /v1/training-jobs/{id}`. */
export const GetTrainingJobQuerySchema = Type.Object({
  view: Type.Union(
    JOB_VIEWS.map((v) => Type.Literal(v)),
    {
      default: 'full',
      description:
        'full: the whole job; summary: without spec, history and checkpoints (for polling: status, progress, modelId, metrics, error).',
    },
  ),
});

/** Largest page of `GET /v1/training-jobs`. Why 100: a page of full job views stays well under a megabyte. */
export const MAX_PAGE_SIZE = 100;

/** Default page size. Why 20: one screen of a job list. */
export const DEFAULT_PAGE_SIZE = 20;

/**
 * Headers of a submission that honours `Idempotency-Key` (a job, a study).
 *
 * @param thing - What a resubmission returns the same of (`job`, `study`).
 */
export function idempotentSubmitHeadersSchema(thing: string) {
  return Type.Object({
    'idempotency-key': Type.Optional(
      Type.String({
        minLength: 1,
        maxLength: 255,
        pattern: '^[\\x21-\\x7E]+$',
        description: `Makes retries safe: a resubmission with the same key and body within 24 h returns the same ${thing} (409 if the body differs).`,
      }),
    ),
  });
}

/** Headers of `POST /v1/training-jobs`. */
export const SubmitTrainingJobHeadersSchema = idempotentSubmitHeadersSchema('job');

/** Headers of `POST /v1/training-jobs`. */
export type SubmitTrainingJobHeaders = Static<typeof SubmitTrainingJobHeadersSchema>;

/** Query of `GET /v1/training-jobs`. */
export const ListTrainingJobsQuerySchema = Type.Composite([
  Type.Object({
    status: Type.Optional(JobStatusSchema),
    limit: Type.Integer({ minimum: 1, maximum: MAX_PAGE_SIZE, default: DEFAULT_PAGE_SIZE }),
    offset: Type.Integer({ minimum: 0, maximum: 1_000_000, default: 0 }),
  }),
  NameLabelFilterQuerySchema,
]);

/** Query of `GET /v1/training-jobs`. */
export type ListTrainingJobsQuery = Static<typeof ListTrainingJobsQuerySchema>;

/** Answer of `GET /v1/training-jobs`. */
export const TrainingJobListSchema = Type.Object(
  {
    items: Type.Array(TrainingJobSchema),
    total: Type.Integer({ minimum: 0, description: 'Jobs matching the filter, over all pages.' }),
    limit: Type.Integer({ minimum: 1 }),
    offset: Type.Integer({ minimum: 0 }),
  },
  { description: 'A page of training jobs, newest first.' },
);

/** Answer of `GET /v1/training-jobs`. */
export type TrainingJobList = Static<typeof TrainingJobListSchema>;
