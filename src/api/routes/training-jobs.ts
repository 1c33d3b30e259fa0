/**
 * Training-job routes (mounted at `/v1/training-jobs`): submit, list, read and cancel.
 *
 * @packageDocumentation
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { ValidationError } from '../../errors.js';
import { parseLabelFilter } from '../../model/job-labels.js';
import { summaryView } from '../../queue/job-view.js';
import { parseTrainingSpec, type TrainingSpec } from '../../model/training-spec.js';
import {
  issuesOf,
  MAX_LISTED_ISSUES,
  prefixIssues,
  toValidationError,
} from '../../model/validation-issues.js';
import { requireTrainingQueue } from '../plugins/training-queue.js';
import {
  requestValidatorCompiler,
  uncheckableValueError,
  type ValidatorRouteSchema,
} from '../request-validator.js';
import {
  BEARER_SECURITY,
  errorResponse,
  JOB_BY_ID_ERROR_RESPONSES,
  REDIS_UNREACHABLE_RESPONSE,
  TrainingJobParamsSchema,
  UNAUTHORIZED_RESPONSE,
} from '../schemas/common.js';
import {
  GetTrainingJobQuerySchema,
  ListTrainingJobsQuerySchema,
  SubmitTrainingJobHeadersSchema,
  TrainingJobListSchema,
  TrainingJobSchema,
  TrainingJobSummarySchema,
  TrainingSpecSchema,
} from '../schemas/training-job.js';

/**
 * Largest body of `POST /v1/training-jobs`, in bytes; a larger one is refused (413) before it is parsed.
 * Why 64 KiB: a spec is under 2 KB (the longest field, a dataset path, is at most 512 characters), so this
 * is 30 times what any spec needs, while a spec padded with a million unknown fields (11 MB) no longer
 * costs the API seconds of parsing and validation on its event loop.
 */
export const TRAINING_SPEC_BODY_LIMIT = 64 * 1024;

/**
 * Validator of `POST /v1/training-jobs`: the body goes through `parseTrainingSpec`, which applies the
 * defaults and names every invalid field, semantic rules included; other parts are checked by the app's
 * {@link requestValidatorCompiler}.
 */
const submitValidator = (route: ValidatorRouteSchema) => {
  if (route.httpPart !== 'body') return requestValidatorCompiler(route);
  return (data: unknown) => {
    try {
      return { value: parseTrainingSpec(data) };
    } catch (err) {
      if (!(err instanceof ValidationError)) return { error: uncheckableValueError('body', err) };
      const issues = issuesOf(err);
      if (issues.length === 0) return { error: err };
      // The message names the same paths as the details: below the body.
      return { error: toValidationError('training spec', prefixIssues(issues, '/body')) };
    }
  };
};

/**
 * Serializer of the answers that carry job views: `JSON.stringify`, which keeps the view's field order
 * (status, progress, modelId, metrics, error first; built by `job-view.ts` in TrainingJobSchema's order).
 * Why not the schema's serializer: fast-json-stringify writes every required field before the optional
 * ones, which put spec, history and checkpoints before progress and modelId; and for the one-job answer's
 * union it would pick the member by validating each answer against it.
 */
const inViewOrder = { serializerCompiler: () => (data: unknown) => JSON.stringify(data) };

