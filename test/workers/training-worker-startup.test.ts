import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Redis } from 'ioredis';
import { startRedis, type RedisServer } from '../helpers/redis.js';
import { spawnWorker, uniqueQueueName } from '../helpers/training.js';

describe('workers/training-worker.ts start-up', () => {
  let redis: RedisServer;
  before(async () => {
    redis = await startRedis();
  });
  after(async () => {
    await redis.stop();
  });

  it('exits 1 naming REDIS_URL when it is unset', async () => {
    const worker = spawnWorker({ REDIS_URL: '' });
    assert.equal((await worker.exited).code, 1);
    assert.match(worker.output(), /REDIS_URL is not set/);
  });

  it('refuses to start when Redis may evict keys, saying how to fix it', async () => {
    const client = new Redis(redis.url);
    await client.config('SET', 'maxmemory-policy', 'allkeys-lru');
    try {
      const worker = spawnWorker({ REDIS_URL: redis.url, QUEUE_NAME: uniqueQueueName('evict') });
      assert.equal((await worker.exited).code, 1);
      assert.match(worker.output(), /maxmemory-policy is "allkeys-lru" but BullMQ needs "noeviction"/);
      assert.match(worker.output(), /CONFIG SET maxmemory-policy noeviction/);
    } finally {
      await client.config('SET', 'maxmemory-policy', 'noeviction');
      client.disconnect();
    }
  });
});
