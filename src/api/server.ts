/**
 * Runs the application as an HTTP server: listen on `HOST:PORT`, close gracefully on SIGINT/SIGTERM.
 *
 * @packageDocumentation
 */
import type { Config } from '../config.js';
import { buildApp, type App } from './app.js';

/**
 * Longest wait for in-flight requests and `onClose` hooks after SIGINT/SIGTERM before exiting anyway.
 * Why 8 s: below the 10 s Docker and Kubernetes wait between SIGTERM and SIGKILL, so we log and exit first.
 */
export const SHUTDOWN_TIMEOUT_MS = 8_000;

/** Signals that start a graceful shutdown. Why both: Ctrl-C sends SIGINT, orchestrators send SIGTERM. */
const SHUTDOWN_SIGNALS = ['SIGINT', 'SIGTERM'] as const;

/** Options of {@link startServer}. */
export interface StartServerOptions {
  /** Close on SIGINT/SIGTERM (default true). A second signal exits at once with status 1. */
  handleSignals?: boolean;
}

/**
 * Builds the app and listens on `config.HOST:config.PORT`.
 *
 * On SIGINT or SIGTERM the app stops accepting connections, finishes in-flight requests and runs its
 * `onClose` hooks; the process then exits on its own with status 0 once nothing else keeps it alive. If
 * closing takes longer than {@link SHUTDOWN_TIMEOUT_MS}, or fails, the process exits with status 1.
 *
 * @param config - The validated configuration.
 * @param options - Signal handling.
 * @returns The listening app; `app.close()` stops it.
 */
export async function startServer(config: Config, options: StartServerOptions = {}): Promise<App> {
  const app = await buildApp({ config });
  // Why before listen: hooks cannot be added once the app is listening.
  const installSignalHandlers = options.handleSignals === false ? undefined : prepareSignalHandlers(app);
  await app.listen({ host: config.HOST, port: config.PORT });
  installSignalHandlers?.();
  return app;
}

/**
 * Prepares the SIGINT/SIGTERM handlers that close `app` and registers the hook that removes them when it
 * closes; returns the function that installs them.
 */
function prepareSignalHandlers(app: App): () => void {
  let closing = false;
  const onSignal = (signal: NodeJS.Signals): void => {
    if (closing) {
      app.log.warn({ signal }, 'second signal during shutdown, exiting now');
      process.exit(1);
    }
    closing = true;
    app.log.info({ signal }, 'shutting down');
    const timer = setTimeout(() => {
      app.log.error({ timeoutMs: SHUTDOWN_TIMEOUT_MS }, 'shutdown timed out, exiting');
      process.exit(1);
    }, SHUTDOWN_TIMEOUT_MS);
    // Why unref: the timer must not by itself keep a process alive that has finished closing.
    timer.unref();
    app.close().then(
      () => {
        clearTimeout(timer);
        app.log.info('shut down');
      },
      (err: unknown) => {
        app.log.error({ err }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  app.addHook('onClose', async () => {
    for (const signal of SHUTDOWN_SIGNALS) process.off(signal, onSignal);
  });
  return () => {
    for (const signal of SHUTDOWN_SIGNALS) process.on(signal, onSignal);
  };
}
