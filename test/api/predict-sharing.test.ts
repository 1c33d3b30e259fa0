import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Worker } from 'node:worker_threads';
import { after, before, describe, it } from 'node:test';
import { PredictorPool, type PredictReply } from '../../src/api/predict/predictor-pool.js';
import { TASKS } from '../../src/model/tasks.js';
import { selectBackend } from '../../src/tf/index.js';
import { randomImage, saveTinyModel } from '../helpers/tiny-model.js';

/** The pool's threads, as the pool keeps them (to stop one in the middle of its work). */
type PoolThreads = { slots: { worker: Worker; helping: boolean }[] };

/** A JSON reply's fields without the timings, and its timings. */
function parts(reply: PredictReply): { fields: Record<string, unknown>; timings: Record<string, number> } {
  assert.equal(reply.kind, 'json');
  const { timings, ...fields } = reply.body as Record<string, unknown>;
  return { fields, timings: timings as Record<string, number> };
}

describe(
  'predictor pool: a lone prediction shares its heads with an idle thread',
  { timeout: 180_000 },
  () => {
    let artifactDir: string;
    let image: Buffer;
    let sharing: PredictorPool;
    let alone: PredictorPool;
    let lentCount = 0;
    const request = () => ({ modelId: 'tiny', image, outputs: [...TASKS] });

    before(async () => {
      await selectBackend('wasm');
      artifactDir = await mkdtemp(join(tmpdir(), 'pool-sharing-'));
      await saveTinyModel(artifactDir, 'tiny');
      image = await randomImage(120, 70, 'png');
      const options = { threads: 2, queueSize: 8, modelCacheSize: 2, artifactDir, backend: 'wasm' as const };
      sharing = new PredictorPool({ ...options, shareHeads: true, onLent: () => (lentCount += 1) });
      alone = new PredictorPool({ ...options, shareHeads: false });
      await Promise.all([sharing.ready(), alone.ready()]);
      // Both threads load the model: together, then the idle one as a helper that does not hold it yet.
      await Promise.all([sharing.predict(request()), sharing.predict(request())]);
    });
    after(async () => {
      await Promise.all([sharing.close(), alone.close()]);
      await rm(artifactDir, { recursive: true, force: true });
    });

    it('answers on two threads what one thread answers, and counts it', async () => {
      const expected = parts(await alone.predict(request()));
      assert.equal(expected.timings['threads'], 1);
      const before = lentCount;
      const answer = parts(await sharing.predict(request()));
      assert.equal(answer.timings['threads'], 2);
      assert.deepEqual(answer.fields, expected.fields);
      assert.equal(lentCount, before + 1);
      assert.deepEqual(sharing.stats(), { threads: 2, busy: 0, queued: 0 });
    });

    it('answers concurrent predictions the same (the threads busy with their own)', async () => {
      const expected = parts(await alone.predict(request())).fields;
      const replies = await Promise.all(Array.from({ length: 5 }, () => sharing.predict(request())));
      for (const reply of replies) assert.deepEqual(parts(reply).fields, expected);
    });

    it('a helping thread that dies mid-prediction neither loses the answer nor the thread', async () => {
      const expected = parts(await alone.predict(request())).fields;
      for (let attempt = 0; attempt < 3; attempt++) {
        // A replaced thread has started and holds the model before it is lent again.
        await sharing.ready();
        await Promise.all([sharing.predict(request()), sharing.predict(request())]);
        const answer = sharing.predict(request());
        await Promise.resolve(); // the pool lends a thread once the prediction's own is ready (a microtask)
        const helper = (sharing as unknown as PoolThreads).slots.find((slot) => slot.helping);
        assert.ok(helper, 'the idle thread was lent');
        await helper.worker.terminate();
        assert.deepEqual(parts(await answer).fields, expected);
      }
      // The pool replaced the thread: two threads answer again, and share again once both hold the model.
      // (A lent thread still loading the model answers too late and the prediction runs alone meanwhile.)
      await sharing.ready();
      let threads: number[] = [];
      for (let i = 0; i < 20 && !threads.includes(2); i++) {
        const again = parts(await sharing.predict(request()));
        assert.deepEqual(again.fields, expected);
        threads = [...threads, again.timings['threads']!];
      }
      assert.ok(threads.includes(2), `shared again: threads ${threads.join(', ')}`);
      assert.equal(sharing.stats().threads, 2);
    });

    it('never lends a thread to a view (its overlay needs the whole image on one thread)', async () => {
      const before = lentCount;
      const reply = await sharing.predict({ ...request(), view: 'overlay' });
      assert.equal(reply.kind, 'png');
      assert.equal(lentCount, before);
    });
  },
);
