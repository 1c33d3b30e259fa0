/**
 * Model routes (mounted at `/v1/models`): list, read and delete trained models, and predict with one.
 *
 * Predictions never run on the API's event loop: the route checks the request (content type, body, the
 * image header's pixel count, the model's existence, the outputs) and hands the bytes to the predictor
 * threads ({@link PredictorPool}), which decode, infer, post-process and encode.
 *
 * @packageDocumentation
 */
import multipart from '@fastify/multipart';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type, type Static } from '@sinclair/typebox';
import type { FastifyRequest } from 'fastify';
import { readImageHeader } from '../../data/image-codec.js';
import { sniffImage } from '../../data/image-sniff.js';
import {
  ConflictError,
  PayloadTooLargeError,
  UnsupportedMediaTypeError,
  ValidationError,
} from '../../errors.js';
import { matchesFilters, parseLabelFilter } from '../../model/job-labels.js';
import { deleteModel, describeModel, listModels } from '../../model/artifacts.js';
import { ManifestCache } from '../../model/manifest-cache.js';
import { TASKS, type Task } from '../../model/tasks.js';
import { readMultipartImage } from '../multipart-image.js';
import { unsupportedMediaTypeMessage } from '../plugins/error-handler.js';
import type { PredictEncoding, ViewName } from '../predict/predict-messages.js';
import {
  BEARER_SECURITY,
  errorResponse,
  MODEL_BY_ID_ERROR_RESPONSES,
  ModelParamsSchema,
  NameLabelFilterQuerySchema,
  UNAUTHORIZED_RESPONSE,
} from '../schemas/common.js';
import {
  MODEL_BROKEN_RESPONSE,
  ModelListSchema,
  ModelManifestSchema,
  PREDICT_IMAGE_TYPES,
  PREDICT_MULTIPART_FIELD,
  PredictBodySchema,
  PredictionSchema,
  PredictQuerySchema,
} from '../schemas/model.js';
import { requestValidatorCompiler, type ValidatorRouteSchema } from '../request-validator.js';

const IMAGE_TYPES: readonly string[] = PREDICT_IMAGE_TYPES;
/** Content type of the raw (binary) answer (raw-prediction.ts). */
const RAW_TYPE = 'application/octet-stream';
const MULTIPART_FIELD = PREDICT_MULTIPART_FIELD;
/** What predict takes, for its 415 answers (Fastify's refusal of an unknown type and the route's own). */
const PREDICT_BODY_HINT = `send ${IMAGE_TYPES.join(', ')} or multipart/form-data with field ${MULTIPART_FIELD}`;

/**
 * Validator of the predict route: the body (bytes, or a multipart stream read later) is passed through,
 * as the handler checks it; the other parts are checked by the app's {@link requestValidatorCompiler}.
 */
const predictValidator = (route: ValidatorRouteSchema) =>
  route.httpPart === 'body' ? (data: unknown) => ({ value: data }) : requestValidatorCompiler(route);

