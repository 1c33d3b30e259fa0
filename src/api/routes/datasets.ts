/**
 * Dataset routes (mounted at `/v1/datasets`): list the datasets on disk with what they cost, read one,
 * and delete a generated one. The logic is `DatasetStore` (src/queue/dataset-store.ts).
 *
 * @packageDocumentation
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { DatasetStore } from '../../queue/dataset-store.js';
import { requireTrainingQueue } from '../plugins/training-queue.js';
import {
  BEARER_SECURITY,
  errorResponse,
  REDIS_UNREACHABLE_RESPONSE,
  UNAUTHORIZED_RESPONSE,
} from '../schemas/common.js';
import { DatasetListSchema, DatasetParamsSchema, DatasetSchema } from '../schemas/dataset.js';

/** 404 of a dataset route. */
const UNKNOWN_DATASET_RESPONSE = errorResponse('No such dataset (DATASET_NOT_FOUND).');

/** Registers the routes; mount with prefix `/v1/datasets`. */
export const datasetRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const dirs = { dataDir: app.config.DATA_DIR, artifactDir: app.config.ARTIFACT_DIR };
  /** A store that sees the queue's jobs when the app has a queue (lists work without one). */
  const store = (): DatasetStore => new DatasetStore(dirs, app.trainingQueue?.producer.queue);

  app.get(
    '',
    {
      schema: {
        summary: 'List datasets',
        description:
          'The synthetic datasets the service generated (ARTIFACT_DIR/datasets) and the CityScapes-layout datasets in DATA_DIR, with their bytes on disk, scenes per split and the queued or running jobs that use them. Sizes are measured by walking the files at each call.',
        tags: ['datasets'],
        security: BEARER_SECURITY,
        response: { 200: DatasetListSchema, 401: UNAUTHORIZED_RESPONSE, 503: REDIS_UNREACHABLE_RESPONSE },
      },
    },
    async () => {
      const items = await store().list();
      return { items, totalBytes: items.reduce((sum, d) => sum + d.bytes, 0) };
    },
  );

  app.get(
    '/:id',
    {
      schema: {
        summary: 'Read a dataset',
        tags: ['datasets'],
        security: BEARER_SECURITY,
        params: DatasetParamsSchema,
        response: {
          200: DatasetSchema,
          401: UNAUTHORIZED_RESPONSE,
          404: UNKNOWN_DATASET_RESPONSE,
          503: REDIS_UNREACHABLE_RESPONSE,
        },
      },
    },
    async (request) => store().get(request.params.id),
  );

  app.delete(
    '/:id',
    {
      schema: {
        summary: 'Delete a generated dataset',
        description:
          'Removes a synthetic dataset the service generated; a job that asks for it later generates it again. Refused (409 DATASET_IN_USE) while a queued or running job uses it, and (403 DATASET_NOT_DELETABLE) for a dataset in DATA_DIR: the service never deletes user data.',
        tags: ['datasets'],
        security: BEARER_SECURITY,
        params: DatasetParamsSchema,
        response: {
          204: { type: 'null', description: 'Deleted.' },
          401: UNAUTHORIZED_RESPONSE,
          403: errorResponse('A dataset in DATA_DIR (DATASET_NOT_DELETABLE).'),
          404: UNKNOWN_DATASET_RESPONSE,
          409: errorResponse(
            'A queued or running job uses it (DATASET_IN_USE); `details.jobIds` names them.',
          ),
          503: REDIS_UNREACHABLE_RESPONSE,
        },
      },
    },
    async (request, reply) => {
      // Why the queue is required: without it the jobs that use the dataset cannot be known.
      const queue = requireTrainingQueue(app);
      const info = await new DatasetStore(dirs, queue.producer.queue).delete(request.params.id);
      app.diskUsage.invalidate();
      request.log.info({ dataset: info.id, bytes: info.bytes }, 'generated dataset deleted');
      return reply.code(204).send();
    },
  );
};
