/**
 * Health endpoints for orchestrators and load balancers. They need no API key.
 *
 * @packageDocumentation
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { HealthLiveResponseSchema } from '../schemas/health.js';

/**
 * Registers `GET /live` (mount with prefix `/health`): answers `{ "status": "ok" }` whenever the process
 * can serve HTTP at all. It checks no dependency on purpose, so that a Redis outage makes the service
 * not ready (a later `/health/ready`) rather than getting it restarted.
 */
export const healthRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/live',
    {
      schema: {
        summary: 'Liveness probe',
        tags: ['health'],
        response: { 200: HealthLiveResponseSchema },
      },
    },
    async () => ({ status: 'ok' as const }),
  );
};
