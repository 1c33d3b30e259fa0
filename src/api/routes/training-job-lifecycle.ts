/**
 * Training-job routes for the rest of a job's life (mounted at `/v1/training-jobs`): delete it, resume it
 * from its newest checkpoint, promote one of its checkpoints to a model. The logic is in
 * `queue/job-lifecycle.ts`.
 *
 * @packageDocumentation
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type, type Static } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { CHECKPOINT_NAME_PATTERN } from '../../model/checkpoint.js';
import { JobLifecycle, LATEST_CHECKPOINT } from '../../queue/job-lifecycle.js';
import { requireTrainingQueue } from '../plugins/training-queue.js';
import {
  BEARER_SECURITY,
  errorResponse,
  JOB_BY_ID_ERROR_RESPONSES,
  TrainingJobParamsSchema,
} from '../schemas/common.js';
import { ModelManifestSchema } from '../schemas/model.js';
import { TrainingJobSchema } from '../schemas/training-job.js';

/** Path parameters of `.../{id}/checkpoints/{checkpoint}/promote`. */
const CheckpointParamsSchema = Type.Object({
  id: TrainingJobParamsSchema.properties.id,
  checkpoint: Type.String({
    // Why both: a name as listed in the job's `checkpoints`, or `latest` for the newest.
    pattern: `^(?:${LATEST_CHECKPOINT}|${CHECKPOINT_NAME_PATTERN.replace(/^\^|\$$/g, '')})$`,
    description: `A checkpoint's name as in the job's \`checkpoints\` (e.g. epoch-0001, epoch-0001-step-000002), or \`${LATEST_CHECKPOINT}\` for the newest.`,
  }),
});

/** The lifecycle service over the app's producer. Why per call: the app may have no queue (503). */
function lifecycleOf(app: FastifyInstance): JobLifecycle {
  return new JobLifecycle(requireTrainingQueue(app).producer, {
    artifactDir: app.config.ARTIFACT_DIR,
    dataDir: app.config.DATA_DIR,
    logger: app.log,
  });
}

/** Registers the routes; mount with prefix `/v1/training-jobs`. */
export const trainingJobLifecycleRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.delete(
    '/:id',
    {
      schema: {
        summary: 'Delete a training job',
        description:
          'Deletes a completed, failed or cancelled job: its record, its place in the lists and its files under ARTIFACT_DIR/jobs/{id}/ (checkpoints). The model it produced stays (DELETE /v1/models/{id}). A queued or running job is refused (409 JOB_RUNNING): cancel it first.',
        tags: ['training'],
        security: BEARER_SECURITY,
        params: TrainingJobParamsSchema,
        response: {
          204: { type: 'null', description: 'Deleted.' },
          ...JOB_BY_ID_ERROR_RESPONSES,
          409: errorResponse('The job is queued or running (JOB_RUNNING).'),
        },
      },
    },
    async (request, reply) => {
      await lifecycleOf(app).delete(request.params.id);
      return reply.code(204).send();
    },
  );

  app.post(
    '/:id/resume',
    {
      schema: {
        summary: 'Resume a cancelled or failed training job',
        description:
          "Queues the job again under the same id (its submission time and checkpoints kept; a failed job's attempts start again). A worker continues from its newest checkpoint (from the start if it has none); once it runs, `resumedFrom` and `resumedAtStep` say where it continued.",
        tags: ['training'],
        security: BEARER_SECURITY,
        params: TrainingJobParamsSchema,
        response: {
          202: { ...TrainingJobSchema, description: 'Queued again.' },
          ...JOB_BY_ID_ERROR_RESPONSES,
          409: errorResponse('The job is queued, running or completed (CONFLICT).'),
          503: errorResponse('Queue full (MAX_QUEUED_JOBS) or Redis down; see Retry-After.'),
        },
      },
    },
    async (request, reply) => {
      const job = await lifecycleOf(app).resume(request.params.id);
      return reply.code(202).header('location', `/v1/training-jobs/${job.id}`).send(job);
    },
  );

  app.post(
    '/:id/checkpoints/:checkpoint/promote',
    {
      schema: {
        summary: 'Promote a checkpoint to a model',
        description:
          "Writes a new model (its own id; `sourceJob` and `sourceCheckpoint` in its manifest) from one of the job's checkpoints, e.g. of a cancelled job: the network as the checkpoint holds it and a manifest with the weighting, epochs and metrics at that point. The job is not changed.",
        tags: ['training', 'models'],
        security: BEARER_SECURITY,
        params: CheckpointParamsSchema,
        response: {
          201: { ...ModelManifestSchema, description: 'The new model (see Location).' },
          ...JOB_BY_ID_ERROR_RESPONSES,
          404: errorResponse('Unknown job, or the job has no such checkpoint (NOT_FOUND).'),
        },
      },
    },
    async (request, reply) => {
      const { id, checkpoint } = request.params;
      const manifest = await lifecycleOf(app).promote(id, checkpoint);
      return reply
        .code(201)
        .header('location', `/v1/models/${manifest.id}`)
        .send(manifest as unknown as Static<typeof ModelManifestSchema>);
    },
  );
};
