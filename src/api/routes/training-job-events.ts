/**
 * `GET /v1/training-jobs/{id}/events`: a job's life as Server-Sent Events.
 *
 * The stream starts with the job's current state (so a client that connects late misses nothing), then
 * sends `progress` (latest step: losses, weights, log-variances, ETA), `epoch` (one per finished epoch with
 * validation metrics), `state` (queued <-> running, e.g. a worker stopped and another resumed), and one of
 * `completed`, `failed`, `cancelled`, after which it ends. A `: heartbeat` comment keeps proxies from
 * closing an idle stream.
 *
 * Events are derived by comparing successive views of the job, read when BullMQ reports a change and at
 * every heartbeat, so a lost event is made up for within one heartbeat.
 *
 * @packageDocumentation
 */
import type { ServerResponse } from 'node:http';
import { Type } from '@sinclair/typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { isTerminalStatus, type TrainingJob } from '../../queue/job-schemas.js';
import { requireTrainingQueue } from '../plugins/training-queue.js';
import { BEARER_SECURITY, JOB_BY_ID_ERROR_RESPONSES, TrainingJobParamsSchema } from '../schemas/common.js';

/** One Server-Sent Event. */
export interface SseEvent {
  event: 'state' | 'progress' | 'epoch' | 'completed' | 'failed' | 'cancelled';
  data: unknown;
}

/** Delay before reading again when a job is briefly invisible (between its removal and its archive). */
const RETRY_READ_MS = 100;

/** How long a client waits before reconnecting after the connection drops. Why 3 s: EventSource's default. */
const CLIENT_RETRY_MS = 3_000;

/**
 * The events that lead from `previous` to `next` (the first view when `previous` is undefined): new epochs,
 * then new progress, then the status change; a terminal status is always the last event.
 *
 * @param previous - The view last streamed, if any.
 * @param next - The current view.
 */
export function eventsBetween(previous: TrainingJob | undefined, next: TrainingJob): SseEvent[] {
  if (previous === undefined) {
    const first: SseEvent[] = [{ event: 'state', data: next }];
    if (isTerminalStatus(next.status)) first.push({ event: next.status as SseEvent['event'], data: next });
    return first;
  }
  const out: SseEvent[] = [];
  for (const epoch of next.history.slice(previous.history.length)) {
    out.push({ event: 'epoch', data: { id: next.id, epoch } });
  }
  if (
    next.progress !== undefined &&
    next.progress.updatedAt !== previous.progress?.updatedAt &&
    !isTerminalStatus(next.status)
  ) {
    out.push({ event: 'progress', data: { id: next.id, status: next.status, progress: next.progress } });
  }
  if (next.status !== previous.status || next.cancelRequestedAt !== previous.cancelRequestedAt) {
    out.push({
      event: isTerminalStatus(next.status) ? (next.status as SseEvent['event']) : 'state',
      data: next,
    });
  }
  return out;
}

/** Formats one event for the wire. */
function format(event: SseEvent): string {
  return `event: ${event.event}\ndata: ${JSON.stringify(event.data)}\n\n`;
}

/** Registers the route; mount with prefix `/v1/training-jobs`. */
export const trainingJobEventRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const open = new Set<ServerResponse>();
  // Why: open streams would otherwise hold the server's close until the shutdown timeout.
  app.addHook('preClose', async () => {
    for (const raw of open) raw.end();
  });

  app.get(
    '/:id/events',
    {
      schema: {
        summary: 'Follow a training job (Server-Sent Events)',
        description:
          'Events: `state` (the job now, sent first and on queued/running changes), `progress` (latest step and ETA), `epoch` (a finished epoch with validation metrics), then one of `completed`, `failed`, `cancelled`, after which the stream ends. Each `data` is JSON; `state` and the final event carry the whole job. A `: heartbeat` comment comes every SSE_HEARTBEAT_MS.',
        tags: ['training'],
        security: BEARER_SECURITY,
        params: TrainingJobParamsSchema,
        response: {
          200: {
            description: 'An event stream.',
            content: { 'text/event-stream': { schema: Type.String() } },
          },
          ...JOB_BY_ID_ERROR_RESPONSES,
        },
      },
    },
    async (request, reply) => {
      const { producer, events } = requireTrainingQueue(app);
      const id = request.params.id;
      let closed = false;
      let last: TrainingJob | undefined;
      let reading = false;
      let readAgain = false;
      let started = false;
      const timers: { heartbeat?: NodeJS.Timeout; retry?: NodeJS.Timeout } = {};
      const raw = reply.raw;

      const finish = (): void => {
        if (closed) return;
        closed = true;
        unsubscribe();
        clearInterval(timers.heartbeat);
        clearTimeout(timers.retry);
        open.delete(raw);
        if (!raw.writableEnded) raw.end();
      };
      const refresh = async (): Promise<void> => {
        if (closed) return;
        if (reading) {
          readAgain = true;
          return;
        }
        reading = true;
        try {
          do {
            readAgain = false;
            const view = await producer.find(id);
            if (closed) return;
            if (view === undefined) {
              timers.retry = setTimeout(() => void refresh(), RETRY_READ_MS);
              return;
            }
            for (const event of eventsBetween(last, view)) raw.write(format(event));
            last = view;
            if (isTerminalStatus(view.status)) {
              finish();
              return;
            }
          } while (readAgain && !closed);
        } catch (err) {
          request.log.warn(
            { err, jobId: id },
            'event stream could not read the job; retrying at the next heartbeat',
          );
        } finally {
          reading = false;
        }
      };

      // Subscribe before the first read, so that no change between the two is missed (changes before the
      // stream is open are caught by the refresh that follows the first events).
      const unsubscribe = events.subscribe(id, () => {
        if (started) void refresh();
      });
      try {
        last = await producer.get(id);
      } catch (err) {
        unsubscribe();
        throw err;
      }
      reply.hijack();
      raw.writeHead(200, {
        'content-type': 'text/event-stream; charset=utf-8',
        'cache-control': 'no-cache, no-transform',
        connection: 'keep-alive',
        // Why: nginx buffers responses by default, which would hold events back.
        'x-accel-buffering': 'no',
      });
      open.add(raw);
      raw.on('close', finish);
      raw.write(`retry: ${CLIENT_RETRY_MS}\n\n`);
      for (const event of eventsBetween(undefined, last)) raw.write(format(event));
      if (isTerminalStatus(last.status)) {
        finish();
        return;
      }
      timers.heartbeat = setInterval(() => {
        if (closed) return;
        raw.write(': heartbeat\n\n');
        void refresh();
      }, app.config.SSE_HEARTBEAT_MS);
      started = true;
      // A change between the first read and now is caught here.
      void refresh();
    },
  );
};
