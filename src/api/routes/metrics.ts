/**
 * `GET /metrics`: Prometheus text format. Open like the health probes (scrapers carry no API key).
 *
 * @packageDocumentation
 */
import { Type } from '@sinclair/typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';

/** Registers `GET /metrics`. */
export const metricsRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/metrics',
    {
      schema: {
        summary: 'Prometheus metrics',
        description:
          'Request latency histograms, training jobs by state, training job durations, training steps, step durations, current loss and sigma per worker slot, disk use and free space, and process metrics, in the Prometheus text format.',
        tags: ['metrics'],
        response: {
          200: {
            description: 'Metrics in the Prometheus text format.',
            content: { 'text/plain': { schema: Type.String() } },
          },
        },
      },
    },
    async (_request, reply) => {
      const text = await app.metrics.metrics();
      return reply.type(app.metrics.contentType).send(text);
    },
  );
};
