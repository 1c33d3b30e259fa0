/**
 * Training-job routes (mounted at `/v1/training-jobs`): submit, list, read and cancel.
 *
 * @packageDocumentation
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { TSchema } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';
import { ValidationError } from '../../errors.js';
import { parseTrainingSpec } from '../../model/training-spec.js';
import {
  issuesOf,
  prefixIssues,
  toValidationError,
  toValidationIssues,
} from '../../model/validation-issues.js';
import { requireTrainingQueue } from '../plugins/training-queue.js';
import {
  BEARER_SECURITY,
  errorResponse,
  JOB_BY_ID_ERROR_RESPONSES,
  REDIS_UNREACHABLE_RESPONSE,
  TrainingJobParamsSchema,
  UNAUTHORIZED_RESPONSE,
} from '../schemas/common.js';
import {
  ListTrainingJobsQuerySchema,
  SubmitTrainingJobHeadersSchema,
  TrainingJobListSchema,
  TrainingJobSchema,
  TrainingSpecSchema,
} from '../schemas/training-job.js';

/**
 * Validator of `POST /v1/training-jobs`: the body goes through `parseTrainingSpec`, which applies the
 * defaults and names every invalid field, semantic rules included (Fastify's Ajv stops at the first error
 * and would silently drop unknown fields); other parts are checked against their TypeBox schema.
 */
const submitValidator = ({ schema, httpPart }: { schema: unknown; httpPart?: string | undefined }) => {
  if (httpPart === 'body') {
    return (data: unknown) => {
      try {
        return { value: parseTrainingSpec(data) };
      } catch (err) {
        if (!(err instanceof ValidationError)) return { error: err as Error };
        return { error: new ValidationError(err.message, prefixIssues(issuesOf(err), '/body')) };
      }
    };
  }
  return (data: unknown) => {
    const typed = schema as TSchema;
    const value = Value.Default(typed, Value.Clone(data ?? {}));
    const issues = toValidationIssues(Value.Errors(typed, value), `/${httpPart ?? ''}`);
    if (issues.length === 0) return { value };
    return { error: toValidationError(httpPart ?? 'request', issues) };
  };
};

/** Registers the routes; mount with prefix `/v1/training-jobs`. */
export const trainingJobRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.post(
    '',
    {
      validatorCompiler: submitValidator,
      schema: {
        summary: 'Submit a training job',
        description:
          'Validates the whole spec (every invalid field is named in `details`), checks a CityScapes path inside DATA_DIR, and queues the job. With `Idempotency-Key`, a resubmission returns the same job (`Idempotent-Replayed: true`).',
        tags: ['training'],
        security: BEARER_SECURITY,
        headers: SubmitTrainingJobHeadersSchema,
        body: TrainingSpecSchema,
        response: {
          202: {
            ...TrainingJobSchema,
            description: 'Queued (or the earlier job of the same Idempotency-Key).',
          },
          400: errorResponse('Invalid spec (VALIDATION_ERROR, with details).'),
          401: UNAUTHORIZED_RESPONSE,
          409: errorResponse('Idempotency-Key reused with another body (CONFLICT).'),
          422: errorResponse('Dataset path outside DATA_DIR or missing (DATASET_ERROR).'),
          503: errorResponse('Queue full (MAX_QUEUED_JOBS) or Redis down; see Retry-After.'),
        },
      },
    },
    async (request, reply) => {
      const { producer } = requireTrainingQueue(app);
      const { job, replayed } = await producer.submit(request.body, {
        idempotencyKey: request.headers['idempotency-key'],
      });
      if (replayed) reply.header('idempotent-replayed', 'true');
      return reply.code(202).header('location', `/v1/training-jobs/${job.id}`).send(job);
    },
  );

  app.get(
    '',
    {
      schema: {
        summary: 'List training jobs',
        description:
          'Newest first: by submission (all, queued, running), by end (completed, failed) or by cancellation (cancelled).',
        tags: ['training'],
        security: BEARER_SECURITY,
        querystring: ListTrainingJobsQuerySchema,
        response: {
          200: TrainingJobListSchema,
          400: errorResponse('Invalid query (VALIDATION_ERROR).'),
          401: UNAUTHORIZED_RESPONSE,
          503: REDIS_UNREACHABLE_RESPONSE,
        },
      },
    },
    async (request) => {
      const { producer } = requireTrainingQueue(app);
      const { status, limit, offset } = request.query;
      const page = await producer.list({ status, limit, offset });
      return { ...page, limit, offset };
    },
  );

  app.get(
    '/:id',
    {
      schema: {
        summary: 'Get a training job',
        description:
          'Status, progress with ETA, latest per-task losses, weights and log-variances, per-epoch history with validation metrics, checkpoints, model id (completed) and error (failed).',
        tags: ['training'],
        security: BEARER_SECURITY,
        params: TrainingJobParamsSchema,
        response: {
          200: TrainingJobSchema,
          ...JOB_BY_ID_ERROR_RESPONSES,
        },
      },
    },
    async (request) => requireTrainingQueue(app).producer.get(request.params.id),
  );

  app.post(
    '/:id/cancel',
    {
      schema: {
        summary: 'Cancel a training job',
        description:
          'A queued job is removed and answered `cancelled` (200). A running job stops after the step in progress, writes a checkpoint and ends `cancelled`; the answer (202) shows it still `running` with `cancelRequestedAt`. Cancelling a cancelled job is a no-op (200).',
        tags: ['training'],
        security: BEARER_SECURITY,
        params: TrainingJobParamsSchema,
        response: {
          200: { ...TrainingJobSchema, description: 'Cancelled.' },
          202: {
            ...TrainingJobSchema,
            description: 'Cancellation requested; the worker stops within a step.',
          },
          ...JOB_BY_ID_ERROR_RESPONSES,
          409: errorResponse('The job has completed or failed (CONFLICT).'),
        },
      },
    },
    async (request, reply) => {
      const job = await requireTrainingQueue(app).producer.cancel(request.params.id);
      return reply.code(job.status === 'cancelled' ? 200 : 202).send(job);
    },
  );
};
