/**
 * Shares the training queue (producer and event hub) with every route, as `app.trainingQueue`.
 *
 * Without `REDIS_URL` the app still starts (health, docs, metrics work) and the training routes answer
 * 503: `npm start` always sets it, so this only happens in tests and tools like `npm run openapi`.
 *
 * @packageDocumentation
 */
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { ServiceUnavailableError } from '../../errors.js';
import { createLogger } from '../../logger.js';
import { JobEventHub } from '../../queue/job-event-hub.js';
import { checkRedisSettings } from '../../queue/redis-connection.js';
import { TrainingJobProducer } from '../../queue/training-job-producer.js';

/** The queue services of the API. */
export interface TrainingQueueServices {
  producer: TrainingJobProducer;
  events: JobEventHub;
}

declare module 'fastify' {
  interface FastifyInstance {
    /** The training queue, or null when `REDIS_URL` is unset. Routes use {@link requireTrainingQueue}. */
    trainingQueue: TrainingQueueServices | null;
  }
}

/** Options of {@link trainingQueuePlugin}. */
export interface TrainingQueuePluginOptions {
  /** Services to use instead of connecting to `REDIS_URL` (they are not closed with the app). */
  services?: TrainingQueueServices | undefined;
}

/**
 * Returns the queue services.
 *
 * @throws {@link ServiceUnavailableError} (503) when the app has no queue.
 */
export function requireTrainingQueue(app: FastifyInstance): TrainingQueueServices {
  if (app.trainingQueue === null) {
    throw new ServiceUnavailableError(
      'Training is not available: this API process has no job queue (REDIS_URL is unset).',
    );
  }
  return app.trainingQueue;
}

/** Connects the producer and the event hub to `REDIS_URL` and closes them with the app. */
export const trainingQueuePlugin = fp<TrainingQueuePluginOptions>(
  async (app, opts) => {
    const url = app.config.REDIS_URL;
    let services: TrainingQueueServices | null = opts.services ?? null;
    const owned = services === null && url !== undefined;
    if (owned) {
      const logger = createLogger('queue');
      services = {
        producer: new TrainingJobProducer({
          redisUrl: url,
          queueName: app.config.QUEUE_NAME,
          dataDir: app.config.DATA_DIR,
          artifactDir: app.config.ARTIFACT_DIR,
          maxQueuedJobs: app.config.MAX_QUEUED_JOBS,
          jobAttempts: app.config.JOB_ATTEMPTS,
          limits: app.config,
          logger,
        }),
        events: new JobEventHub(url, app.config.QUEUE_NAME, logger),
      };
      const { producer } = services;
      // Why not awaited: the API starts (and answers /health/ready with the reason) while Redis is down.
      checkRedisSettings(producer.redis).then(
        (report) => {
          for (const problem of report.problems) app.log.warn({ redis: report }, problem);
        },
        (err: unknown) => app.log.warn({ err }, 'could not check the Redis settings'),
      );
    }
    app.decorate('trainingQueue', services);
    app.addHook('onClose', async () => {
      if (!owned || services === null) return;
      await services.events.close();
      await services.producer.close();
    });
  },
  { name: 'training-queue', fastify: '5.x' },
);
