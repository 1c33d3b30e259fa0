/**
 * Study routes (mounted at `/v1/studies`): submit a weighting comparison, list and read studies with
 * their table, follow one (SSE), cancel and delete it. The logic is in `queue/study-producer.ts`; a
 * study's runs are ordinary training jobs, so the worker side is the training worker's.
 *
 * @packageDocumentation
 */
import type { ServerResponse } from 'node:http';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { summaryCsv } from '../../experiments/summary-csv.js';
import { JobLifecycle } from '../../queue/job-lifecycle.js';
import { StudyProducer } from '../../queue/study-producer.js';
import { isFinalStudyStatus, type StudyRunView, type StudyView } from '../../queue/study-view.js';
import type { StudyRequest } from '../../experiments/study-plan.js';
import { requireTrainingQueue } from '../plugins/training-queue.js';
import {
  BEARER_SECURITY,
  errorResponse,
  MALFORMED_ID_RESPONSE,
  REDIS_UNREACHABLE_RESPONSE,
  UNAUTHORIZED_RESPONSE,
} from '../schemas/common.js';
import { ID_PATTERN } from '../../model/ids.js';
import {
  DeleteStudyQuerySchema,
  ListStudiesQuerySchema,
  StudyCurvesSchema,
  StudyListSchema,
  StudyRequestSchema,
  StudySchema,
  StudyTableQuerySchema,
  SubmitStudyHeadersSchema,
} from '../schemas/study.js';

/** Largest body of `POST /v1/studies`. Why 64 KiB: as a training spec's; a request is under 4 KB. */
export const STUDY_BODY_LIMIT = 64 * 1024;

/**
 * How often a study's event stream reads the study again. Why 1 s: a run takes minutes, and a read is
 * one Redis round trip per run; polling keeps the stream restart-safe with no pub/sub.
 */
const STUDY_EVENTS_POLL_MS = 1_000;

const StudyParamsSchema = Type.Object({
  id: Type.String({ pattern: ID_PATTERN, description: 'Study id, as returned by POST /v1/studies.' }),
});

const UNKNOWN_STUDY_RESPONSE = errorResponse('No such study (NOT_FOUND).');

const STUDY_BY_ID_ERROR_RESPONSES = {
  400: MALFORMED_ID_RESPONSE,
  401: UNAUTHORIZED_RESPONSE,
  404: UNKNOWN_STUDY_RESPONSE,
  503: REDIS_UNREACHABLE_RESPONSE,
};

/** Answers in the view's own field order (see training-jobs.ts' `inViewOrder`). */
const inViewOrder = { serializerCompiler: () => (data: unknown) => JSON.stringify(data) };

/** The study service over the app's queue. Why per call: the app may have no queue (503). */
function studiesOf(app: FastifyInstance): StudyProducer {
  const { producer } = requireTrainingQueue(app);
  const dirs = { artifactDir: app.config.ARTIFACT_DIR, dataDir: app.config.DATA_DIR };
  return new StudyProducer(producer, new JobLifecycle(producer, { ...dirs, logger: app.log }), {
    ...dirs,
    queueName: app.config.QUEUE_NAME,
    maxQueuedJobs: app.config.MAX_QUEUED_JOBS,
    limits: app.config,
    logger: app.log,
  });
}

