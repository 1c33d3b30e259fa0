/**
 * Schemas of the model routes: the manifest, the model list, and the prediction answer.
 *
 * @packageDocumentation
 */
import { Type, type Static } from '@sinclair/typebox';
import { ManifestBackendSchema } from '../../model/manifest-check.js';
import { JobLabelsSchema, JobNameSchema } from '../../model/job-labels.js';
import { TASKS } from '../../model/tasks.js';
import { ENCODINGS, VIEWS } from '../predict/predict-messages.js';
import { errorResponse } from './common.js';

const PerTaskNumber = Type.Object(Object.fromEntries(TASKS.map((t) => [t, Type.Optional(Type.Number())])), {
  additionalProperties: false,
});
const Rgb = Type.Array(Type.Integer({ minimum: 0, maximum: 255 }), { minItems: 3, maxItems: 3 });

/** A model's manifest.json, as served. */
export const ModelManifestSchema = Type.Object(
  {
    id: Type.String(),
    name: Type.Optional(JobNameSchema),
    labels: Type.Optional(JobLabelsSchema),
    createdAt: Type.String({ format: 'date-time' }),
    tasks: Type.Array(Type.Union(TASKS.map((t) => Type.Literal(t)))),
    classes: Type.Array(
      Type.Object({ trainId: Type.Integer(), name: Type.String(), color: Rgb, isThing: Type.Boolean() }),
    ),
    inputSize: Type.Array(Type.Integer(), { minItems: 2, maxItems: 2, description: '[height, width]' }),
    normalisation: Type.Object({ mean: Type.Array(Type.Number()), std: Type.Array(Type.Number()) }),
    weighting: Type.Object({
      strategy: Type.String(),
      weights: PerTaskNumber,
      logVariances: Type.Optional(PerTaskNumber),
      sigmas: Type.Optional(PerTaskNumber),
      optimalLogVariances: Type.Optional(PerTaskNumber),
      logVarianceGaps: Type.Optional(PerTaskNumber),
    }),
    metrics: Type.Object(
      {},
      { additionalProperties: true, description: 'Validation metrics of the last epoch.' },
    ),
    history: Type.Array(Type.Object({}, { additionalProperties: true }), {
      description:
        'Per-epoch trajectory as the job reported it: losses, weights, and for uncertainty strategies logVariances, sigmas, optimalLogVariances and logVarianceGaps, with the validation metrics.',
    }),
    training: Type.Object({}, { additionalProperties: true, description: 'The training spec.' }),
    camera: Type.Optional(Type.Object({ fx: Type.Number(), baseline: Type.Number() })),
    sourceJob: Type.Optional(Type.String()),
    sourceCheckpoint: Type.Optional(
      Type.String({ description: 'The checkpoint of sourceJob the model was promoted from.' }),
    ),
    backend: ManifestBackendSchema,
  },
  { additionalProperties: true },
);

/** One usable model in `GET /v1/models`. */
export const ModelSummarySchema = Type.Object({
  id: Type.String(),
  name: Type.Optional(JobNameSchema),
  labels: Type.Optional(JobLabelsSchema),
  status: Type.Literal('ready', { description: 'The model loads and predicts.' }),
  createdAt: Type.String({ format: 'date-time' }),
  tasks: Type.Array(Type.String()),
  inputSize: Type.Array(Type.Integer()),
  strategy: Type.String(),
  sourceJob: Type.Optional(Type.String()),
  metrics: Type.Object({}, { additionalProperties: true, description: 'Headline validation metrics.' }),
});

/** A model folder whose files are broken, in `GET /v1/models`: listed so that it can be found and deleted. */
export const BrokenModelSchema = Type.Object(
  {
    id: Type.String(),
    status: Type.Literal('broken'),
    problem: Type.String({
      description:
        'What is wrong with its files (e.g. "weights.bin is missing"), as in the MODEL_BROKEN error that GET /v1/models/{id} and predict answer.',
    }),
    modifiedAt: Type.String({ format: 'date-time', description: 'When its folder last changed.' }),
  },
  {
    description:
      'A model whose manifest.json, model.json or weights.bin is missing, unreadable or malformed. DELETE it, or train it again.',
  },
);

export const ModelListSchema = Type.Object({
  items: Type.Array(Type.Union([ModelSummarySchema, BrokenModelSchema]), {
    description: 'Newest first: ready models by createdAt, broken ones by modifiedAt.',
  }),
});

/** 409 of a model route whose model is on disk but broken. */
export const MODEL_BROKEN_RESPONSE = errorResponse(
  "The model's files are broken (MODEL_BROKEN; details name the model and the problem): delete it or train it again.",
);

