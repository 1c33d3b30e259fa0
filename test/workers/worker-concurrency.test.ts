import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { takenRecord } from '../../workers/progress-reporter.js';
import { coresPerSlot, resolveWorkerConcurrency } from '../../workers/worker-concurrency.js';

describe('WORKER_CONCURRENCY', () => {
  it('auto: one job per core on wasm/cpu, one at a time on the native backend', () => {
    const machine = { cores: 8, nativeBackend: false };
    assert.equal(resolveWorkerConcurrency('auto', 'auto', machine), 8);
    assert.equal(resolveWorkerConcurrency('auto', 'wasm', { cores: 8, nativeBackend: true }), 8);
    assert.equal(resolveWorkerConcurrency('auto', 'cpu', machine), 8);
    assert.equal(resolveWorkerConcurrency('auto', 'tensorflow', machine), 1);
    assert.equal(resolveWorkerConcurrency('auto', 'auto', { cores: 8, nativeBackend: true }), 1);
  });

  it('takes a number as it is', () => {
    assert.equal(resolveWorkerConcurrency(3, 'tensorflow', { cores: 2, nativeBackend: true }), 3);
    assert.equal(resolveWorkerConcurrency(1, 'wasm', { cores: 16, nativeBackend: false }), 1);
  });

  it('shares the cores out evenly among the slots, at least one each', () => {
    assert.equal(coresPerSlot(16, 1), 16);
    assert.equal(coresPerSlot(16, 3), 5);
    assert.equal(coresPerSlot(2, 2), 1);
    assert.equal(coresPerSlot(2, 4), 1);
  });

  it('a taken job shows its slot at once, keeping what an earlier attempt recorded', () => {
    const worker = { name: 'host:42', slot: 1 };
    const fresh = takenRecord(0, worker, Date.parse('2026-01-01T00:00:00Z'));
    assert.equal(fresh.phase, 'preparing');
    assert.deepEqual(fresh.worker, worker);
    assert.deepEqual(fresh.history, []);
    const earlier = {
      ...fresh,
      startedAt: '2025-12-31T00:00:00.000Z',
      percent: 40,
      worker: { name: 'a:1', slot: 0 },
    };
    const again = takenRecord(earlier, worker);
    assert.equal(again.startedAt, '2025-12-31T00:00:00.000Z');
    assert.equal(again.percent, 40);
    assert.deepEqual(again.worker, worker);
  });
});
