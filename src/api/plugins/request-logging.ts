/**
 * One log line per answered request, at debug level: Fastify's own request logging (two info lines per
 * request, 300 of 381 lines in a short trial) is turned off in `app.ts` (`disableRequestLogging`), so that
 * `npm start` at the default `LOG_LEVEL=info` shows what happens to jobs and models rather than every
 * status poll; `LOG_LEVEL=debug` shows each request again. Errors are still logged by the error handler.
 *
 * @packageDocumentation
 */
import fp from 'fastify-plugin';

/** Logs each answered request at debug: method, URL, status and time. */
export const requestLoggingPlugin = fp(
  async (app) => {
    app.addHook('onResponse', async (request, reply) => {
      request.log.debug(
        {
          req: { method: request.method, url: request.url },
          res: { statusCode: reply.statusCode },
          responseTime: Math.round(reply.elapsedTime * 100) / 100,
        },
        `${request.method} ${request.url} ${reply.statusCode}`,
      );
    });
  },
  { name: 'request-logging', fastify: '5.x' },
);
