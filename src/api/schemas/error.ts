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
  { $id: 'ErrorResponse', description: 'Error answer.' },
);

/** An error body, as sent. */
export type ErrorResponse = Static<typeof ErrorResponseSchema>;
