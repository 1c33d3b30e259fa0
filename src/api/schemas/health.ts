/**
 * Schemas of the health endpoints.
 *
 * @packageDocumentation
 */
import { Type, type Static } from '@sinclair/typebox';

/** Answer of `GET /health/live`: the process is up and its event loop answers. */
export const HealthLiveResponseSchema = Type.Object(
  { status: Type.Literal('ok') },
  { description: 'The process is alive.' },
);

/** Answer of `GET /health/live`. */
export type HealthLiveResponse = Static<typeof HealthLiveResponseSchema>;