/** Registers the routes; mount with prefix `/v1/studies`. */
export const studyRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.post(
    '',
    {
      ...inViewOrder,
      bodyLimit: STUDY_BODY_LIMIT,
      schema: {
        summary: 'Start a study (a weighting comparison)',
        description:
          "Plans the comparison (rows: single-task per task, equal, a fixed-weight grid, the learned strategies asked for; times the seeds), checks the dataset and one run's cost like a training job, and queues every run as a training job labelled `study:<id>`, spread over the workers. With `Idempotency-Key`, a resubmission returns the same study.",
        tags: ['studies'],
        security: BEARER_SECURITY,
        headers: SubmitStudyHeadersSchema,
        body: StudyRequestSchema,
        response: {
          202: { ...StudySchema, description: 'Queued (or the earlier study of the same Idempotency-Key).' },
          400: errorResponse('Invalid request (VALIDATION_ERROR, naming the field).'),
          401: UNAUTHORIZED_RESPONSE,
          409: errorResponse('Idempotency-Key reused with another body (CONFLICT).'),
          413: errorResponse(`Body over ${STUDY_BODY_LIMIT / 1024} KiB (PAYLOAD_TOO_LARGE).`),
          415: errorResponse('The body is not application/json (UNSUPPORTED_MEDIA_TYPE).'),
          422: errorResponse(
            'Dataset missing or incomplete (DATASET_ERROR); one run over a cost limit (JOB_TOO_LARGE) or the disk (INSUFFICIENT_DISK).',
          ),
          503: errorResponse(
            'No room in the queue for every run (MAX_QUEUED_JOBS) or Redis down; see Retry-After.',
          ),
        },
      },
    },
    async (request, reply) => {
      const { study, replayed } = await studiesOf(app).submit(request.body as StudyRequest, {
        idempotencyKey: request.headers['idempotency-key'],
      });
      if (replayed) reply.header('idempotent-replayed', 'true');
      return reply.code(202).header('location', `/v1/studies/${study.id}`).send(study);
    },
  );

  app.get(
    '',
    {
      ...inViewOrder,
      schema: {
        summary: 'List studies',
        description: 'Newest first, each with its status and run counts.',
        tags: ['studies'],
        security: BEARER_SECURITY,
        querystring: ListStudiesQuerySchema,
        response: {
          200: StudyListSchema,
          400: errorResponse('Invalid query (VALIDATION_ERROR).'),
          401: UNAUTHORIZED_RESPONSE,
          503: REDIS_UNREACHABLE_RESPONSE,
        },
      },
    },
    async (request) => {
      const { limit, offset } = request.query;
      return { ...(await studiesOf(app).list({ limit, offset })), limit, offset };
    },
  );

  app.get(
    '/:id',
    {
      ...inViewOrder,
      schema: {
        summary: 'Read a study',
        description:
          'Status, every run (its training job, status, progress, model) and, once runs are scored, the table.',
        tags: ['studies'],
        security: BEARER_SECURITY,
        params: StudyParamsSchema,
        response: { 200: StudySchema, ...STUDY_BY_ID_ERROR_RESPONSES },
      },
    },
    async (request) => studiesOf(app).get(request.params.id),
  );

  app.get(
    '/:id/table',
    {
      schema: {
        summary: "A study's table as markdown or CSV",
        description: 'The same table as the bench writes (markdown), or one line per row and metric (CSV).',
        tags: ['studies'],
        security: BEARER_SECURITY,
        params: StudyParamsSchema,
        querystring: StudyTableQuerySchema,
        response: {
          200: {
            description: 'The table.',
            content: {
              'text/markdown': { schema: Type.String() },
              'text/csv': { schema: Type.String() },
            },
          },
          ...STUDY_BY_ID_ERROR_RESPONSES,
        },
      },
    },
    async (request, reply) => {
      const studies = studiesOf(app);
      if (request.query.format === 'csv') {
        const { plan, results } = await studies.results(request.params.id);
        return reply.type('text/csv; charset=utf-8').send(summaryCsv(plan, results));
      }
      return reply.type('text/markdown; charset=utf-8').send(await studies.markdownTable(request.params.id));
    },
  );

  app.get(
    '/:id/curves',
    {
      ...inViewOrder,
      schema: {
        summary: "A study's curves and per-class scores",
        description:
          "Every scored run's recorded curve (every curveEvery steps: raw losses, effective weights, log-variances, sigmas and s - s* where learned), its final weights and its per-class IoU on the test split, with the class names: what the dashboard's compare page overlays.",
        tags: ['studies'],
        security: BEARER_SECURITY,
        params: StudyParamsSchema,
        response: { 200: StudyCurvesSchema, ...STUDY_BY_ID_ERROR_RESPONSES },
      },
    },
    async (request) => studiesOf(app).curves(request.params.id),
  );

  app.post(
    '/:id/cancel',
    {
      ...inViewOrder,
      schema: {
        summary: 'Cancel a study',
        description:
          'Cancels every run that has not ended; the study is `cancelling` until none is active, then `cancelled`.',
        tags: ['studies'],
        security: BEARER_SECURITY,
        params: StudyParamsSchema,
        response: {
          200: StudySchema,
          ...STUDY_BY_ID_ERROR_RESPONSES,
          409: errorResponse('The study has completed or failed (CONFLICT).'),
        },
      },
    },
    async (request) => studiesOf(app).cancel(request.params.id),
  );

  app.post(
    '/:id/resume',
    {
      ...inViewOrder,
      schema: {
        summary: 'Resume a cancelled or failed study',
        description:
          'Queues again every run that was cancelled or failed, each from its newest checkpoint and still a run of the study (as `POST /v1/training-jobs/{id}/resume` does for one), and any run that was never queued; the runs already scored stay as they are. The study is `queued` or `running` again.',
        tags: ['studies'],
        security: BEARER_SECURITY,
        params: StudyParamsSchema,
        response: {
          202: StudySchema,
          ...STUDY_BY_ID_ERROR_RESPONSES,
          409: errorResponse('The study is still active, or has completed (CONFLICT).'),
          503: errorResponse(
            'The queue has no room for the runs to resume, or Redis is unreachable (SERVICE_UNAVAILABLE).',
          ),
        },
      },
    },
    async (request, reply) => {
      const study = await studiesOf(app).resume(request.params.id);
      return reply.code(202).send(study);
    },
  );

  app.delete(
    '/:id',
    {
      schema: {
        summary: 'Delete a study',
        description:
          "Deletes a study that has ended: its run jobs, results and record; with `?models=true` also the runs' models.",
        tags: ['studies'],
        security: BEARER_SECURITY,
        params: StudyParamsSchema,
        querystring: DeleteStudyQuerySchema,
        response: {
          204: { description: 'Deleted.', type: 'null' },
          ...STUDY_BY_ID_ERROR_RESPONSES,
          409: errorResponse('The study is queued, running or cancelling (JOB_RUNNING).'),
        },
      },
    },
    async (request, reply) => {
      await studiesOf(app).delete(request.params.id, { models: request.query.models });
      return reply.code(204).send();
    },
  );

  const open = new Set<ServerResponse>();
  // Why: open streams would otherwise hold the server's close until the shutdown timeout.
  app.addHook('preClose', async () => {
    for (const raw of open) raw.end();
  });

  app.get(
    '/:id/events',
    {
      schema: {
        summary: 'Follow a study (Server-Sent Events)',
        description:
          'Events: `study` (the study without its table, first and when its status changes), `run` (a run whose status changed or that was scored), then one of `completed`, `failed`, `cancelled` with the whole study, after which the stream ends.',
        tags: ['studies'],
        security: BEARER_SECURITY,
        params: StudyParamsSchema,
        response: {
          200: {
            description: 'An event stream.',
            content: { 'text/event-stream': { schema: Type.String() } },
          },
          ...STUDY_BY_ID_ERROR_RESPONSES,
        },
      },
    },
    async (request, reply) => {
      const studies = studiesOf(app);
      let last = await studies.get(request.params.id); // 404 before the stream starts
      const raw = reply.raw;
      reply.hijack();
      raw.writeHead(200, {
        'content-type': 'text/event-stream',
        'cache-control': 'no-cache',
        connection: 'keep-alive',
      });
      open.add(raw);
      let timer: NodeJS.Timeout | undefined;
      const finish = () => {
        clearTimeout(timer);
        open.delete(raw);
        if (!raw.writableEnded) raw.end();
      };
      raw.on('close', finish);
      const send = (event: string, data: unknown) =>
        raw.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
      const { table: _table, ...first } = last;
      send('study', first);
      const poll = async (): Promise<void> => {
        if (raw.writableEnded) return;
        try {
          const next = await studies.get(request.params.id);
          for (const event of studyEvents(last, next)) send(event.event, event.data);
          last = next;
          if (isFinalStudyStatus(next.status)) {
            finish();
            return;
          }
        } catch (err) {
          request.log.warn({ err }, 'study events: could not read the study; retrying');
        }
        timer = setTimeout(() => void poll(), STUDY_EVENTS_POLL_MS);
      };
      if (isFinalStudyStatus(last.status)) {
        send(last.status, last);
        finish();
      } else {
        timer = setTimeout(() => void poll(), STUDY_EVENTS_POLL_MS);
      }
    },
  );
};

/** The events between two reads of a study: runs that changed, then the study's own change. */
export function studyEvents(previous: StudyView, next: StudyView): { event: string; data: unknown }[] {
  const out: { event: string; data: unknown }[] = [];
  const before = new Map<string, StudyRunView>(previous.runs.map((run) => [run.id, run]));
  for (const run of next.runs) {
    const was = before.get(run.id);
    if (was === undefined || was.status !== run.status || was.scored !== run.scored) {
      out.push({ event: 'run', data: { study: next.id, ...run } });
    }
  }
  if (isFinalStudyStatus(next.status)) {
    out.push({ event: next.status, data: next });
  } else if (next.status !== previous.status) {
    const { table: _table, ...study } = next;
    out.push({ event: 'study', data: study });
  }
  return out;
}
