/**
 * Small process-level helpers around a local redis-server, shared by `npm start` (which may start one) and
 * the test harness (which starts private ones): find the binary, pick a free port, ping without a client.
 *
 * @packageDocumentation
 */
import { accessSync, constants as fsConstants } from 'node:fs';
import { connect, createServer, type AddressInfo } from 'node:net';
import { delimiter, join } from 'node:path';

/** Loopback only: a local redis-server is never reachable from elsewhere. */
export const LOCAL_HOST = '127.0.0.1';
/** Redis' default port, which a machine's own Redis may hold: never handed out. */
const DEFAULT_REDIS_PORT = 6379;
/** How long a ping waits for +PONG: a local server answers in microseconds. */
const PING_TIMEOUT_MS = 1_000;

/** Finds an executable on PATH, or undefined. */
export function findOnPath(name: string): string | undefined {
  for (const dir of (process.env['PATH'] ?? '').split(delimiter)) {
    if (dir === '') continue;
    const candidate = join(dir, name);
    try {
      accessSync(candidate, fsConstants.X_OK);
      return candidate;
    } catch {
      // Not here.
    }
  }
  return undefined;
}

/** A loopback port that is free right now (the OS picks it), never 6379. */
export async function freePort(): Promise<number> {
  for (;;) {
    const port = await new Promise<number>((resolve, reject) => {
      const server = createServer();
      server.unref();
      server.once('error', reject);
      server.listen({ port: 0, host: LOCAL_HOST, exclusive: true }, () => {
        const { port: chosen } = server.address() as AddressInfo;
        server.close((err) => (err ? reject(err) : resolve(chosen)));
      });
    });
    if (port !== DEFAULT_REDIS_PORT) return port;
  }
}

/** One PING over a raw socket (no client library, so no reconnect noise): true iff the answer is +PONG. */
export function pingRedis(port: number, host = LOCAL_HOST): Promise<boolean> {
  return new Promise((resolve) => {
    let answer = '';
    const socket = connect({ host, port });
    const done = (ok: boolean): void => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(PING_TIMEOUT_MS, () => done(false));
    socket.once('error', () => done(false));
    socket.once('connect', () => socket.write('*1\r\n$4\r\nPING\r\n'));
    socket.on('data', (chunk: Buffer) => {
      answer += chunk.toString('latin1');
      if (answer.includes('\r\n')) done(answer.startsWith('+PONG'));
    });
  });
}
