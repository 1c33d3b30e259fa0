/**
 * The schema pieces every route shares: the error body and the standard error answers, the security
 * requirement of the /v1 routes, and the id path parameters (built from the library's one id pattern).
 *
 * @packageDocumentation
 */
import { Type, type Static } from '@sinclair/typebox';
import { ID_PATTERN } from '../../model/ids.js';
import { JobNameSchema, LABEL_FILTER_PATTERN, MAX_LABELS } from '../../model/job-labels.js';

/** `{ "error": { "code", "message", "details"? } }`, the body of every 4xx and 5xx answer. */
export const ErrorResponseSchema = Type.Object(
  {
    error: Type.Object({
      code: Type.String({ description: 'Stable machine-readable code, UPPER_SNAKE_CASE (e.g. NOT_FOUND).' }),
      message: Type.String({ description: 'Human-readable explanation.' }),
      details: Type.Optional(Type.Unknown({ description: 'Structured details, e.g. the invalid fields.' })),
    }),
  },
  { description: 'Error answer.' },
);

/** An error body, as sent. */
export type ErrorResponse = Static<typeof ErrorResponseSchema>;

/**
 * The error body schema with a description of when a route answers it, for a route's `response` map.
 *
 * @param description - e.g. `Unknown job (NOT_FOUND).`
 */
export function errorResponse(description: string): typeof ErrorResponseSchema {
  return { ...ErrorResponseSchema, description };
}

/**
 * The security requirement of every /v1 route (effective only when API_KEYS is set); `bearerAuth` is the
 * scheme the docs plugin declares.
 */
export const BEARER_SECURITY = [{ bearerAuth: [] }];

/** 401 of a /v1 route: API_KEYS is set and the request has no key or an unknown one. */
export const UNAUTHORIZED_RESPONSE = errorResponse('Missing or unknown API key (UNAUTHORIZED).');

/** 400 of a route whose `{id}` does not match the id pattern. */
export const MALFORMED_ID_RESPONSE = errorResponse('Malformed id (VALIDATION_ERROR).');

/** 404 of a training-job route whose job does not exist. */
const UNKNOWN_JOB_RESPONSE = errorResponse('Unknown job (NOT_FOUND).');

/** 404 of a model route whose model does not exist. */
export const UNKNOWN_MODEL_RESPONSE = errorResponse('No such model');

/** 503 of a route that reads the job queue while Redis is down. */
export const REDIS_UNREACHABLE_RESPONSE = errorResponse('Redis unreachable (SERVICE_UNAVAILABLE).');

/** The error answers of a route that reads one training job by its id. */
export const JOB_BY_ID_ERROR_RESPONSES = {
  400: MALFORMED_ID_RESPONSE,
  401: UNAUTHORIZED_RESPONSE,
  404: UNKNOWN_JOB_RESPONSE,
  503: REDIS_UNREACHABLE_RESPONSE,
};

/** The error answers of a route that reads one model by its id. */
export const MODEL_BY_ID_ERROR_RESPONSES = {
  400: MALFORMED_ID_RESPONSE,
  401: UNAUTHORIZED_RESPONSE,
  404: UNKNOWN_MODEL_RESPONSE,
};

/** Path parameters `{ id }` of a job or model route, the id matching the library's `ID_PATTERN`. */
function idParamsSchema(description: string) {
  return Type.Object({ id: Type.String({ pattern: ID_PATTERN, description }) });
}

/** Path parameters of `/v1/training-jobs/{id}...`. */
export const TrainingJobParamsSchema = idParamsSchema('Job id, as returned by POST /v1/training-jobs.');

/** Path parameters of `/v1/training-jobs/{id}...`. */
export type TrainingJobParams = Static<typeof TrainingJobParamsSchema>;

/** Path parameters of `/v1/models/{id}...`. */
export const ModelParamsSchema = idParamsSchema(
  'Model id: the id of the job that trained it, or a new one for a promoted checkpoint.',
);

/** Path parameters of `/v1/models/{id}...`. */
export type ModelParams = Static<typeof ModelParamsSchema>;

/**
 * The `?name=` and `?label=key:value` filters of the job and model lists (labels repeat: all must match).
 * Why here: the lists of jobs and of models filter alike.
 */
export const NameLabelFilterQuerySchema = Type.Object({
  name: Type.Optional({ ...JobNameSchema, description: 'Only those with exactly this name.' }),
  label: Type.Optional(
    Type.Array(
      Type.String({
        pattern: LABEL_FILTER_PATTERN,
        description: 'key:value (the value is everything after the first colon).',
      }),
      {
        maxItems: MAX_LABELS,
        description:
          'Only those with this label (key:value); repeat it for several labels, all of which must match.',
      },
    ),
  ),
});

/** The name and label filters of a list. */
export type NameLabelFilterQuery = Static<typeof NameLabelFilterQuerySchema>;
