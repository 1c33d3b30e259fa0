/**
 * A process that starts and stops through src/lifecycle.ts, for test/lifecycle.test.ts to send signals to.
 *
 * It loads the configuration with `loadConfigOrExit` (stderr prefix `STDERR_PREFIX`), then keeps itself
 * alive with an interval and installs `closeOnShutdownSignals`; its `close` takes `CLOSE_DELAY_MS`, then
 * resolves, rejects (`CLOSE=reject`) or never settles (`CLOSE=hang`). It logs JSON lines to stdout and
 * `ready` once the handlers are installed. Settings (environment): `CLOSE`, `CLOSE_DELAY_MS`,
 * `TIMEOUT_MS`, `SAME_STOP_WITHIN_MS`, `STDERR_PREFIX`, `EXIT_WHEN_CLOSED=1`, `KEEP_ALIVE_AFTER_CLOSE=1`.
 */
import { closeOnShutdownSignals, loadConfigOrExit } from '../../src/lifecycle.js';
import { createRootLogger } from '../../src/logger.js';

const numberFrom = (value: string | undefined): number | undefined =>
  value === undefined || value === '' ? undefined : Number(value);

const config = loadConfigOrExit(process.env, process.env.STDERR_PREFIX ?? 'lifecycle-test:');
const log = createRootLogger({ level: config.LOG_LEVEL });
// Why an interval: a live handle, as a server's socket is; a good close releases it.
const keepAlive = setInterval(() => undefined, 60_000);
const delay = numberFrom(process.env.CLOSE_DELAY_MS) ?? 0;

closeOnShutdownSignals({
  log,
  close: () =>
    new Promise<void>((resolve, reject) => {
      if (process.env.CLOSE === 'hang') return;
      setTimeout(() => {
        if (process.env.KEEP_ALIVE_AFTER_CLOSE !== '1') clearInterval(keepAlive);
        if (process.env.CLOSE === 'reject') reject(new Error('close broke'));
        else resolve();
      }, delay);
    }),
  timeoutMs: numberFrom(process.env.TIMEOUT_MS),
  sameStopWithinMs: numberFrom(process.env.SAME_STOP_WITHIN_MS),
  exitWhenClosed: process.env.EXIT_WHEN_CLOSED === '1',
  onForcedExit: () => log.info('forced exit hook ran'),
  stoppedMessage: 'stopped',
});
log.info('ready');
