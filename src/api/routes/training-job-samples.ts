/**
 * `GET /v1/training-jobs/{id}/samples` and `GET /v1/training-jobs/{id}/samples/{epoch}/{sample}/{view}.png`:
 * the pictures the worker renders at each epoch's end (model/epoch-samples.ts), for the dashboard's job
 * page. Epoch 0 holds the ground truth.
 *
 * @packageDocumentation
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Type } from '@sinclair/typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { NotFoundError } from '../../errors.js';
import { readSampleIndex, samplesDir } from '../../model/epoch-samples.js';
import { requireTrainingQueue } from '../plugins/training-queue.js';
import {
  BEARER_SECURITY,
  errorResponse,
  JOB_BY_ID_ERROR_RESPONSES,
  TrainingJobParamsSchema,
} from '../schemas/common.js';

/** The index of a job's pictures. */
export const SampleIndexSchema = Type.Object(
  {
    samples: Type.Integer({ minimum: 0, description: 'Validation images rendered per epoch.' }),
    epochs: Type.Array(Type.Integer({ minimum: 1 }), {
      description: 'Epochs with pictures, ascending: the first epoch and the most recent ones.',
    }),
    views: Type.Array(Type.String(), {
      description: 'Predicted views per image (e.g. segmentation, overlay).',
    }),
    groundTruth: Type.Array(Type.String(), {
      description: 'Ground-truth pictures per image, under epoch 0.',
    }),
  },
  { description: "A job's pictures per epoch." },
);

const SamplePictureParamsSchema = Type.Object({
  id: TrainingJobParamsSchema.properties.id,
  epoch: Type.Integer({ minimum: 0, maximum: 1_000_000, description: 'Epoch (0 = ground truth).' }),
  sample: Type.Integer({ minimum: 0, maximum: 1000, description: 'Image index.' }),
  view: Type.String({
    pattern: '^[a-z]+\\.png$',
    maxLength: 40,
    description: 'View file, e.g. overlay.png.',
  }),
});

/** Registers the routes; mount with prefix `/v1/training-jobs`. */
export const trainingJobSampleRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const dirOf = async (id: string) => {
    // Why ask the queue first: an unknown id is a 404 whatever is on disk, and ids are validated there.
    await requireTrainingQueue(app).producer.get(id);
    return samplesDir(app.config.ARTIFACT_DIR, id);
  };

  app.get(
    '/:id/samples',
    {
      schema: {
        summary: "List a training job's pictures per epoch",
        description:
          'A few fixed validation images: their ground truth (epoch 0) and the coloured predictions after the first epoch and the most recent ones. Empty until the first epoch ends.',
        tags: ['training'],
        security: BEARER_SECURITY,
        params: TrainingJobParamsSchema,
        response: { 200: SampleIndexSchema, ...JOB_BY_ID_ERROR_RESPONSES },
      },
    },
    async (request) => readSampleIndex(await dirOf(request.params.id)),
  );

  app.get(
    '/:id/samples/:epoch/:sample/:view',
    {
      schema: {
        summary: 'Get one picture of a training job',
        tags: ['training'],
        security: BEARER_SECURITY,
        params: SamplePictureParamsSchema,
        produces: ['image/png'],
        response: {
          ...JOB_BY_ID_ERROR_RESPONSES,
          404: errorResponse('No such job or picture (NOT_FOUND).'),
        },
      },
    },
    async (request, reply) => {
      const { id, epoch, sample, view } = request.params;
      const file = join(await dirOf(id), String(epoch), String(sample), view);
      const bytes = await readFile(file).catch(() => {
        throw new NotFoundError(`training job ${id} has no picture ${epoch}/${sample}/${view}`);
      });
      return reply
        .type('image/png')
        .header('cache-control', 'private, max-age=60')
        .send(bytes as never);
    },
  );
};
