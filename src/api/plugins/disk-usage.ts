/**
 * Shares one {@link DiskUsageMonitor} of `ARTIFACT_DIR` and `DATA_DIR` as `app.diskUsage`, so that
 * `/health/ready`, `/metrics` and the dataset routes reuse one walk of the trees.
 *
 * @packageDocumentation
 */
import fp from 'fastify-plugin';
import { DiskUsageMonitor } from '../../data/disk-usage.js';

declare module 'fastify' {
  interface FastifyInstance {
    /** Disk use of the service's directories (cached walk, fresh free space). */
    diskUsage: DiskUsageMonitor;
  }
}

/** Decorates the app with its disk-usage monitor. */
export const diskUsagePlugin = fp(
  async (app) => {
    app.decorate(
      'diskUsage',
      new DiskUsageMonitor({ dataDir: app.config.DATA_DIR, artifactDir: app.config.ARTIFACT_DIR }),
    );
  },
  { name: 'disk-usage', fastify: '5.x' },
);
