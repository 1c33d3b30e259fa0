import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { eventsBetween } from '../../src/api/routes/training-job-events.js';
import { parseTrainingSpec } from '../../src/model/training-spec.js';
import type { JobProgressRecord, TrainingJob } from '../../src/queue/job-schemas.js';
import {
  buildJobView,
  cancelledView,
  redactPaths,
  statusFromState,
  summaryView,
  type JobSnapshot,
} from '../../src/queue/job-view.js';
import { firstEpochEntry } from '../helpers/job-fixtures.js';
import { tinySpec } from '../helpers/training.js';

const record: JobProgressRecord = {
  phase: 'training',
  startedAt: '2024-01-01T00:00:00.000Z',
  attemptStartedAt: '2024-01-01T00:00:00.000Z',
  updatedAt: '2024-01-01T00:00:05.000Z',
  percent: 25,
  etaSeconds: 15,
  history: [firstEpochEntry(0.3)],
  latest: {
    epoch: 2,
    epochs: 4,
    step: 3,
    totalSteps: 12,
    stepInEpoch: 0,
    stepsPerEpoch: 3,
    losses: { depth: 1 },
    totalLoss: 1,
    weights: { depth: 1 },
    learningRate: 0.1,
    stepMs: 10,
  },
};

function snapshot(patch: Partial<JobSnapshot>): JobSnapshot {
  return {
    id: 'job-1',
    state: 'waiting',
    data: { spec: parseTrainingSpec(tinySpec()), submittedAt: '2024-01-01T00:00:00.000Z' },
    progress: 0,
    returnvalue: null,
    attemptsMade: 0,
    maxAttempts: 3,
    timestamp: Date.parse('2024-01-01T00:00:00.000Z'),
    ...patch,
  };
}

describe('statusFromState', () => {
  it('maps BullMQ states to the six public statuses', () => {
    for (const state of ['waiting', 'prioritized', 'delayed', 'waiting-children'] as const) {
      assert.equal(statusFromState(state, false), 'queued', state);
    }
    assert.equal(statusFromState('active', false), 'running');
    assert.equal(statusFromState('active', true), 'cancelling', 'until it stops');
    assert.equal(statusFromState('completed', true), 'completed', 'finished before it saw the cancel');
    assert.equal(statusFromState('failed', false), 'failed');
    assert.equal(statusFromState('failed', true), 'cancelled');
    assert.equal(statusFromState('unknown', false), undefined);
  });
});