/** Registers the routes; mount with prefix `/v1/models`. */
export const modelRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const manifests = new ManifestCache(app.config.ARTIFACT_DIR);
  const limit = app.config.MAX_BODY_BYTES;
  app.addContentTypeParser(
    [...IMAGE_TYPES],
    { parseAs: 'buffer', bodyLimit: limit },
    (_request, body, done) => done(null, body),
  );
  await app.register(multipart, {
    limits: { fileSize: limit, files: 1, fields: 0 },
    throwFileSizeLimit: true,
  });

  app.get(
    '',
    {
      schema: {
        summary: 'List trained models',
        tags: ['models'],
        security: BEARER_SECURITY,
        description:
          'Newest first. `?name=` and `?label=key:value` (repeatable, all must match) keep the models whose training job had that name and those labels; broken models are listed only without filters.',
        querystring: NameLabelFilterQuerySchema,
        response: {
          200: ModelListSchema,
          400: errorResponse('Invalid filter (VALIDATION_ERROR).'),
          401: UNAUTHORIZED_RESPONSE,
        },
      },
    },
    async (request) => {
      const { name, label } = request.query;
      const filters = { name, labels: label?.map(parseLabelFilter) };
      const filtered = name !== undefined || label !== undefined;
      const models = (await listModels(app.config.ARTIFACT_DIR)).filter(
        (m) => !filtered || (m.status === 'ready' && matchesFilters(m.manifest, filters)),
      );
      return {
        items: models.map((m) => {
          if (m.status === 'broken') return m;
          const { manifest } = m;
          return {
            id: m.id,
            ...(manifest.name !== undefined ? { name: manifest.name } : {}),
            ...(manifest.labels !== undefined ? { labels: manifest.labels } : {}),
            status: m.status,
            createdAt: manifest.createdAt,
            tasks: manifest.tasks,
            inputSize: manifest.inputSize,
            strategy: manifest.weighting.strategy,
            ...(manifest.sourceJob ? { sourceJob: manifest.sourceJob } : {}),
            metrics: (manifest.metrics as { headline?: Record<string, unknown> }).headline ?? {},
          };
        }),
      };
    },
  );

  app.get(
    '/:id',
    {
      schema: {
        summary: "A model's manifest",
        description:
          'Tasks, classes and colours, input size, normalisation, weighting strategy with learned log-variances and sigmas, metrics, training spec, source job, backend. ' +
          '409 MODEL_BROKEN when its manifest.json is malformed or model.json or weights.bin is missing.',
        tags: ['models'],
        security: BEARER_SECURITY,
        params: ModelParamsSchema,
        response: { 200: ModelManifestSchema, ...MODEL_BY_ID_ERROR_RESPONSES, 409: MODEL_BROKEN_RESPONSE },
      },
    },
    async (request) =>
      (await describeModel(app.config.ARTIFACT_DIR, request.params.id)) as unknown as Static<
        typeof ModelManifestSchema
      >,
  );

  app.delete(
    '/:id',
    {
      schema: {
        summary: 'Delete a model',
        description:
          'Refused (409) while the training job that writes this model is queued or running. Works on a broken model too.',
        tags: ['models'],
        security: BEARER_SECURITY,
        params: ModelParamsSchema,
        response: {
          204: { type: 'null', description: 'Deleted' },
          ...MODEL_BY_ID_ERROR_RESPONSES,
          409: errorResponse('A job is writing the model'),
          503: errorResponse(
            'Redis unreachable: whether a job writes the model is unknown (SERVICE_UNAVAILABLE).',
          ),
        },
      },
    },
    async (request, reply) => {
      const { id } = request.params;
      const job = await app.trainingQueue?.producer.find(id);
      if (job !== undefined && ['queued', 'running', 'cancelling'].includes(job.status)) {
        throw new ConflictError(
          `model ${id} is being written by training job ${id} (${job.status}); cancel it first`,
        );
      }
      await deleteModel(app.config.ARTIFACT_DIR, id);
      app.predictors.started()?.evict(id);
      return reply.code(204).send();
    },
  );

  app.post(
    '/:id/predict',
    {
      config: { acceptsBody: PREDICT_BODY_HINT },
      validatorCompiler: predictValidator,
      schema: {
        summary: 'Predict segmentation, instances and depth for an image',
        description:
          'Body: an image (`image/png`, `image/jpeg`, or `multipart/form-data` with field `image`) of any size. ' +
          'Answers JSON with every requested output at the image size, or, with `view` (or `Accept: image/png`), a coloured PNG, ' +
          'or, with `encoding=raw` (or `Accept: application/octet-stream`), the same fields with the maps as raw little-endian arrays: ' +
          'a uint32 LE header length L, then L bytes of UTF-8 JSON (the JSON answer with each map as `{format: "raw", dtype: uint8|uint16|float32, shape: [height, width], offset, byteLength}`, space-padded so the data starts on a multiple of 8), ' +
          'then the data section, each map at `offset` bytes from its start (multiples of 8); disparity (px) and depth (m) are float32, unquantised (docs/service.md). ' +
          'Work and memory grow linearly with the pixels (up to MAX_IMAGE_PIXELS). ' +
          '404 when the model is deleted, also while the prediction loads it; 409 MODEL_BROKEN when its files are broken; ' +
          '503 with Retry-After when every predictor is busy.',
        tags: ['models'],
        security: BEARER_SECURITY,
        params: ModelParamsSchema,
        querystring: PredictQuerySchema,
        consumes: [...IMAGE_TYPES, 'multipart/form-data'],
        body: PredictBodySchema,
        response: {
          200: {
            description:
              'The prediction (JSON; with `encoding=raw` or `Accept: application/octet-stream` the raw binary layout), or with `view` (or `Accept: image/png`) a coloured PNG.',
            content: {
              'application/json': { schema: PredictionSchema },
              'image/png': { schema: Type.String({ format: 'binary', description: 'A coloured PNG.' }) },
              [RAW_TYPE]: {
                schema: Type.String({ format: 'binary', description: 'The raw answer (docs/service.md).' }),
              },
            },
          },
          ...MODEL_BY_ID_ERROR_RESPONSES,
          400: errorResponse(
            'Empty or malformed body (multipart), bad outputs, view or encoding, malformed id',
          ),
          409: MODEL_BROKEN_RESPONSE,
          413: errorResponse('Body or image too large'),
          415: errorResponse(`Not a PNG/JPEG/multipart body: the message says "${PREDICT_BODY_HINT}"`),
          422: errorResponse('The image does not decode'),
          503: errorResponse('Every predictor is busy; see Retry-After'),
        },
      },
    },
    async (request, reply) => {
      const { id } = request.params;
      const image = await imageBytes(request);
      const header = sniffImage(image) ?? (await readImageHeader(image));
      const pixels = header.width * header.height;
      if (pixels > app.config.MAX_IMAGE_PIXELS) {
        throw new PayloadTooLargeError(
          `image is ${header.width}x${header.height} = ${pixels} pixels; the limit is ${app.config.MAX_IMAGE_PIXELS} (MAX_IMAGE_PIXELS)`,
        );
      }
      const manifest = await manifests.read(id);
      const outputs = parseOutputs(request.query.outputs, manifest.tasks);
      const encoding = request.query.encoding ?? (prefersRaw(request) ? 'raw' : undefined);
      const view =
        request.query.view ??
        (encoding === undefined && prefersPng(request) ? defaultView(manifest.tasks) : undefined);
      if (view !== undefined) checkView(view, manifest.tasks, encoding);
      const result = await app.predictors.get().predict({
        modelId: id,
        image,
        outputs,
        ...(view ? { view } : {}),
        ...(encoding ? { encoding } : {}),
      });
      // Buffers are sent as they are: the JSON answer was serialised (in PredictionSchema's shape) by the
      // predictor thread, so that tens of MB of maps are not serialised again on the event loop.
      if (result.kind === 'png') return reply.type('image/png').send(result.png as never);
      if (result.kind === 'raw') return reply.type(RAW_TYPE).send(result.raw as never);
      return reply.type('application/json; charset=utf-8').send(result.json as never);
    },
  );
};

