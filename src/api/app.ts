/**
 * Builds the Fastify application: options, shared decorations, error handling, then routes.
 *
 * Order follows fastify/demo: external plugins, then this app's plugins, then routes. Nothing here listens
 * on a port (see `server.ts`), so tests drive the app with `app.inject`.
 *
 * @packageDocumentation
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import cors from '@fastify/cors';
import Fastify, { type FastifyBaseLogger, type FastifyInstance, type RawServerDefault } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { Config } from '../config.js';
import { createLogger, type Logger } from '../logger.js';
import { apiKeyAuthPlugin } from './plugins/api-key-auth.js';
import { registerDashboard } from './plugins/dashboard.js';
import { diskUsagePlugin } from './plugins/disk-usage.js';
import { registerDocs } from './plugins/docs.js';
import { clientErrorHandler, errorHandler, registerErrorHandlers } from './plugins/error-handler.js';
import { metricsPlugin } from './plugins/metrics.js';
import { predictorsPlugin } from './plugins/predictors.js';
import { requestLoggingPlugin } from './plugins/request-logging.js';
import { trainingQueuePlugin, type TrainingQueueServices } from './plugins/training-queue.js';
import { datasetRoutes } from './routes/datasets.js';
import { healthRoutes } from './routes/health.js';
import { metricsRoutes } from './routes/metrics.js';
import { modelFileRoutes } from './routes/model-files.js';
import { modelRoutes } from './routes/models.js';
import { trainingJobEventRoutes } from './routes/training-job-events.js';
import { trainingJobLifecycleRoutes } from './routes/training-job-lifecycle.js';
import { trainingJobSampleRoutes } from './routes/training-job-samples.js';
import { trainingJobRoutes } from './routes/training-jobs.js';
import { studyRoutes } from './routes/studies.js';
import { requestValidatorCompiler } from './request-validator.js';

declare module 'fastify' {
  interface FastifyInstance {
    /** The validated service configuration. */
    config: Config;
  }
}

/** The application instance: Fastify with TypeBox type inference. */
export type App = FastifyInstance<
  RawServerDefault,
  IncomingMessage,
  ServerResponse,
  FastifyBaseLogger,
  TypeBoxTypeProvider
>;

/** Options of {@link buildApp}. */
export interface BuildAppOptions {
  /** The validated configuration (limits, API keys, directories). */
  config: Config;
  /** Logger for the app and its requests; a child of the root logger with `{ module: 'api' }` by default. `false` silences it. */
  logger?: Logger | false;
  /** Queue services to use instead of connecting to `REDIS_URL` (not closed with the app). */
  trainingQueue?: TrainingQueueServices;
}

/**
 * Request header whose value becomes the request id (logged as `reqId`).
 * Why: a proxy or a calling service that already tagged the request can follow it through our logs.
 */
const REQUEST_ID_HEADER = 'x-request-id';

/**
 * CORS answers for the origins in `CORS_ORIGINS` (none: no CORS headers at all, so browsers keep pages of
 * other origins out). Preflights are answered before the API key check (a browser sends no key in them);
 * the requests themselves still need the key. Why these headers: the ones this API's clients send
 * (`Authorization` for API keys, `If-None-Match` for model files) and the ones they read.
 */
async function registerCors(app: App, origins: readonly string[]): Promise<void> {
  if (origins.length === 0) return;
  await app.register(cors, {
    origin: [...origins],
    methods: ['GET', 'HEAD', 'POST', 'DELETE'],
    allowedHeaders: ['Authorization', 'Content-Type', 'Idempotency-Key', 'If-None-Match'],
    exposedHeaders: ['ETag', 'Location', 'Retry-After', 'Idempotent-Replayed'],
    // Why 10 min: a page preflights each route once in ten minutes, and a removed origin is out soon.
    maxAge: 600,
  });
}

/**
 * How often Node looks for requests past their timeout, in ms: a tenth of the shorter timeout, from 100 ms
 * to 1 s. Why: Node's default (30 s) let an unfinished header wait 90 s for its 408 with a 60 s timeout;
 * a tenth keeps the 408 within 10% of the setting, and a sweep over the open connections is cheap.
 */
