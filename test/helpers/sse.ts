/**
 * A minimal Server-Sent Events client over fetch, for tests.
 */

/** One received event. */
export interface ReceivedEvent {
  event: string;
  data: unknown;
  /** ms since the stream opened. */
  at: number;
}

/** An open stream. */
export interface SseStream {
  status: number;
  headers: Headers;
  /** Events so far (grows while the stream is open). */
  events: ReceivedEvent[];
  /** Comment lines (`: heartbeat`) so far. */
  comments: string[];
  /** Resolves when the server ends the stream. */
  ended: Promise<void>;
  /** Resolves with the first event named `name` (or fails after `timeoutMs`). */
  next(name: string, timeoutMs?: number): Promise<ReceivedEvent>;
  close(): void;
}

/** Opens `url` as an event stream. */
export async function openSse(url: string, headers: Record<string, string> = {}): Promise<SseStream> {
  const controller = new AbortController();
  const started = Date.now();
  const res = await fetch(url, {
    headers: { accept: 'text/event-stream', ...headers },
    signal: controller.signal,
  });
  const events: ReceivedEvent[] = [];
  const comments: string[] = [];
  const waiters: (() => void)[] = [];
  const notify = (): void => {
    for (const w of waiters.splice(0)) w();
  };
  const ended = (async () => {
    if (res.body === null) return;
    const decoder = new TextDecoder();
    let buffer = '';
    try {
      for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
        buffer += decoder.decode(chunk, { stream: true });
        let cut: number;
        while ((cut = buffer.indexOf('\n\n')) >= 0) {
          const block = buffer.slice(0, cut);
          buffer = buffer.slice(cut + 2);
          let event = 'message';
          let data = '';
          for (const line of block.split('\n')) {
            if (line.startsWith(':')) comments.push(line.slice(1).trim());
            else if (line.startsWith('event: ')) event = line.slice(7);
            else if (line.startsWith('data: ')) data += line.slice(6);
          }
          if (data !== '') events.push({ event, data: JSON.parse(data), at: Date.now() - started });
          notify();
        }
      }
    } catch (err) {
      if (!controller.signal.aborted) throw err;
    } finally {
      notify();
    }
  })();
  let done = false;
  void ended.finally(() => (done = true)).catch(() => undefined);
  return {
    status: res.status,
    headers: res.headers,
    events,
    comments,
    ended,
    async next(name, timeoutMs = 30_000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const found = events.find((e) => e.event === name);
        if (found) return found;
        if (done || Date.now() > deadline) {
          throw new Error(`no "${name}" event; got ${events.map((e) => e.event).join(', ')}`);
        }
        await Promise.race([
          new Promise<void>((resolve) => waiters.push(resolve)),
          new Promise((resolve) => setTimeout(resolve, 200)),
        ]);
      }
    },
    close: () => controller.abort(),
  };
}