/** Query of `POST /v1/models/{id}/predict`. */
export const PredictQuerySchema = Type.Object({
  outputs: Type.Optional(
    Type.String({
      pattern: '^[a-z]+(,[a-z]+)*$',
      description: `Comma-separated heads: ${TASKS.join(', ')} (default: all the model has).`,
    }),
  ),
  view: Type.Optional(
    Type.Union(
      VIEWS.map((v) => Type.Literal(v)),
      { description: 'Answer a coloured PNG of this output instead of JSON.' },
    ),
  ),
  encoding: Type.Optional(
    Type.Union(
      ENCODINGS.map((e) => Type.Literal(e)),
      {
        description:
          'How the maps travel: png (default; PNGs in the JSON answer) or raw (an application/octet-stream answer: length-prefixed JSON header, then the maps as typed arrays; see the route description). `Accept: application/octet-stream` means raw.',
      },
    ),
  ),
});
export type PredictQuery = Static<typeof PredictQuerySchema>;

/** Image types accepted as the raw body of a prediction; anything else (but multipart) gets 415. */
export const PREDICT_IMAGE_TYPES = ['image/png', 'image/jpeg'] as const;

/** The multipart field that carries the image of a prediction. */
export const PREDICT_MULTIPART_FIELD = 'image';

/** Bytes of a file, in the contract (`format: binary`: generated clients take a Blob or a file). */
const Binary = (description: string) => Type.String({ format: 'binary', description });

/**
 * The body of `POST /v1/models/{id}/predict`, per content type, for the contract. Not a validator: the
 * route reads the bytes itself (see `imageBytes`), so its validator lets this part through.
 */
export const PredictBodySchema = {
  content: {
    ...Object.fromEntries(
      PREDICT_IMAGE_TYPES.map((type) => [type, { schema: Binary(`The image, ${type}, of any size.`) }]),
    ),
    'multipart/form-data': {
      schema: Type.Object({ [PREDICT_MULTIPART_FIELD]: Binary('The image file, PNG or JPEG.') }),
    },
  },
};

const EmbeddedPng = (description: string) =>
  Type.Object(
    {
      format: Type.Literal('png'),
      bitDepth: Type.Union([Type.Literal(8), Type.Literal(16)]),
      encoding: Type.Literal('base64'),
      data: Type.String(),
      scale: Type.Optional(Type.Number({ description: 'value = pixel / scale' })),
    },
    { description },
  );

/** The JSON answer of `POST /v1/models/{id}/predict`. */
export const PredictionSchema = Type.Object({
  model: Type.String(),
  width: Type.Integer(),
  height: Type.Integer(),
  segmentation: Type.Optional(
    Type.Object({
      classes: Type.Array(
        Type.Object({ trainId: Type.Integer(), name: Type.String(), color: Rgb, pixelShare: Type.Number() }),
      ),
      labelMap: EmbeddedPng('8-bit grey PNG of train ids at the image size'),
    }),
  ),
  instances: Type.Optional(
    Type.Object({
      count: Type.Integer(),
      instances: Type.Array(
        Type.Object({
          id: Type.Integer({ description: 'Value of the instance in idMap' }),
          trainId: Type.Integer(),
          className: Type.Union([Type.String(), Type.Null()]),
          area: Type.Integer(),
          bbox: Type.Array(Type.Integer(), {
            minItems: 4,
            maxItems: 4,
            description: '[x0, y0, x1, y1], x1/y1 exclusive',
          }),
          centroid: Type.Array(Type.Number(), { minItems: 2, maxItems: 2, description: '[x, y]' }),
          score: Type.Number(),
        }),
      ),
      idMap: EmbeddedPng('16-bit grey PNG of instance ids (0 = none) at the image size'),
    }),
  ),
  depth: Type.Optional(
    Type.Object({
      unit: Type.Literal('px'),
      min: Type.Number({ description: 'Smallest disparity (px of this image)' }),
      max: Type.Number(),
      disparityMap: EmbeddedPng('16-bit grey PNG of disparity; disparity_px = pixel / scale'),
      metres: Type.Optional(
        Type.Object({
          min: Type.Number(),
          max: Type.Number(),
          median: Type.Number(),
          depthMap: EmbeddedPng('16-bit grey PNG of depth; metres = pixel / scale (0 = unknown)'),
        }),
      ),
    }),
  ),
  timings: Type.Object({
    decodeMs: Type.Number(),
    preprocessMs: Type.Number(),
    inferenceMs: Type.Number(),
    postprocessMs: Type.Number(),
    encodeMs: Type.Number(),
    batch: Type.Integer({
      minimum: 1,
      description: 'Images in the forward pass this prediction shared (inferenceMs is that pass)',
    }),
    threads: Type.Integer({
      minimum: 1,
      maximum: 2,
      description:
        "Predictor threads that ran this prediction's heads: 2 when an idle thread computed some of them (and the depth maps) while this one computed the rest; inferenceMs is then this thread's part, and postprocessMs and encodeMs add both threads' times",
    }),
  }),
});
