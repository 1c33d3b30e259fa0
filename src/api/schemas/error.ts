/**
 * Schema of the error body every route answers with on failure.
 *
 * @packageDocumentation
 */
import { Type, type Static } from '@sinclair/typebox';

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
