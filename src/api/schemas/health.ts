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

/** Bytes used under a directory and the space of its filesystem. */
const DirectoryUsageSchema = Type.Object({
  bytes: Type.Integer({ minimum: 0, description: 'Bytes of the files under it.' }),
  freeBytes: Type.Optional(
    Type.Integer({ minimum: 0, description: 'Bytes still writable on its filesystem (fs.statfs).' }),
  ),
  totalBytes: Type.Optional(Type.Integer({ minimum: 0, description: 'Size of its filesystem.' })),
});

/** Disk use of the service's directories. */
export const DiskUsageSchema = Type.Object(
  {
    artifactDir: Type.Composite([
      DirectoryUsageSchema,
      Type.Object({
        areas: Type.Object(
          {
            datasets: Type.Integer({ minimum: 0, description: 'Generated datasets (datasets/).' }),
            cache: Type.Integer({ minimum: 0, description: 'Target caches (cache/).' }),
            models: Type.Integer({ minimum: 0, description: 'Trained models (models/).' }),
            checkpoints: Type.Integer({ minimum: 0, description: 'Job checkpoints (jobs/).' }),
          },
          { description: 'Bytes of the parts of ARTIFACT_DIR.' },
        ),
      }),
    ]),
    dataDir: DirectoryUsageSchema,
    measuredAt: Type.String({
      format: 'date-time',
      description: 'When the files were counted (reused for 30 s); free space is read at each request.',
    }),
  },
  {
    description:
      'Disk use of ARTIFACT_DIR (with its parts) and DATA_DIR, and free space on their filesystems. Informational: it does not make the service unready.',
  },
);

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
    disk: Type.Optional(DiskUsageSchema),
  },
  {
    description:
      'Whether the service can take work: Redis reachable, a compute backend, a writable artifact store; and how much disk it uses and has left.',
  },
);

/** Answer of `GET /health/ready`. */
export type HealthReadyResponse = Static<typeof HealthReadyResponseSchema>;