export function timeoutCheckInterval(
  config: Pick<Config, 'REQUEST_TIMEOUT_MS' | 'HEADERS_TIMEOUT_MS'>,
): number {
  const shorter = Math.min(config.REQUEST_TIMEOUT_MS, config.HEADERS_TIMEOUT_MS);
  return Math.min(1000, Math.max(100, Math.floor(shorter / 10)));
}

/**
 * Creates the Fastify application with every route registered. It is not yet listening nor ready: call
 * `app.listen()` (see `startServer`) or `app.inject()` (tests).
 *
 * @param opts - Configuration and logger.
 * @returns The application.
 */
export async function buildApp(opts: BuildAppOptions): Promise<App> {
  const { config } = opts;
  const common = {
    bodyLimit: config.MAX_BODY_BYTES,
    requestIdHeader: REQUEST_ID_HEADER,
    // Why: Fastify logs two info lines per request; ours logs one at debug (plugins/request-logging.ts).
    disableRequestLogging: true,
    // Why: errors Fastify raises before routing (a malformed URL) must get the same error body as the rest.
    frameworkErrors: errorHandler,
    // Why: requests Node's parser refuses, and requests not received in time, too.
    clientErrorHandler,
    // Why both: Fastify sets the server's requestTimeout from its own option (0, none, by default).
    requestTimeout: config.REQUEST_TIMEOUT_MS,
    http: {
      requestTimeout: config.REQUEST_TIMEOUT_MS,
      headersTimeout: config.HEADERS_TIMEOUT_MS,
      connectionsCheckingInterval: timeoutCheckInterval(config),
    },
  };
  const app: App =
    opts.logger === false
      ? Fastify({ ...common, logger: false }).withTypeProvider<TypeBoxTypeProvider>()
      : Fastify({
          ...common,
          // Why widen: App is typed with Fastify's logger interface so that routes do not depend on pino's.
          loggerInstance: (opts.logger ?? createLogger('api')) as FastifyBaseLogger,
        }).withTypeProvider<TypeBoxTypeProvider>();

  // Why here: `app.server` is the Node server listen() will start; a connection beyond it is closed at once.
  app.server.maxConnections = config.MAX_CONNECTIONS;
  app.decorate('config', config);
  registerErrorHandlers(app);
  await app.register(requestLoggingPlugin);
  // Why our own: Fastify's Ajv coerces `?limit=Infinity` to a number it then does not bound (a 500).
  app.setValidatorCompiler(requestValidatorCompiler);

  // External plugins first: the docs plugin must see every route that follows.
  await registerDocs(app);
  await registerCors(app, config.CORS_ORIGINS);
  // Then this app's shared services.
  await app.register(trainingQueuePlugin, { services: opts.trainingQueue });
  await app.register(diskUsagePlugin);
  await app.register(metricsPlugin);
  await app.register(predictorsPlugin);
  // Then routes. Health, metrics and docs stay open; every /v1 route needs an API key when API_KEYS is set.
  await app.register(healthRoutes, { prefix: '/health' });
  await app.register(metricsRoutes);
  await registerDashboard(app);
  await app.register(
    async (v1) => {
      await v1.register(apiKeyAuthPlugin, { keys: config.API_KEYS });
      await v1.register(trainingJobRoutes, { prefix: '/training-jobs' });
      await v1.register(trainingJobEventRoutes, { prefix: '/training-jobs' });
      await v1.register(trainingJobLifecycleRoutes, { prefix: '/training-jobs' });
      await v1.register(trainingJobSampleRoutes, { prefix: '/training-jobs' });
      await v1.register(modelRoutes, { prefix: '/models' });
      await v1.register(modelFileRoutes, { prefix: '/models' });
      await v1.register(datasetRoutes, { prefix: '/datasets' });
      await v1.register(studyRoutes, { prefix: '/studies' });
    },
    { prefix: '/v1' },
  );
  return app;
}
