/**
 * A model's network files (mounted at `/v1/models`): `GET /v1/models/{id}/files/model.json` and
 * `.../weights.bin`, the tfjs layers format, so a browser loads the model with
 * `tf.loadLayersModel('.../files/model.json')` (which fetches weights.bin beside it). Each answer has an
 * ETag; a request whose `If-None-Match` matches gets 304 without a body. Pages of other origins read them
 * when their origin is in `CORS_ORIGINS` (see `app.ts`); API keys apply as on every /v1 route.
 *
 * @packageDocumentation
 */
import type { Stats } from 'node:fs';
import { open } from 'node:fs/promises';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { NotFoundError } from '../../errors.js';
import { MODEL_FILES, modelFilePath, type ModelFileName } from '../../model/artifacts.js';
import {
  BEARER_SECURITY,
  ModelParamsSchema,
  UNAUTHORIZED_RESPONSE,
  UNKNOWN_MODEL_RESPONSE,
} from '../schemas/common.js';
import { MODEL_BROKEN_RESPONSE } from '../schemas/model.js';

/** Content type of each file. Why octet-stream: weights.bin is raw little-endian float32 values. */
const CONTENT_TYPES: Record<ModelFileName, string> = {
  'model.json': 'application/json; charset=utf-8',
  'weights.bin': 'application/octet-stream',
};

/**
 * Cache-Control of the files. Why no-cache: a model id keeps its files until it is saved again (a retried
 * job), so a cache may keep them but must ask (If-None-Match, a 304 costs no body) before using them.
 */
const CACHE_CONTROL = 'no-cache';

/** Path parameters `{ id, file }`. */
const ModelFileParamsSchema = Type.Object({
  id: ModelParamsSchema.properties.id,
  file: Type.Union(
    MODEL_FILES.map((f) => Type.Literal(f)),
    { description: 'model.json (topology and weights manifest) or weights.bin (the weights it names).' },
  ),
});

/**
 * The ETag of a file: its size and modification time (ns). Why not a hash: the files are only ever
 * replaced whole (written elsewhere and renamed in), which changes the time, and a hash of a large
 * weights.bin would cost a read of it per request.
 */
export function fileEtag(stats: Pick<Stats, 'size'> & { mtimeNs: bigint }): string {
  return `"${stats.size.toString(16)}-${stats.mtimeNs.toString(16)}"`;
}

/**
 * Whether an `If-None-Match` header matches `etag` (RFC 9110: `*`, or any listed tag by weak comparison).
 *
 * @param header - The header's value, if any.
 * @param etag - The current strong ETag, quoted.
 */
export function ifNoneMatchMatches(header: string | undefined, etag: string): boolean {
  if (header === undefined) return false;
  const strip = (tag: string) => tag.trim().replace(/^W\//, '');
  return header.split(',').some((tag) => tag.trim() === '*' || strip(tag) === etag);
}

/** Registers the route; mount with prefix `/v1/models`. */
export const modelFileRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/:id/files/:file',
    {
      schema: {
        summary: "Download a model's network file (tfjs layers format)",
        description:
          "model.json or weights.bin, for `tf.loadLayersModel('<base>/v1/models/{id}/files/model.json')` in a browser or Node. With an ETag; `If-None-Match` with it answers 304. Pages of the origins in CORS_ORIGINS may read it; when API_KEYS is set the request needs `Authorization: Bearer <key>` (tfjs: `loadLayersModel(url, { requestInit: { headers: { Authorization: 'Bearer <key>' } } })`).",
        tags: ['models'],
        security: BEARER_SECURITY,
        params: ModelFileParamsSchema,
        produces: ['application/json', 'application/octet-stream'],
        response: {
          200: {
            description: 'The file (model.json: application/json; weights.bin: application/octet-stream).',
            type: 'string',
            format: 'binary',
          },
          304: { type: 'null', description: 'Not modified: If-None-Match names the current ETag.' },
          401: UNAUTHORIZED_RESPONSE,
          404: UNKNOWN_MODEL_RESPONSE,
          409: MODEL_BROKEN_RESPONSE,
        },
      },
    },
    async (request, reply) => {
      const { id, file } = request.params;
      const path = await modelFilePath(app.config.ARTIFACT_DIR, id, file);
      // Open first, then stat the open file: what is sent is what the ETag describes, even if the model is
      // saved again or deleted meanwhile.
      const handle = await open(path).catch(() => {
        throw new NotFoundError(`model ${id} not found`);
      });
      try {
        const stats = await handle.stat({ bigint: true });
        const etag = fileEtag({ size: Number(stats.size), mtimeNs: stats.mtimeNs });
        reply.header('etag', etag).header('cache-control', CACHE_CONTROL);
        if (ifNoneMatchMatches(request.headers['if-none-match'], etag)) {
          await handle.close();
          return reply.code(304).send();
        }
        reply.header('content-type', CONTENT_TYPES[file]).header('content-length', String(stats.size));
        return reply.send(handle.createReadStream());
      } catch (err) {
        await handle.close().catch(() => undefined);
        throw err;
      }
    },
  );
};
