import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { connect } from 'node:net';
import { after, describe, it } from 'node:test';
import { Redis } from 'ioredis';
import { startRedis, type RedisServer } from './redis.js';

/** Resolves with the socket error code when connecting to the port fails, or 'connected' if it succeeds. */
function probe(port: number): Promise<string> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      resolve('connected');
    });
    socket.once('error', (err: NodeJS.ErrnoException) => resolve(err.code ?? err.message));
  });
}

describe('startRedis', () => {
  const started: RedisServer[] = [];
  after(async () => {
    await Promise.all(started.map((s) => s.stop()));
  });

  it('starts on a free port other than 6379 and serves SET/GET through ioredis', async () => {
    const redis = await startRedis();
    started.push(redis);
    assert.notEqual(redis.port, 6379);
    assert.equal(redis.url, `redis://127.0.0.1:${redis.port}`);

    const client = new Redis(redis.url, { lazyConnect: true, maxRetriesPerRequest: 1 });
    try {
      await client.connect();
      assert.equal(await client.set('greeting', 'hello'), 'OK');
      assert.equal(await client.get('greeting'), 'hello');
      assert.equal(
        await client.config('GET', 'maxmemory-policy').then((r) => (r as string[])[1]),
        'noeviction',
      );
      assert.equal(await client.config('GET', 'appendonly').then((r) => (r as string[])[1]), 'no');
      assert.equal(await client.config('GET', 'save').then((r) => (r as string[])[1]), '');
    } finally {
      await client.quit();
    }
  });

  it('runs two servers at once on different ports, with separate data', async () => {
    const [a, b] = await Promise.all([startRedis(), startRedis()]);
    started.push(a, b);
    assert.notEqual(a.port, b.port);
    assert.notEqual(a.dir, b.dir);

    const ca = new Redis(a.url, { maxRetriesPerRequest: 1 });
    const cb = new Redis(b.url, { maxRetriesPerRequest: 1 });
    try {
      await ca.set('who', 'a');
      await cb.set('who', 'b');
      assert.equal(await ca.get('who'), 'a');
      assert.equal(await cb.get('who'), 'b');
    } finally {
      await Promise.all([ca.quit(), cb.quit()]);
    }
  });

  it('restart() with appendOnly: an outage on the same port, then the data is back and clients reconnect', async () => {
    const redis = await startRedis({ appendOnly: true });
    started.push(redis);
    const client = new Redis(redis.url, { maxRetriesPerRequest: null, retryStrategy: () => 50 });
    client.on('error', () => undefined);
    try {
      await client.set('kept', 'yes');
      const restarting = redis.restart(300);
      let restarted = false;
      const mark = () => (restarted = true);
      restarting.then(mark, mark);
      // Poll rather than probe once after a fixed delay: on a loaded machine the shutdown itself can take
      // longer than that delay; the outage (300 ms after it) is far longer than one poll.
      let sawDown = false;
      while (!restarted && !sawDown) {
        sawDown = (await probe(redis.port)) !== 'connected';
        if (!sawDown) await new Promise((resolve) => setTimeout(resolve, 20));
      }
      assert.ok(sawDown, 'down during the outage');
      await restarting;
      assert.equal(await client.get('kept'), 'yes');
    } finally {
      client.disconnect();
    }
  });

  it('stop() shuts the server down: the port refuses connections and the directory is gone', async () => {
    const redis = await startRedis();
    started.push(redis);
    assert.equal(await probe(redis.port), 'connected');
    assert.ok(existsSync(redis.dir));

    await redis.stop();
    assert.equal(await probe(redis.port), 'ECONNREFUSED');
    assert.equal(existsSync(redis.dir), false);

    // Idempotent.
    await redis.stop();
  });
});
