/**
 * HTTP over a bare TCP socket, for tests of what a well-behaved client never sends: a request line Node's
 * parser refuses, a header that never ends, a body cut short, a connection beyond the limit.
 */
import { connect, type Socket } from 'node:net';

/** What came back on a raw connection. */
export interface RawExchange {
  /** The status of the first answer, when one came. */
  status?: number;
  /** Its headers, lower-cased names. */
  headers: Record<string, string>;
  /** Its body (everything after the blank line). */
  body: string;
  /** Whether the server closed the connection before `waitMs` (or, with `stopWhenAnswered`, answered). */
  closed: boolean;
  /** Milliseconds from connecting to the close (or to giving up). */
  elapsedMs: number;
}

/** Options of {@link rawExchange}. */
export interface RawExchangeOptions {
  /** Longest wait for the server to close, in ms (then the client closes). */
  waitMs?: number;
  /** More bytes to send `afterMs` after the first ones (a client that is slow, but not too slow). */
  then?: { afterMs: number; bytes: string | Buffer };
  /**
   * Stop as soon as a whole answer came (its `content-length` bytes, or the headers of an event stream),
   * without waiting for the server to close. Default false.
   */
  stopWhenAnswered?: boolean;
}

/** Byte offset of the blank line that ends the head, or -1. */
function headEnd(data: Buffer): number {
  return data.indexOf('\r\n\r\n');
}

/** Whether `data` holds a whole answer (see {@link RawExchangeOptions.stopWhenAnswered}). */
function isWholeAnswer(data: Buffer): boolean {
  const end = headEnd(data);
  if (end < 0) return false;
  const { headers } = parseAnswer(data.subarray(0, end + 4).toString('latin1'));
  if ((headers['content-type'] ?? '').startsWith('text/event-stream')) return true;
  const length = headers['content-length'];
  return length !== undefined && data.length - (end + 4) >= Number(length);
}

/** Parses `HTTP/1.1 200 OK\r\nname: value\r\n\r\nbody`. */
function parseAnswer(text: string): Pick<RawExchange, 'status' | 'headers' | 'body'> {
  const cut = text.indexOf('\r\n\r\n');
  if (!text.startsWith('HTTP/')) return { headers: {}, body: text };
  const head = cut < 0 ? text : text.slice(0, cut);
  const [statusLine = '', ...lines] = head.split('\r\n');
  const headers: Record<string, string> = {};
  for (const line of lines) {
    const colon = line.indexOf(':');
    if (colon > 0) headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  return { status: Number(statusLine.split(' ')[1]), headers, body: cut < 0 ? '' : text.slice(cut + 4) };
}

/**
 * Connects to `127.0.0.1:port`, writes `bytes`, and collects what comes back until the server closes the
 * connection or `waitMs` passes.
 *
 * @param port - The server's port.
 * @param bytes - What to send at once (may be empty, or a request cut anywhere).
 * @param options - How long to wait, and bytes to send later.
 */
export function rawExchange(
  port: number,
  bytes: string | Buffer,
  options: RawExchangeOptions = {},
): Promise<RawExchange> {
  const waitMs = options.waitMs ?? 10_000;
  return new Promise((resolve) => {
    const started = performance.now();
    const chunks: Buffer[] = [];
    let later: NodeJS.Timeout | undefined;
    const socket: Socket = connect(port, '127.0.0.1', () => {
      if (bytes.length > 0) socket.write(bytes);
      const next = options.then;
      if (next !== undefined)
        later = setTimeout(() => socket.writable && socket.write(next.bytes), next.afterMs);
    });
    let done = false;
    const finish = (closed: boolean): void => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      clearTimeout(later);
      socket.destroy();
      const text = Buffer.concat(chunks).toString('utf8');
      resolve({ ...parseAnswer(text), closed, elapsedMs: Math.round(performance.now() - started) });
    };
    socket.on('data', (chunk: Buffer) => {
      chunks.push(chunk);
      if (options.stopWhenAnswered === true && isWholeAnswer(Buffer.concat(chunks))) finish(true);
    });
    // Why ignore: a reset after the answer (the server closes while we still write) is a close like any other.
    socket.on('error', () => undefined);
    socket.on('close', () => finish(true));
    const timer = setTimeout(() => finish(false), waitMs);
  });
}

/** Opens a connection and resolves once it is established (it is left open; destroy it). */
export function openConnection(port: number): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () => resolve(socket));
    socket.once('error', reject);
  });
}

/**
 * Sends `head` and then `body` in 64 KiB pieces, each after the last was written, and stops sending as
 * soon as an answer begins (as curl does): a server that refuses a body from its headers closes the
 * connection, and a client that kept writing would get a reset and could lose the answer. Resolves with
 * the answer once it is whole, or when the server closes.
 *
 * @param port - The server's port.
 * @param head - The request line and headers, with the blank line.
 * @param body - The body.
 */
export function rawUpload(port: number, head: string, body: Buffer): Promise<RawExchange & { sent: number }> {
  return new Promise((resolve) => {
    const started = performance.now();
    const chunks: Buffer[] = [];
    let sent = 0;
    let done = false;
    const socket: Socket = connect(port, '127.0.0.1');
    const finish = (closed: boolean): void => {
      if (done) return;
      done = true;
      socket.destroy();
      const text = Buffer.concat(chunks).toString('utf8');
      resolve({ ...parseAnswer(text), closed, elapsedMs: Math.round(performance.now() - started), sent });
    };
    const sendNext = (): void => {
      if (done || chunks.length > 0 || sent >= body.length || !socket.writable) return;
      const piece = body.subarray(sent, sent + UPLOAD_PIECE_BYTES);
      sent += piece.length;
      socket.write(piece, () => sendNext());
    };
    socket.on('connect', () => socket.write(head, () => sendNext()));
    socket.on('data', (chunk: Buffer) => {
      chunks.push(chunk);
      if (isWholeAnswer(Buffer.concat(chunks))) finish(true);
    });
    socket.on('error', () => finish(true));
    socket.on('close', () => finish(true));
  });
}

/** Size of the pieces {@link rawUpload} writes. Why 64 KiB: a socket buffer's worth, so it stops early. */
const UPLOAD_PIECE_BYTES = 64 * 1024;
