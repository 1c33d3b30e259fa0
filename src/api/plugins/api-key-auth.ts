/**
 * Optional API keys: when `API_KEYS` is set, every route of the scope this plugin is registered in (the
 * `/v1` routes) needs `Authorization: Bearer <key>`. Health, metrics and docs are outside that scope.
 *
 * @packageDocumentation
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { UnauthorizedError } from '../../errors.js';

/** Digest of a key. Why hash: `timingSafeEqual` needs equal lengths, and digests leak nothing about length. */
const digest = (key: string): Buffer => createHash('sha256').update(key).digest();

/** `Bearer <token>`, case-insensitive scheme as RFC 6750 allows. */
const BEARER = /^Bearer[ ]+(\S+)\s*$/i;

/** Options of {@link apiKeyAuthPlugin}. */
export interface ApiKeyAuthOptions {
  /** Accepted keys; empty turns authentication off. */
  keys: readonly string[];
}

/**
 * Adds an `onRequest` hook to the enclosing scope that refuses requests without a valid key with 401
 * `UNAUTHORIZED` and `WWW-Authenticate: Bearer`. Keys are compared in constant time.
 */
export const apiKeyAuthPlugin = fp<ApiKeyAuthOptions>(
  async (scope, opts) => {
    if (opts.keys.length === 0) return;
    const accepted = opts.keys.map(digest);
    scope.addHook('onRequest', async (request: FastifyRequest, reply: FastifyReply) => {
      const header = request.headers.authorization;
      const token = header === undefined ? undefined : BEARER.exec(header)?.[1];
      if (token !== undefined) {
        const given = digest(token);
        let ok = false;
        // Why no early exit: every key is compared, so timing tells nothing about which matched.
        for (const key of accepted) ok = timingSafeEqual(given, key) || ok;
        if (ok) return;
      }
      reply.header('www-authenticate', 'Bearer realm="scene-mtl"');
      throw new UnauthorizedError(
        header === undefined
          ? 'This route needs an API key: send "Authorization: Bearer <key>".'
          : 'The API key is not valid.',
      );
    });
  },
  { name: 'api-key-auth', fastify: '5.x' },
);
