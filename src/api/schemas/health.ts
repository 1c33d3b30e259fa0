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

/** One dependency's check. */
const CheckSchema = Type.Object({
  ok: Type.Boolean(),
  error: Type.Optional(Type.String({ description: 'Why the check failed.' })),
});

/** Answer of `GET /health/ready`. */
export const HealthReadyResponseSchema = Type.Object(
  {
    status: Type.Union([Type.Literal('ready'), Type.Literal('not_ready')]),
    checks: Type.Object({
      redis: Type.Composite([
        CheckSchema,
        Type.Object({
          latencyMs: Type.Optional(Type.Number({ minimum: 0 })),
          version: Type.Optional(Type.String()),
          maxmemoryPolicy: Type.Optional(Type.String()),
        }),
      ]),
      backend: Type.Composite([
        CheckSchema,
        Type.Object({
          name: Type.Optional(Type.String()),
          package: Type.Optional(Type.String()),
          gpu: Type.Optional(Type.Boolean()),
          tfjsVersion: Type.Optional(Type.String()),
        }),
      ]),
      artifactStore: CheckSchema,
    }),
  },
  {
    description:
      'Whether the service can take work: Redis reachable, a compute backend, a writable artifact store.',
  },
);

/** Answer of `GET /health/ready`. */
export type HealthReadyResponse = Static<typeof HealthReadyResponseSchema>;
