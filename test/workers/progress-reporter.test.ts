import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { StepProgress } from '../../src/model/trainer.js';
import type { JobProgressRecord } from '../../src/queue/job-schemas.js';
import { ProgressReporter } from '../../workers/progress-reporter.js';

/** A step of a 2-epoch run with 4 steps per epoch. */
function step(n: number): StepProgress {
  return {
    epoch: Math.floor((n - 1) / 4),
    epochs: 2,
    step: n,
    stepInEpoch: ((n - 1) % 4) + 1,
    stepsPerEpoch: 4,
    totalSteps: 8,
    losses: { depth: 1 / n },
    totalLoss: 2 / n,
    weights: { depth: 0.5 },
    logVariances: { depth: 0.1 },
    sigmas: { depth: Math.exp(0.05) },
    optimalLogVariances: { depth: 0.3 },
    logVarianceGaps: { depth: -0.2 },
    learningRate: 0.01,
    stepMs: 100.12345,
  };
}

describe('ProgressReporter', () => {
  it('publishes the start, throttles steps, always publishes phase changes and epochs, and estimates the ETA', async () => {
    let now = 1_000_000;
    const published: JobProgressRecord[] = [];
    const reporter = new ProgressReporter({
      publish: async (r) => void published.push(r),
      intervalMs: 1000,
      now: () => now,
    });
    await reporter.start();
    assert.equal(published.at(-1)?.phase, 'preparing');
    await reporter.step(step(1)); // first step: phase change -> published
    now += 100;
    await reporter.step(step(2)); // within the interval: not published
    assert.equal(published.length, 2);
    now += 100;
    await reporter.step(step(3));
    now += 100;
    await reporter.step(step(4)); // end of epoch: validating, published
    const validating = published.at(-1)!;
    assert.equal(validating.phase, 'validating');
    assert.equal(validating.percent, 50);
    // 3 steps in 300 ms since the first -> 100 ms/step, 4 steps left.
    assert.equal(validating.etaSeconds, 0.4);
    assert.equal(validating.latest?.epoch, 1);
    assert.equal(validating.latest?.stepMs, 100.123);
    assert.deepEqual(validating.latest?.logVarianceGaps, { depth: -0.2 });
    assert.deepEqual(validating.latest?.optimalLogVariances, { depth: 0.3 });
    assert.deepEqual(validating.latest?.sigmas, { depth: Math.exp(0.05) });
    await reporter.epoch({
      epoch: 1,
      losses: { depth: 1 },
      weights: { depth: 0.5 },
      learningRate: 0.01,
      durationMs: 400,
    });
    assert.equal(published.at(-1)?.history.length, 1);
    assert.equal(published.at(-1)?.phase, 'training');
    now += 5000;
    await reporter.step(step(5));
    assert.equal(published.at(-1)?.latest?.step, 5);
    await reporter.epoch({
      epoch: 2,
      losses: { depth: 1 },
      weights: { depth: 0.5 },
      learningRate: 0.01,
      durationMs: 400,
    });
    assert.equal(published.at(-1)?.phase, 'saving');
  });

  it('keeps the first start and the history of an earlier attempt, replacing a repeated epoch', async () => {
    const published: JobProgressRecord[] = [];
    const previous: JobProgressRecord = {
      phase: 'training',
      startedAt: '2020-01-01T00:00:00.000Z',
      attemptStartedAt: '2020-01-01T00:00:00.000Z',
      updatedAt: '2020-01-01T00:00:00.000Z',
      percent: 60,
      etaSeconds: 10,
      history: [{ epoch: 1, losses: {}, weights: {}, learningRate: 0.1, durationMs: 1 }],
    };
    const reporter = new ProgressReporter({
      publish: async (r) => void published.push(r),
      intervalMs: 0,
      previous,
      resumedFrom: 'epoch-0001',
    });
    await reporter.start();
    const first = published[0]!;
    assert.equal(first.startedAt, previous.startedAt);
    assert.notEqual(first.attemptStartedAt, previous.attemptStartedAt);
    assert.equal(first.resumedFrom, 'epoch-0001');
    assert.equal(first.etaSeconds, null);
    await reporter.epoch({ epoch: 1, losses: {}, weights: {}, learningRate: 0.2, durationMs: 1 });
    assert.deepEqual(
      published.at(-1)!.history.map((e) => [e.epoch, e.learningRate]),
      [[1, 0.2]],
    );
    await reporter.fail('DATASET_ERROR', 'no images');
    assert.deepEqual(published.at(-1)!.error, { code: 'DATASET_ERROR', message: 'no images' });
  });
});
