/**
 * Shares a {@link PredictorPool} with the routes as `app.predictors`. The threads start on the first
 * prediction, not with the app: tools and tests that build the app without predicting pay nothing.
 *
 * @packageDocumentation
 */
import fp from 'fastify-plugin';
import { PredictorPool } from '../predict/predictor-pool.js';

declare module 'fastify' {
  interface FastifyInstance {
    /** The predictor threads; started on first use. */
    predictors: { get(): PredictorPool; started(): PredictorPool | undefined };
  }
}

/** Creates the pool lazily from the config (PREDICT_CONCURRENCY, PREDICT_QUEUE_SIZE, MODEL_CACHE_SIZE) and closes it with the app. */
export const predictorsPlugin = fp(
  async (app) => {
    let pool: PredictorPool | undefined;
    app.decorate('predictors', {
      get: () => {
        pool ??= new PredictorPool({
          threads: app.config.PREDICT_CONCURRENCY,
          queueSize: app.config.PREDICT_QUEUE_SIZE,
          modelCacheSize: app.config.MODEL_CACHE_SIZE,
          artifactDir: app.config.ARTIFACT_DIR,
          backend: app.config.TF_BACKEND,
        });
        return pool;
      },
      started: () => pool,
    });
    app.addHook('onClose', async () => {
      await pool?.close();
    });
  },
  { name: 'predictors' },
);
