/**
 * Shares a {@link PredictorPool} with the routes as `app.predictors`. The threads start on the first
 * prediction, not with the app: tools and tests that build the app without predicting pay nothing.
 *
 * @packageDocumentation
 */
import fp from 'fastify-plugin';
import { Counter, Histogram } from 'prom-client';
import { PredictorPool } from '../predict/predictor-pool.js';

/** Batch-size buckets. Why: every size up to the usual PREDICT_BATCH_SIZE, then powers of two to its maximum. */
const BATCH_BUCKETS = [1, 2, 3, 4, 8, 16, 32, 64];

declare module 'fastify' {
  interface FastifyInstance {
    /** The predictor threads; started on first use. */
    predictors: { get(): PredictorPool; started(): PredictorPool | undefined };
  }
}

/**
 * Creates the pool lazily from the config (PREDICT_CONCURRENCY, PREDICT_QUEUE_SIZE, MODEL_CACHE_SIZE,
 * PREDICT_BATCH_SIZE, PREDICT_BATCH_WAIT_MS, PREDICT_SHARE_HEADS) and closes it with the app; observes each
 * batch's size as `scene_mtl_prediction_batch_size` and counts shared predictions as
 * `scene_mtl_predictor_threads_lent_total` in /metrics.
 */
export const predictorsPlugin = fp(
  async (app) => {
    let pool: PredictorPool | undefined;
    const batchSizes = new Histogram({
      name: 'scene_mtl_prediction_batch_size',
      help: 'Predictions per forward pass (micro-batching: PREDICT_BATCH_SIZE, PREDICT_BATCH_WAIT_MS).',
      buckets: BATCH_BUCKETS,
      registers: [app.metrics],
    });
    const lent = new Counter({
      name: 'scene_mtl_predictor_threads_lent_total',
      help: "Times an idle predictor thread was lent to a lone prediction (PREDICT_SHARE_HEADS); the answer's timings.threads says whether it ran heads.",
      registers: [app.metrics],
    });
    app.decorate('predictors', {
      get: () => {
        pool ??= new PredictorPool({
          threads: app.config.PREDICT_CONCURRENCY,
          queueSize: app.config.PREDICT_QUEUE_SIZE,
          modelCacheSize: app.config.MODEL_CACHE_SIZE,
          artifactDir: app.config.ARTIFACT_DIR,
          backend: app.config.TF_BACKEND,
          batchSize: app.config.PREDICT_BATCH_SIZE,
          batchWaitMs: app.config.PREDICT_BATCH_WAIT_MS,
          onBatch: (size) => batchSizes.observe(size),
          shareHeads: app.config.PREDICT_SHARE_HEADS === 'on',
          onLent: () => lent.inc(),
        });
        return pool;
      },
      started: () => pool,
    });
    app.addHook('onClose', async () => {
      await pool?.close();
    });
  },
  { name: 'predictors', dependencies: ['metrics'] },
);