async function imageBytes(request: FastifyRequest): Promise<Buffer> {
  const type = (request.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
  if (!IMAGE_TYPES.includes(type) && !request.isMultipart()) {
    throw new UnsupportedMediaTypeError(unsupportedMediaTypeMessage(type, PREDICT_BODY_HINT));
  }
  let body: unknown = request.body;
  if (request.isMultipart()) body = await readMultipartImage(request, MULTIPART_FIELD);
  if (!Buffer.isBuffer(body) || body.length === 0) {
    throw new ValidationError('the request body is empty: send a PNG or JPEG image');
  }
  return body;
}

function parseOutputs(value: string | undefined, available: readonly Task[]): Task[] {
  if (value === undefined) return [...available];
  const outputs = [...new Set(value.split(','))];
  for (const output of outputs) {
    if (!TASKS.includes(output as Task)) {
      throw new ValidationError(`outputs: unknown output "${output}" (use ${TASKS.join(', ')})`, [
        { path: '/querystring/outputs', message: `unknown output ${output}` },
      ]);
    }
    if (!available.includes(output as Task)) {
      throw new ValidationError(
        `outputs: this model has no ${output} head (it has ${available.join(', ')})`,
        [{ path: '/querystring/outputs', message: `no ${output} head` }],
      );
    }
  }
  return outputs as Task[];
}

/** Accept lists image/png before (or without) application/json. */
function prefersPng(request: FastifyRequest): boolean {
  const accept = request.headers.accept ?? '';
  const png = accept.indexOf('image/png');
  const json = accept.indexOf('application/json');
  return png >= 0 && (json < 0 || png < json);
}

function defaultView(tasks: readonly Task[]): ViewName {
  return tasks.includes('segmentation') ? 'overlay' : tasks.includes('depth') ? 'depth' : 'instances';
}

/** Accept lists application/octet-stream before (or without) application/json. */
function prefersRaw(request: FastifyRequest): boolean {
  const accept = request.headers.accept ?? '';
  const raw = accept.indexOf(RAW_TYPE);
  const json = accept.indexOf('application/json');
  return raw >= 0 && (json < 0 || raw < json);
}

function checkView(view: ViewName, tasks: readonly Task[], encoding: PredictEncoding | undefined): void {
  if (encoding === 'raw') {
    throw new ValidationError('encoding: raw answers carry the maps, not a view; drop view or encoding', [
      { path: '/querystring/encoding', message: 'raw cannot be combined with view' },
    ]);
  }
  const needs: Task = view === 'overlay' ? 'segmentation' : view;
  if (!tasks.includes(needs)) {
    throw new ValidationError(`view: this model has no ${needs} head for the ${view} view`, [
      { path: '/querystring/view', message: `no ${needs} head` },
    ]);
  }
}