describe('buildJobView', () => {
  it('shows a running job with progress, ETA, latest losses and the last validation metrics', () => {
    const view = buildJobView(snapshot({ state: 'active', progress: record }))!;
    assert.equal(view.status, 'running');
    assert.equal(view.progress?.etaSeconds, 15);
    assert.equal(view.progress?.epoch, 2);
    assert.equal(view.startedAt, record.startedAt);
    assert.deepEqual(view.metrics, { miou: 0.3 });
    assert.equal(view.modelId, undefined);
  });

  it('shows where a resumed attempt continued: the checkpoint and its step', () => {
    const resumed = { ...record, resumedFrom: 'epoch-0001', resumedAtStep: 3 };
    const view = buildJobView(snapshot({ state: 'active', progress: resumed }))!;
    assert.equal(view.resumedFrom, 'epoch-0001');
    assert.equal(view.resumedAtStep, 3);
    assert.equal(buildJobView(snapshot({ state: 'active', progress: record }))!.resumedAtStep, undefined);
  });

  it('shows a queued job that was interrupted with its progress but no ETA', () => {
    const view = buildJobView(snapshot({ state: 'waiting', progress: record }))!;
    assert.equal(view.status, 'queued');
    assert.equal(view.progress?.etaSeconds, null);
  });

  it('gives failed jobs a code and a message with server paths hidden, never a stack', () => {
    const view = buildJobView(
      snapshot({
        state: 'failed',
        failedReason: 'ENOENT /srv/artifacts/jobs/x',
        finishedOn: Date.now(),
        progress: record,
      }),
      { ARTIFACT_DIR: '/srv/artifacts' },
    )!;
    assert.deepEqual(view.error, { code: 'TRAINING_FAILED', message: 'ENOENT $ARTIFACT_DIR/jobs/x' });
    const stalled = buildJobView(
      snapshot({ state: 'failed', failedReason: 'job stalled more than allowable limit' }),
    )!;
    assert.equal(stalled.error?.code, 'STALLED');
    const coded = buildJobView(
      snapshot({
        state: 'failed',
        failedReason: 'bad',
        progress: { ...record, error: { code: 'DATASET_ERROR', message: 'bad' } },
      }),
    )!;
    assert.equal(coded.error?.code, 'DATASET_ERROR');
  });

  it('shows a completed job with its model id, 100 % and the result history', () => {
    const view = buildJobView(
      snapshot({
        state: 'completed',
        progress: record,
        finishedOn: 1,
        returnvalue: { modelId: 'job-1', steps: 12, metrics: { miou: 0.4 }, history: record.history },
      }),
    )!;
    assert.equal(view.modelId, 'job-1');
    assert.deepEqual(view.metrics, { miou: 0.4 });
    assert.equal(view.progress?.percent, 100);
    assert.equal(view.progress?.etaSeconds, 0);
  });

  it('puts status, progress, modelId, metrics and error first, and the long parts last', () => {
    const view = buildJobView(
      snapshot({
        state: 'completed',
        progress: record,
        finishedOn: 1,
        returnvalue: { modelId: 'job-1', steps: 12, metrics: { miou: 0.4 }, history: record.history },
        data: {
          spec: parseTrainingSpec({ ...tinySpec(), name: 'night run', labels: { team: 'vision' } }),
          submittedAt: '2024-01-01T00:00:00.000Z',
        },
      }),
    )!;
    const keys = Object.keys(view);
    assert.deepEqual(keys.slice(0, 7), ['id', 'name', 'labels', 'status', 'progress', 'modelId', 'metrics']);
    assert.deepEqual(keys.slice(-3), ['spec', 'history', 'checkpoints']);
    assert.deepEqual([view.name, view.labels], ['night run', { team: 'vision' }]);
    const failed = buildJobView(snapshot({ state: 'failed', progress: record, failedReason: 'boom' }))!;
    assert.deepEqual(Object.keys(failed).slice(0, 5), ['id', 'status', 'progress', 'metrics', 'error']);
  });

  it('clears the phase once the job has ended, and keeps it while it runs or waits', () => {
    const saving = { ...record, phase: 'saving' as const };
    const completed = buildJobView(
      snapshot({
        state: 'completed',
        progress: saving,
        finishedOn: 1,
        returnvalue: { modelId: 'job-1', steps: 12, metrics: {}, history: [] },
      }),
    )!;
    assert.equal(completed.progress?.phase, undefined);
    assert.ok(!('phase' in completed.progress!));
    const failed = buildJobView(snapshot({ state: 'failed', progress: saving, failedReason: 'x' }))!;
    assert.ok(!('phase' in failed.progress!));
    const preparing = { ...record, phase: 'preparing' as const };
    const running = buildJobView(snapshot({ state: 'active', progress: preparing }))!;
    assert.equal(running.progress?.phase, 'preparing');
    const cancelled = cancelledView(running, '2024-01-01T00:01:00.000Z');
    assert.equal(cancelled.status, 'cancelled');
    assert.ok(!('phase' in cancelled.progress!), 'a job cancelled while preparing is not preparing');
    assert.equal(
      buildJobView(snapshot({ state: 'waiting', progress: preparing }))!.progress?.phase,
      'preparing',
    );
  });

  it('the summary leaves out spec, history and checkpoints and keeps the order', () => {
    const view = buildJobView(snapshot({ state: 'active', progress: record }))!;
    const summary = summaryView(view);
    assert.deepEqual(
      Object.keys(summary),
      Object.keys(view).filter((k) => !['spec', 'history', 'checkpoints'].includes(k)),
    );
    assert.deepEqual(summary.progress, view.progress);
    assert.ok(JSON.stringify(summary).length < JSON.stringify(view).length);
  });

  it('redactPaths leaves messages without those paths alone', () => {
    assert.equal(redactPaths('plain', { DATA_DIR: '/d' }), 'plain');
  });
});

describe('eventsBetween (SSE)', () => {
  const base = buildJobView(snapshot({ state: 'active', progress: record }))!;
  it('starts with the whole state, and ends with the terminal event', () => {
    assert.deepEqual(
      eventsBetween(undefined, base).map((e) => e.event),
      ['state'],
    );
    const done: TrainingJob = { ...base, status: 'completed' };
    assert.deepEqual(
      eventsBetween(undefined, done).map((e) => e.event),
      ['state', 'completed'],
    );
  });
  it('sends new epochs, new progress, then status changes', () => {
    const next: TrainingJob = {
      ...base,
      history: [...base.history, { ...base.history[0]!, epoch: 2 }],
      progress: { ...base.progress!, updatedAt: '2024-01-01T00:00:09.000Z' },
    };
    assert.deepEqual(
      eventsBetween(base, next).map((e) => e.event),
      ['epoch', 'progress'],
    );
    assert.deepEqual(eventsBetween(base, base), []);
    assert.deepEqual(
      eventsBetween(base, { ...next, status: 'failed' }).map((e) => e.event),
      ['epoch', 'failed'],
    );
    assert.deepEqual(
      eventsBetween(base, { ...base, status: 'queued' }).map((e) => e.event),
      ['state'],
    );
  });
});