/** Registers the routes; mount with prefix `/v1/training-jobs`. */
export const trainingJobRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.post(
    '',
    {
      ...inViewOrder,
      validatorCompiler: submitValidator,
      bodyLimit: TRAINING_SPEC_BODY_LIMIT,
      schema: {
        summary: 'Submit a training job',
        description: `Validates the whole spec (every invalid field is named in \`details\`: the first ${MAX_LISTED_ISSUES} and a count of the rest), checks the dataset (a CityScapes path inside DATA_DIR with both splits) and the job's estimated cost against the configured limits and the free disk, and queues the job. \`tasks\`, \`weighting\` and \`training\` may be left out. A body over ${TRAINING_SPEC_BODY_LIMIT / 1024} KiB is refused (413). With \`Idempotency-Key\`, a resubmission returns the same job (\`Idempotent-Replayed: true\`).`,
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
          413: errorResponse(`Body over ${TRAINING_SPEC_BODY_LIMIT / 1024} KiB (PAYLOAD_TOO_LARGE).`),
          415: errorResponse('The body is not application/json (UNSUPPORTED_MEDIA_TYPE).'),
          422: errorResponse(
            'Dataset path outside DATA_DIR or missing, a split missing or empty (DATASET_ERROR); the job is over a cost limit (JOB_TOO_LARGE: MAX_JOB_GENERATED_PIXELS, MAX_JOB_DATASET_BYTES, MAX_JOB_TRAINING_STEPS) or would leave less free disk than DISK_RESERVE_BYTES (INSUFFICIENT_DISK); the message names the limit and the numbers.',
          ),
          503: errorResponse('Queue full (MAX_QUEUED_JOBS) or Redis down; see Retry-After.'),
        },
      },
    },
    async (request, reply) => {
      const { producer } = requireTrainingQueue(app);
      // The body validator is parseTrainingSpec: what it returns has every section, defaults applied.
      const { job, replayed } = await producer.submit(request.body as TrainingSpec, {
        idempotencyKey: request.headers['idempotency-key'],
      });
      if (replayed) reply.header('idempotent-replayed', 'true');
      return reply.code(202).header('location', `/v1/training-jobs/${job.id}`).send(job);
    },
  );

  app.get(
    '',
    {
      ...inViewOrder,
      schema: {
        summary: 'List training jobs',
        description:
          'Newest first: by submission (all, queued, running, cancelling), by end (completed, failed) or by cancellation (cancelled).',
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
      const { status, limit, offset, name, label } = request.query;
      const labels = label?.map(parseLabelFilter);
      const page = await producer.list({ status, limit, offset, name, labels });
      return { ...page, limit, offset };
    },
  );

  app.get(
    '/:id',
    {
      ...inViewOrder,
      schema: {
        summary: 'Get a training job',
        description:
          'Status, progress with ETA (its phase absent once the job has ended), model id (completed), metrics, error (failed), name and labels first; then attempts, backend, spec, per-epoch history with validation metrics and checkpoints. `?view=summary` leaves out spec, history and checkpoints, for cheap polling.',
        tags: ['training'],
        security: BEARER_SECURITY,
        params: TrainingJobParamsSchema,
        querystring: GetTrainingJobQuerySchema,
        response: {
          200: Type.Union([TrainingJobSchema, TrainingJobSummarySchema], {
            description: 'The job (?view=full, the default) or its summary (?view=summary).',
          }),
          ...JOB_BY_ID_ERROR_RESPONSES,
        },
      },
    },
    async (request) => {
      const job = await requireTrainingQueue(app).producer.get(request.params.id);
      return request.query.view === 'summary' ? summaryView(job) : job;
    },
  );

  app.post(
    '/:id/cancel',
    {
      ...inViewOrder,
      schema: {
        summary: 'Cancel a training job',
        description:
          'A queued job is removed and answered `cancelled` (200). A running job stops in whatever phase it is in (between two generated scenes, cached samples, training steps or validation batches; within about a second), writes a checkpoint when it was training, removes its temporary files and ends `cancelled`; the answer (202) shows it `cancelling` with `cancelRequestedAt` until then. Cancelling a cancelled job is a no-op (200).',
        tags: ['training'],
        security: BEARER_SECURITY,
        params: TrainingJobParamsSchema,
        response: {
          200: { ...TrainingJobSchema, description: 'Cancelled.' },
          202: {
            ...TrainingJobSchema,
            description: 'Cancellation requested: the job is `cancelling` until its worker has stopped it.',
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
