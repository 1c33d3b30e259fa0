/**
 * Prometheus metrics of the API process, as `app.metrics` (a prom-client registry of its own, so that
 * several apps in one process, as in tests, do not share counters).
 *
 * - `scene_mtl_http_request_duration_seconds{method,route,status_code}`: request latency histogram;
 * - `scene_mtl_training_jobs{state}`: jobs by public state, read from Redis at each scrape;
 * - `scene_mtl_training_job_duration_seconds{outcome}`: from a job's first start to its end, observed
 *   when the job ends (every API process observes every job: aggregate with `max`, not `sum`);
 * - training progress (`scene_mtl_training_steps_total`, `_step_seconds`, `_loss`, `_sigma`), from the
 *   job events workers publish: see `training-metrics.ts`;
 * - disk use and free space (`scene_mtl_disk_*`): see `disk-metrics.ts`;
 * - `scene_mtl_prediction_batch_size`: predictions per forward pass (registered by predictors.ts);
 * - the process metrics of prom-client (`scene_mtl_process_*`, `scene_mtl_nodejs_*`).
 *
 * @packageDocumentation
 */
import fp from 'fastify-plugin';
import { collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';
import { isTerminalStatus, JOB_STATUSES } from '../../queue/job-schemas.js';
import { registerDiskMetrics } from './disk-metrics.js';
import { TrainingMetrics } from './training-metrics.js';

declare module 'fastify' {
  interface FastifyInstance {
    /** This app's Prometheus registry. */
    metrics: Registry;
  }
}

/** Prefix of every metric. Why: several services scrape into one Prometheus. */
const PREFIX = 'scene_mtl_';

/** Latency buckets (s). Why: from a cached status read (~1 ms) to a slow prediction (~10 s). */
const HTTP_BUCKETS = [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

/** Job duration buckets (s). Why: from a tiny test job (10 s) to a day-long training run. */
const JOB_BUCKETS = [10, 30, 60, 120, 300, 600, 1800, 3600, 7200, 14_400, 43_200, 86_400];

/** Registers the registry, the request hook and the job metrics. Register after the training queue plugin. */
export const metricsPlugin = fp(
  async (app) => {
    const registry = new Registry();
    collectDefaultMetrics({ register: registry, prefix: PREFIX });

    const httpDuration = new Histogram({
      name: `${PREFIX}http_request_duration_seconds`,
      help: 'Time to answer an HTTP request, by method, route pattern and status code.',
      labelNames: ['method', 'route', 'status_code'] as const,
      buckets: HTTP_BUCKETS,
      registers: [registry],
    });
    app.addHook('onResponse', async (request, reply) => {
      // Why the route pattern: one series per route, not per job id.
      const route = request.routeOptions.url ?? 'unmatched';
      httpDuration.observe(
        { method: request.method, route, status_code: String(reply.statusCode) },
        reply.elapsedTime / 1000,
      );
    });

    new Gauge({
      name: `${PREFIX}training_jobs`,
      help: 'Training jobs by state (queued, running, completed, failed, cancelled).',
      labelNames: ['state'] as const,
      registers: [registry],
      async collect() {
        const queue = app.trainingQueue;
        if (queue === null) return;
        try {
          const counts = await queue.producer.countByStatus();
          for (const state of JOB_STATUSES) this.set({ state }, counts[state]);
        } catch (err) {
          // Why swallow: a scrape must still return the other metrics while Redis is down.
          app.log.warn({ err }, 'could not count training jobs for /metrics');
        }
      },
    });

    const jobDuration = new Histogram({
      name: `${PREFIX}training_job_duration_seconds`,
      help: 'Time from the first start of a training job by a worker to its end, by outcome.',
      labelNames: ['outcome'] as const,
      buckets: JOB_BUCKETS,
      registers: [registry],
    });
    const queue = app.trainingQueue;
    queue?.events.onJobEnd((jobId) => {
      queue.producer.find(jobId).then(
        (view) => {
          if (view === undefined || !isTerminalStatus(view.status)) return; // a retry, not an end
          if (view.startedAt === undefined || view.finishedAt === undefined) return;
          const seconds = (Date.parse(view.finishedAt) - Date.parse(view.startedAt)) / 1000;
          if (seconds >= 0) jobDuration.observe({ outcome: view.status }, seconds);
        },
        (err: unknown) => app.log.debug({ err, jobId }, 'could not read a finished job for /metrics'),
      );
    });

    const training = new TrainingMetrics(registry, PREFIX);
    queue?.events.onAnyEvent((jobId, event, data) => training.onJobEvent(jobId, event, data));
    registerDiskMetrics(registry, PREFIX, app.diskUsage, app.log);

    app.decorate('metrics', registry);
  },
  { name: 'metrics', fastify: '5.x', dependencies: ['training-queue', 'disk-usage'] },
);
